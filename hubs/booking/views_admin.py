"""Coordinator pages: closures and maintenance (with .ics import), the bookings they hit,
and the hub's booking settings and named periods."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import login_required
from werkzeug.wrappers import Response

from hubs.access import current_principal, get_or_404, require
from hubs.booking import calendar, closures, configuration
from hubs.booking.clock import local_date, zone
from hubs.booking.forms import (
    WEEKDAYS,
    HubClosureForm,
    ImportForm,
    MaintenanceForm,
    ResolveForm,
    SettingsForm,
    SlotForm,
    options,
)
from hubs.booking.models import Closure, Slot
from hubs.booking.queries import hub_resources
from hubs.booking.views import _show_error, bp
from hubs.db import utcnow
from hubs.errors import DomainError
from hubs.forms import ConfirmForm
from hubs.locations.models import Hub


def _coordinated_hub(hub_id: int) -> Hub:
    hub = get_or_404(Hub, hub_id)
    require(current_principal().coordinates(hub.id))
    return hub


# --- closures --------------------------------------------------------------------------


@bp.get("/hubs/<int:hub_id>/closures")
@login_required
def closures_page(hub_id: int) -> str:
    hub = _coordinated_hub(hub_id)
    return _render_closures(hub)


def _render_closures(
    hub: Hub,
    closure_form: HubClosureForm | None = None,
    maintenance_form: MaintenanceForm | None = None,
    import_form: ImportForm | None = None,
) -> Any:
    today = local_date(utcnow(), zone(hub.timezone))
    maintenance_form = maintenance_form or MaintenanceForm(formdata=None)
    maintenance_form.resource_id.choices = options((r.id, r.name) for r in hub_resources(hub.id))
    settings = calendar.hub_settings(hub.id)
    holidays = calendar.school_holidays(
        str(settings.holiday_region), today, today + timedelta(days=365)
    )
    return render_template(
        "booking/closures.html",
        hub=hub,
        closures=closures.coming_closures(hub.id),
        closure_form=closure_form or HubClosureForm(formdata=None),
        maintenance_form=maintenance_form,
        import_form=import_form or ImportForm(formdata=None),
        confirm_form=ConfirmForm(),
        settings=settings,
        holiday_runs=_runs(holidays),
    )


def _runs(days: dict[Any, str]) -> list[tuple[Any, Any, str]]:
    """Consecutive holiday dates with the same name as (first, last, name)."""
    runs: list[tuple[Any, Any, str]] = []
    for day in sorted(days):
        if runs and runs[-1][1] + timedelta(days=1) == day and runs[-1][2] == days[day]:
            runs[-1] = (runs[-1][0], day, days[day])
        else:
            runs.append((day, day, days[day]))
    return runs


@bp.post("/hubs/<int:hub_id>/closures")
@login_required
def add_closure(hub_id: int) -> Any:
    hub = _coordinated_hub(hub_id)
    form = HubClosureForm()
    if form.validate_on_submit():
        try:
            closure = closures.add_hub_closure(
                hub.id,
                form.first_day.data,
                form.last_day.data,
                form.reason.data or "",
                current_principal(),
            )
        except DomainError as error:
            _show_error(form, error)
        else:
            return _after_closure(hub, closure)
    return _render_closures(hub, closure_form=form), 422


@bp.post("/hubs/<int:hub_id>/maintenance")
@login_required
def add_maintenance(hub_id: int) -> Any:
    hub = _coordinated_hub(hub_id)
    form = MaintenanceForm()
    form.resource_id.choices = options((r.id, r.name) for r in hub_resources(hub.id))
    if form.validate_on_submit():
        tz = zone(hub.timezone)
        start = datetime.combine(form.start_day.data, form.start_time.data, tzinfo=tz)
        end = datetime.combine(form.end_day.data, form.end_time.data, tzinfo=tz)
        try:
            closure = closures.add_maintenance(
                hub.id,
                form.resource_id.data,
                start,
                end,
                form.reason.data or "",
                current_principal(),
            )
        except DomainError as error:
            _show_error(form, error)
        else:
            return _after_closure(hub, closure)
    return _render_closures(hub, maintenance_form=form), 422


def _after_closure(hub: Hub, closure: Closure) -> Response:
    hits = closures.hub_conflicts(hub, key=f"closure:{closure.id}")
    if not hits:
        flash(_("Saved. No bookings are affected."), "success")
        return redirect(url_for("booking.closures_page", hub_id=hub.id))
    flash(
        ngettext(
            "Saved. %(num)d booking is affected: choose what to do with it.",
            "Saved. %(num)d bookings are affected: choose what to do with them.",
            len(hits),
        ),
        "warning",
    )
    return redirect(url_for("booking.conflicts", hub_id=hub.id, closure=closure.id))


@bp.post("/hubs/<int:hub_id>/closures/import")
@login_required
def import_closures(hub_id: int) -> Any:
    hub = _coordinated_hub(hub_id)
    form = ImportForm()
    if form.validate_on_submit():
        content = form.file.data.read(2 * 1024 * 1024 + 1)
        try:
            if len(content) > 2 * 1024 * 1024:
                from hubs.errors import InvalidInput

                raise InvalidInput(_("The file is larger than 2 MB."), field="file")
            result = closures.import_closures(hub.id, content, current_principal())
        except DomainError as error:
            _show_error(form, error)
        else:
            flash(
                _(
                    "%(added)d closures imported, %(known)d were already known.",
                    added=len(result.added),
                    known=result.already_known,
                ),
                "success",
            )
            return redirect(url_for("booking.conflicts", hub_id=hub.id))
    return _render_closures(hub, import_form=form), 422


@bp.post("/closures/<int:closure_id>/delete")
@login_required
def delete_closure(closure_id: int) -> Response:
    closure = get_or_404(Closure, closure_id)
    hub_id = closure.hub_id
    require(current_principal().coordinates(hub_id))
    if ConfirmForm().validate_on_submit():
        closures.delete_closure(closure.id, current_principal())
        flash(_("The closure has been removed."), "success")
    return redirect(url_for("booking.closures_page", hub_id=hub_id))


# --- the bookings they hit -------------------------------------------------------------


@bp.route("/hubs/<int:hub_id>/conflicts", methods=["GET", "POST"])
@login_required
def conflicts(hub_id: int) -> Any:
    """Coming bookings hit by closures, maintenance, shorter hours or an ended membership:
    cancel them (the bookers are mailed a link to rebook) or keep them."""
    hub = _coordinated_hub(hub_id)
    key = (
        f"closure:{request.args['closure']}" if request.args.get("closure", "").isdigit() else None
    )
    found = closures.hub_conflicts(hub, key=key)
    form = ResolveForm()
    form.booking_ids.choices = options((c.lead.id, str(c.lead.id)) for c in found)
    status = 200
    if form.validate_on_submit():
        chosen = list(form.booking_ids.data or [])
        if not chosen:
            form.booking_ids.errors = [_("Choose at least one booking.")]
            status = 422
        else:
            done = closures.resolve(
                hub, chosen, form.action.data, form.reason.data or "", current_principal()
            )
            flash(_message(form.action.data, done), "success")
            return redirect(url_for("booking.conflicts", hub_id=hub.id))
    elif form.is_submitted():
        status = 422
    if request.method == "GET":
        form.booking_ids.data = [c.lead.id for c in found]
    return render_template(
        "booking/conflicts.html", hub=hub, found=found, form=form, key=key
    ), status


def _message(action: str, done: int) -> str:
    if action == "keep":
        return ngettext("%(num)d booking kept.", "%(num)d bookings kept.", done)
    return ngettext(
        "%(num)d booking cancelled; the booker has been e-mailed.",
        "%(num)d bookings cancelled; the bookers have been e-mailed.",
        done,
    )


# --- settings and named periods --------------------------------------------------------


@bp.route("/hubs/<int:hub_id>/booking-settings", methods=["GET", "POST"])
@login_required
def settings(hub_id: int) -> Any:
    hub = _coordinated_hub(hub_id)
    current = calendar.hub_settings(hub.id)
    form = SettingsForm(obj=None if request.method == "POST" else current)
    resources = hub_resources(hub.id)
    form.approval_resource_ids.choices = options((r.id, r.name) for r in resources)
    if request.method == "GET":
        form.approval_resource_ids.data = configuration.approval_resource_ids(hub.id)
        form.holiday_region.data = str(current.holiday_region)
    status = 200
    if form.validate_on_submit():
        try:
            configuration.save_settings(hub.id, _settings_input(form), current_principal())
        except DomainError as error:
            _show_error(form, error)
            status = 422
        else:
            flash(_("The booking settings have been saved."), "success")
            return redirect(url_for("booking.settings", hub_id=hub.id))
    elif form.is_submitted():
        status = 422
    return _render_settings(hub, form), status


def _settings_input(form: SettingsForm) -> configuration.SettingsInput:
    return configuration.SettingsInput(
        uses_slots=bool(form.uses_slots.data),
        approval_required=bool(form.approval_required.data),
        cancel_deadline_hours=int(form.cancel_deadline_hours.data or 0),
        request_expiry_hours=int(form.request_expiry_hours.data or 0),
        close_on_school_holidays=bool(form.close_on_school_holidays.data),
        holiday_region=form.holiday_region.data or "midden",
        approval_resource_ids=list(form.approval_resource_ids.data or []),
    )


def _render_settings(hub: Hub, form: SettingsForm, slot_form: SlotForm | None = None) -> str:
    return render_template(
        "booking/settings.html",
        hub=hub,
        form=form,
        slot_form=slot_form or SlotForm(formdata=None),
        slots=calendar.slots_by_weekday(hub.id),
        weekdays=WEEKDAYS,
        confirm_form=ConfirmForm(),
    )


@bp.post("/hubs/<int:hub_id>/slots")
@login_required
def add_slot(hub_id: int) -> Any:
    hub = _coordinated_hub(hub_id)
    form = SlotForm()
    if form.validate_on_submit():
        try:
            configuration.add_slots(
                hub.id,
                list(form.weekdays.data or []),
                form.name.data or "",
                form.starts_at.data,
                form.ends_at.data,
                current_principal(),
            )
        except DomainError as error:
            _show_error(form, error)
        else:
            flash(_("The period has been added."), "success")
            return redirect(url_for("booking.settings", hub_id=hub.id))
    settings_form = SettingsForm(obj=calendar.hub_settings(hub.id), formdata=None)
    settings_form.approval_resource_ids.choices = options(
        (r.id, r.name) for r in hub_resources(hub.id)
    )
    settings_form.approval_resource_ids.data = configuration.approval_resource_ids(hub.id)
    return _render_settings(hub, settings_form, form), 422


@bp.post("/slots/<int:slot_id>/delete")
@login_required
def delete_slot(slot_id: int) -> Response:
    slot = get_or_404(Slot, slot_id)
    hub_id = slot.hub_id
    require(current_principal().coordinates(hub_id))
    if ConfirmForm().validate_on_submit():
        configuration.delete_slot(slot.id, current_principal())
        flash(_("The period has been removed."), "success")
    return redirect(url_for("booking.settings", hub_id=hub_id))
