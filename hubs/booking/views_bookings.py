"""Booking pages: one booking (with its history), moving, cancelling, deciding; lists."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from werkzeug.wrappers import Response

from hubs.access import Principal, current_principal, get_or_404, require
from hubs.booking import calendar, owners, queries, services
from hubs.booking.clock import zone
from hubs.booking.errors import SlotTaken
from hubs.booking.forms import ChangeForm, ReasonForm, instants, references
from hubs.booking.models import Booking
from hubs.booking.views import _may_view_calendar, _show_error, bp, programme_choices
from hubs.db import utcnow
from hubs.errors import DomainError
from hubs.extensions import db
from hubs.forms import options
from hubs.licences import checks as licence_checks
from hubs.locations.models import Hub
from hubs.web import safe_next

# --- one booking -----------------------------------------------------------------------

# Other features add a section to a booking's page (a weekly series shows its dates):
# ``build(lead, principal)`` returns (template, context) or None; the template gets the
# context as ``section``.
DetailSection = Callable[[Booking, Principal], tuple[str, dict[str, Any]] | None]
_detail_sections: list[DetailSection] = []
# Links next to "To the calendar" on the booking list: (label, endpoint).
_list_links: list[tuple[Any, str]] = []


def register_detail_section(build: DetailSection) -> None:
    if build not in _detail_sections:
        _detail_sections.append(build)


def register_list_link(label: Any, endpoint: str) -> None:
    if all(e != endpoint for _label, e in _list_links):
        _list_links.append((label, endpoint))


@bp.get("/bookings/<int:booking_id>")
@login_required
def detail(booking_id: int) -> str:
    """One booking (its whole bundle), what the user may do with it, and its history."""
    p = current_principal()
    booking = get_or_404(Booking, booking_id)
    rows = services.bundle_rows(booking.id)
    lead = rows[0]
    settings = calendar.hub_settings(lead.hub_id)
    events = queries.audit_trail(lead) if p.coordinates(lead.hub_id) else []
    licence_people, supervision = licence_checks.plan_of(lead.id)
    return render_template(
        "booking/detail.html",
        booking=lead,
        rows=rows,
        hub=db.session.get(Hub, lead.hub_id),
        settings=settings,
        deadline=services.cancel_deadline(lead, settings),
        may_change=services.may_change(lead, p),
        managed=owners.cancel_refusal(lead) if lead.is_active else None,
        may_decide=services.may_decide(lead, p),
        events=events,
        reason_form=ReasonForm(),
        action_labels=ACTION_LABELS,
        field_labels=FIELD_LABELS,
        licence_people=licence_people,
        supervision=supervision,
        sections=[s for s in (build(lead, p) for build in _detail_sections) if s],
        p=p,
    )


ACTION_LABELS = {
    "booked": _l("booking made"),
    "requested": _l("requested"),
    "approved": _l("approved"),
    "rejected": _l("rejected"),
    "expired": _l("expired"),
    "moved": _l("moved"),
    "edited": _l("changed"),
    "cancelled": _l("cancelled"),
    "kept": _l("kept despite a conflict"),
}
FIELD_LABELS = {
    "start": _l("start"),
    "end": _l("end"),
    "group_name": _l("group"),
    "group_size": _l("number of people"),
    "learner_category": _l("who is learning"),
    "level": _l("level"),
    "purpose": _l("purpose"),
    "notes": _l("notes"),
    "status": _l("status"),
    "licence_kinds": _l("machine licence needed"),
    "learner_ids": _l("people using the machines (ids)"),
    "supervised": _l("supervised by the hub's instructor"),
    "resource_ids": _l("rooms and machines (ids)"),
}


@bp.route("/bookings/<int:booking_id>/change", methods=["GET", "POST"])
@login_required
def change(booking_id: int) -> Any:
    """Move a booking to another time, or change its group details."""
    p = current_principal()
    booking = get_or_404(Booking, booking_id)
    rows = services.bundle_rows(booking.id)
    lead = rows[0]
    require(services.may_change(lead, p))
    hub = db.session.get(Hub, lead.hub_id)
    assert hub is not None
    tz = zone(hub.timezone)
    people, supervision = licence_checks.plan_of(lead.id)
    before = _change_defaults(lead, rows, tz, people, supervision is not None)
    form = ChangeForm(obj=None if request.method == "POST" else before)
    resources = queries.hub_resources(hub.id)
    form.resource_ids.choices = options((r.id, r.name) for r in resources)
    form.programme_id.choices = programme_choices(
        hub.id, _("Not part of a programme"), lead.programme
    )
    status = 200
    if form.validate_on_submit():
        try:
            start, end = instants(form, tz)
            services.change_booking(lead.id, _change_input(form, start, end, before), p)
        except DomainError as error:
            _show_error(form, error)
            status = 409 if isinstance(error, SlotTaken) else error.status
        else:
            flash(_("The booking has been changed."), "success")
            return redirect(url_for("booking.detail", booking_id=lead.id))
    elif form.is_submitted():
        status = 422
    return render_template(
        "booking/change.html", form=form, booking=lead, rows=rows, hub=hub, resources=resources
    ), status


def _change_defaults(
    lead: Booking, rows: list[Booking], tz: Any, people: list[Any], supervised: bool
) -> Any:
    from types import SimpleNamespace

    start, end = lead.start_at.astimezone(tz), lead.end_at.astimezone(tz)
    return SimpleNamespace(
        resource_ids=[r.resource_id for r in rows],
        learner_ids=", ".join(p.reference for p in people),
        supervised=supervised,
        date=start.date(),
        start=start.strftime("%H:%M"),
        end=end.strftime("%H:%M"),
        end_date=end.date() if end.date() != start.date() else None,
        group_name=lead.group_name,
        group_size=lead.group_size,
        learner_category=lead.learner_category.value,
        level=lead.level.value if lead.level else "",
        purpose=lead.purpose,
        notes=lead.notes,
        programme_id=lead.programme_id,
    )


def _change_input(
    form: ChangeForm, start: datetime, end: datetime, before: Any
) -> services.BookingChange:
    # Other machines, or other people for them: the licence rule is checked again. Left
    # as they were, a change of time re-checks the recorded people (as before).
    resource_ids = list(form.resource_ids.data or [])
    people = references(form.learner_ids.data)
    supervised = bool(form.supervised.data)
    replan = (
        set(resource_ids) != set(before.resource_ids)
        or people != references(before.learner_ids)
        or supervised != before.supervised
    )
    return services.BookingChange(
        resource_ids=resource_ids,
        learner_references=people if replan else None,
        supervised=supervised if replan else None,
        start=start,
        end=end,
        group_name=form.group_name.data or "",
        group_size=form.group_size.data,
        learner_category=form.learner_category.data,
        level=form.level.data or None,
        clear_level=not form.level.data,
        purpose=form.purpose.data or "",
        notes=form.notes.data or "",
        programme_id=form.programme_id.data,
        clear_programme=not form.programme_id.data,
    )


@bp.post("/bookings/<int:booking_id>/cancel")
@login_required
def cancel(booking_id: int) -> Response:
    p = current_principal()
    booking = get_or_404(Booking, booking_id)
    form = ReasonForm()
    if not form.validate():
        abort(400)
    try:
        services.cancel_booking(booking.id, p, form.reason.data or "")
    except DomainError as error:
        if error.status == 403:
            abort(403)
        flash(str(error.message), "error")
    else:
        flash(_("The booking has been cancelled. The time is free again."), "success")
    return redirect(url_for("booking.detail", booking_id=booking.id))


@bp.post("/bookings/<int:booking_id>/approve")
@login_required
def approve(booking_id: int) -> Response:
    return _decide(booking_id, services.approve, _("The request has been approved."))


@bp.post("/bookings/<int:booking_id>/reject")
@login_required
def reject(booking_id: int) -> Response:
    return _decide(booking_id, services.reject, _("The request has been rejected."))


def _decide(booking_id: int, action: Any, done: str) -> Response:
    p = current_principal()
    booking = get_or_404(Booking, booking_id)
    require(p.coordinates(booking.hub_id))
    form = ReasonForm()
    if not form.validate():
        abort(400)
    try:
        action(booking.id, p, form.reason.data or "")
    except DomainError as error:
        flash(str(error.message), "error")
    else:
        flash(done, "success")
    target = safe_next(request.form.get("next"))
    return redirect(target or url_for("booking.detail", booking_id=booking.id))


# --- lists -----------------------------------------------------------------------------


@bp.get("/bookings")
@login_required
def index() -> str:
    """Bookings the user may see: their organisation's, or their hubs' (filterable)."""
    p = current_principal()
    _may_view_calendar(p)
    form, page = queries.booking_list(p, request.args)
    return render_template(
        "booking/list.html", form=form, page=page, p=p, now=utcnow(), links=_list_links
    )
