"""The register ("today's visits") and the record of one visit; the day's panel.

Made for a tablet at the hub's door: one block per visit with a number field or a tick
per person, and big buttons "everyone" and "nobody". Works without JavaScript: each
block is its own form and comes back to the same place on the page after saving.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import login_required
from sqlalchemy import select

from hubs.access import Principal, current_principal, get_or_404, require
from hubs.attendance import register as reg
from hubs.attendance import services
from hubs.attendance.forms import AttendanceForm
from hubs.booking.clock import local_date, zone
from hubs.booking.day import DayPanel, register_panel
from hubs.booking.models import Booking
from hubs.booking.services import bundle_rows
from hubs.db import local_today
from hubs.errors import DomainError, InvalidInput
from hubs.extensions import db
from hubs.forms import options
from hubs.locations.models import Hub
from hubs.web import apply_domain_error, safe_next

bp = Blueprint("attendance", __name__, template_folder="templates", url_prefix="/attendance")


def _my_hubs(p: Principal) -> list[Hub]:
    return [h for h in db.session.scalars(select(Hub).order_by(Hub.name)) if p.coordinates(h.id)]


def _day_arg(today: date) -> date:
    try:
        return date.fromisoformat(request.args.get("date", ""))
    except ValueError:
        return today


@bp.get("")
@login_required
def register() -> str:
    """A day's confirmed visits at the hubs the user runs, each with its register form."""
    p = current_principal()
    require(p.is_staff)
    hubs = _my_hubs(p)
    chosen = request.args.get("hub_id", "")
    shown = [h for h in hubs if str(h.id) == chosen] or hubs
    today = local_today()
    day = _day_arg(today)
    visits = reg.visits_on(p, [h.id for h in shown], day, today) if shown else []
    return render_template(
        "attendance/register.html",
        visits=visits,
        day=day,
        today=today,
        hubs=hubs,
        hub=shown[0] if len(shown) == 1 else None,
        hub_id=chosen if len(shown) == 1 and len(hubs) > 1 else "",
        previous_day=day - timedelta(days=1),
        next_day=day + timedelta(days=1),
    )


@bp.route("/bookings/<int:booking_id>", methods=["GET", "POST"])
@login_required
def visit(booking_id: int) -> Any:
    """Record who came to one visit (the register's forms post here)."""
    p = current_principal()
    booking = get_or_404(Booking, booking_id)
    require(p.coordinates(booking.hub_id))
    lead = bundle_rows(booking.id)[0]
    entry = reg.visit_of(p, lead, local_today())
    form = AttendanceForm()
    form.learner_ids.choices = options((e.learner_id, e.name) for e in entry.roster)
    status = 200
    if form.validate_on_submit():
        try:
            record = services.record_attendance(p, lead.id, _input(form, entry))
        except DomainError as error:
            _show_error(form, error)
            status = 403 if error.status == 403 else 422
        else:
            flash(_saved(lead, record.present), "success")
            target = safe_next(form.next.data) or url_for(
                ".register", date=local_date(lead.start_at, zone(None)).isoformat()
            )
            return redirect(f"{target}#visit-{lead.id}")
    elif form.is_submitted():
        status = 422
    return render_template("attendance/visit.html", visit=entry, form=form), status


def _input(form: AttendanceForm, entry: reg.Visit) -> services.AttendanceInput:
    action = request.form.get("action", "save")
    if entry.roster:
        if action == "all":
            return services.AttendanceInput(learner_ids=[e.learner_id for e in entry.roster])
        if action == "none":
            return services.AttendanceInput(learner_ids=[])
        return services.AttendanceInput(learner_ids=list(form.learner_ids.data or []))
    if action == "all":
        return services.AttendanceInput(present=entry.lead.group_size)
    if action == "none":
        return services.AttendanceInput(present=0)
    return services.AttendanceInput(present=form.present.data)


def _show_error(form: AttendanceForm, error: DomainError) -> None:
    if isinstance(error, InvalidInput):
        for name, messages in error.fields.items():
            for message in messages:
                apply_domain_error(form, DomainError(message, field=name))
        return
    apply_domain_error(form, error)


def _saved(lead: Booking, present: int) -> str:
    if present == 0:
        return _("Saved: nobody came to %(group)s (no-show).", group=lead.group_name)
    return ngettext(
        "Saved: %(num)d person present at %(group)s.",
        "Saved: %(num)d people present at %(group)s.",
        present,
        group=lead.group_name,
    )


# --- the coordinator's day -----------------------------------------------------------


def _panel(p: Principal, hubs: list[Hub], today: date) -> dict[str, Any] | None:
    if not hubs:
        return None
    counts = reg.day_counts([h.id for h in hubs], today)
    return {"counts": counts, "hub_id": hubs[0].id if len(hubs) == 1 else None}


register_panel(DayPanel("attendance", _l("Register"), "attendance/_day.html", _panel, order=15))
