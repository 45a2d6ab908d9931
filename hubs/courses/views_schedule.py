"""Coordinators schedule a course: details, its sessions, rooms and machines.

The form starts with three session rows; "more sessions" (a submit button, so it works
without JavaScript) shows the same form again, filled in, with three more rows, up to
MAX_SESSIONS."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import select

from hubs.access import Principal, current_principal, require
from hubs.booking.clock import local_instant, zone
from hubs.courses import services
from hubs.courses.forms import MAX_SESSIONS, MORE_ROWS, SESSION_ROWS, CourseForm, course_form
from hubs.courses.models import Audience
from hubs.courses.views import bp
from hubs.errors import DomainError, InvalidInput
from hubs.extensions import db
from hubs.forms import options
from hubs.locations.models import Hub, Resource
from hubs.organisations.models import Membership, Organisation
from hubs.web import apply_domain_error


def _hubs(p: Principal) -> list[Hub]:
    return [h for h in db.session.scalars(select(Hub).order_by(Hub.name)) if p.coordinates(h.id)]


def _choices(form: CourseForm, hubs: list[Hub]) -> Hub:
    form.hub_id.choices = options((h.id, h.name) for h in hubs)
    chosen = form.hub_id.data or request.args.get("hub_id", type=int)
    hub = next((h for h in hubs if h.id == chosen), hubs[0])
    form.hub_id.data = hub.id
    members = db.session.scalars(
        select(Organisation)
        .where(
            Organisation.id.in_(
                select(Membership.organisation_id).where(Membership.hub_id == hub.id)
            )
        )
        .order_by(Organisation.name)
    )
    form.organisation_id.choices = options((o.id, o.name) for o in members)
    resources = db.session.scalars(
        select(Resource).where(Resource.hub_id == hub.id, Resource.active).order_by(Resource.name)
    )
    form.resource_ids.choices = options((r.id, r.name) for r in resources)
    form.audience.choices = options((a.value, a.label) for a in Audience)
    return hub


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new() -> Any:
    """Schedule a course; each session books its rooms and machines."""
    p = current_principal()
    hubs = _hubs(p)
    require(bool(hubs))
    rows = _rows_wanted()
    form = course_form(rows)
    hub = _choices(form, hubs)
    status = 200
    if "more_sessions" in request.form:
        pass  # the same form again, filled in, with more rows: nothing is validated yet
    elif form.validate_on_submit():
        try:
            course = services.schedule_course(p, _input(form, hub))
        except DomainError as error:
            _show(form, error)
            status = 422
        else:
            flash(_("Course scheduled; its sessions are booked."), "success")
            return redirect(url_for("courses.detail", course_id=course.id))
    elif form.is_submitted():
        status = 422
    rows = int(form.session_rows.data)
    return render_template(
        "courses/new.html",
        form=form,
        hub=hub,
        rows=range(1, rows + 1),
        more=MORE_ROWS if rows < MAX_SESSIONS else 0,
        max_sessions=MAX_SESSIONS,
    ), status


def _rows_wanted() -> int:
    """Session rows to show: as many as were posted, plus MORE_ROWS on "more sessions"."""
    if request.method != "POST":
        return SESSION_ROWS
    try:
        rows = int(request.form.get("session_rows", SESSION_ROWS))
    except ValueError:
        rows = SESSION_ROWS
    return rows + (MORE_ROWS if "more_sessions" in request.form else 0)


def _input(form: CourseForm, hub: Hub) -> services.CourseInput:
    tz = zone(hub.timezone)
    sessions = []
    for n in range(1, int(form.session_rows.data) + 1):
        day = getattr(form, f"session{n}_date").data
        start = getattr(form, f"session{n}_start").data
        end = getattr(form, f"session{n}_end").data
        if day is None:
            if start is not None or end is not None:
                raise InvalidInput(_("Give the date of this session."), field=f"session{n}_date")
            continue
        if start is None or end is None:
            raise InvalidInput(_("Give a start and an end time."), field=f"session{n}_start")
        sessions.append(
            services.SessionInput(
                local_instant(day, start.strftime("%H:%M"), tz, f"session{n}_start"),
                local_instant(day, end.strftime("%H:%M"), tz, f"session{n}_end"),
                list(form.resource_ids.data or []),
            )
        )
    price = form.price.data or Decimal(0)
    return services.CourseInput(
        hub_id=hub.id,
        organisation_id=form.organisation_id.data,
        title=form.title.data or "",
        description=form.description.data or "",
        level=form.level.data or "",
        seats=form.seats.data or 0,
        min_participants=form.min_participants.data or 0,
        decision_on=form.decision_on.data,
        enrol_deadline=form.enrol_deadline.data,
        price_cents=int(price * 100),
        grants_licence_kind=form.grants_licence_kind.data or None,
        licence_valid_months=form.licence_valid_months.data,
        audience=Audience(form.audience.data),
        sessions=sessions,
    )


FIELD_OF = {"sessions": "session1_date", "price": "price", "resource_ids": "resource_ids"}


def _show(form: CourseForm, error: DomainError) -> None:
    if isinstance(error, InvalidInput) and error.fields:
        for name, messages in error.fields.items():
            for message in messages:
                apply_domain_error(form, DomainError(message, field=FIELD_OF.get(name, name)))
        return
    apply_domain_error(
        form, DomainError(error.message, field=FIELD_OF.get(error.field or "", error.field))
    )
