"""Move and edit a bundle: a move re-checks every rule a new booking must meet."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l

from hubs.access import Principal
from hubs.booking import calendar, owners, programmes, rules
from hubs.booking.errors import AlreadyHandled
from hubs.booking.models import (
    Booking,
    BookingStatus,
    LearnerCategory,
    Level,
)
from hubs.booking.notify import notify
from hubs.booking.services import regroup
from hubs.booking.services.common import (
    Overlap,
    bundle_rows,
    check_when,
    expiry,
    flush,
    jsonable,
    record,
    refusal_to_change,
    with_conflicts,
)
from hubs.db import transactional, utcnow
from hubs.errors import InvalidInput, NotAllowed
from hubs.extensions import db
from hubs.licences import checks
from hubs.locations.models import Hub

BookingInput = rules.BookingInput


@dataclass
class BookingChange:
    """A move and/or an edit; None leaves a field as it is."""

    start: datetime | None = None
    end: datetime | None = None
    group_name: str | None = None
    group_size: int | None = None
    learner_category: str | None = None
    level: str | None = None
    purpose: str | None = None
    notes: str | None = None
    clear_level: bool = False
    programme_id: int | None = None
    clear_programme: bool = False
    # Other rooms and machines (the whole bundle, at the booking's hub), and for licensed
    # machines who uses them or the instructor's supervision (None: as recorded).
    resource_ids: list[int] | None = None
    learner_ids: list[int] | None = None
    learner_references: list[str] | None = None
    supervised: bool | None = None


# --- change: move and edit -------------------------------------------------------------

_EDITABLE = (
    "group_name",
    "group_size",
    "learner_category",
    "level",
    "purpose",
    "notes",
    "programme_id",
)


def change_booking(booking_id: int, change: BookingChange, actor: Principal) -> Booking:
    """Move and/or edit a bundle. A move re-checks everything a new booking must meet."""
    try:
        return _change(booking_id, change, actor)
    except Overlap:
        rows = bundle_rows(booking_id)
        start = change.start or rows[0].start_at
        end = change.end or rows[0].end_at
        ids = change.resource_ids or [r.resource_id for r in rows]
        raise with_conflicts(ids, start, end, actor, rows[0].bundle_id) from None


@transactional
def _change(booking_id: int, change: BookingChange, actor: Principal) -> Booking:
    rows = bundle_rows(booking_id, lock=True)
    lead = rows[0]
    now = utcnow()
    hub = db.session.get(Hub, lead.hub_id)
    assert hub is not None
    settings = calendar.hub_settings(hub.id)
    _may_change(lead, actor, now, settings)
    merged = _merged_input(lead, change, change.start or lead.start_at, change.end or lead.end_at)
    moving = (merged.start, merged.end) != (lead.start_at, lead.end_at)
    resources = regroup.new_resources(lead, rows, change.resource_ids)
    regrouping = resources is not None
    resources = resources or [r.resource for r in rows]
    _check_input(merged, resources, moving or regrouping, now, hub.id)
    diff = _diff(lead, merged)
    replanning = regrouping or any(
        value is not None
        for value in (change.learner_ids, change.learner_references, change.supervised)
    )
    plan = regroup.plan(lead, change, merged, resources, hub, actor) if replanning else None
    if regrouping:
        diff["resource_ids"] = [[r.resource_id for r in rows], [r.id for r in resources]]
    if plan is not None:
        diff.update(regroup.plan_diff(lead, plan))
    if not diff:
        return lead
    if moving or regrouping:
        _check_move(lead, hub, settings, resources, merged, actor, recheck_licences=plan is None)
    _apply(rows, merged, now)
    if regrouping:
        rows = regroup.apply(lead, rows, resources, now)
    if plan is not None:
        regroup.record(lead, plan, actor)
    supervised_now = plan is not None and "supervised" in diff and plan.supervised
    if (moving or regrouping or supervised_now) and _needs_approval_again(
        lead, settings, resources, actor, supervised_now
    ):
        for row in rows:
            row.status = BookingStatus.REQUESTED
            row.expires_at = expiry(settings, now, merged.start)
        diff["status"] = [BookingStatus.CONFIRMED.value, BookingStatus.REQUESTED.value]
    flush()
    record(lead, actor.user_id, "moved" if moving or regrouping else "edited", diff)
    if moving or regrouping:
        owners.moved(lead)
        notify(lead, "moved", rows=rows, changes=diff)
    return lead


def _may_change(
    lead: Booking, actor: Principal, now: datetime, settings: calendar.SettingsView
) -> None:
    if not lead.is_active:
        raise AlreadyHandled(
            _l("This booking is %(status)s and cannot be changed.", status=lead.status.label)
        )
    refusal = refusal_to_change(lead, actor, now, settings)
    if refusal is not None:
        raise NotAllowed(refusal)


def _check_input(
    merged: BookingInput, resources: list[Any], moving: bool, now: datetime, hub_id: int
) -> None:
    errors: dict[str, list[Any]] = {}
    if moving:
        try:
            rules.check_times(merged.start, merged.end, now)
        except InvalidInput as exc:
            errors.update(exc.fields)
    errors.update(rules.group_errors(merged, resources))
    if merged.programme_id != merged.extra.get("old_programme_id"):
        # A programme that has since ended may stay on the visits it had.
        errors.update(
            programmes.programme_errors(merged.programme_id, hub_id, merged.learner_category)
        )
    if errors:
        raise InvalidInput(fields=errors)


def _check_move(
    lead: Booking,
    hub: Hub,
    settings: calendar.SettingsView,
    resources: list[Any],
    merged: BookingInput,
    actor: Principal,
    *,
    recheck_licences: bool = True,
) -> None:
    """Everything a new booking at the new time and on these resources must meet (its own
    rows aside)."""
    rules.check_membership(lead.organisation, hub, merged.start, merged.end)
    if recheck_licences:
        days = checks.booking_days(merged.start, merged.end, rules.calendar_tz(hub))
        checks.recheck_move(lead.bundle_id or lead.id, days)
    check_when(hub, settings, resources, merged.start, merged.end)
    ids = [r.id for r in resources]
    conflicts = rules.find_conflicts(ids, merged.start, merged.end, lead.bundle_id)
    if conflicts:
        raise rules.slot_taken(rules.describe_conflicts(conflicts, actor), rules.calendar_tz(hub))


def _needs_approval_again(
    lead: Booking,
    settings: calendar.SettingsView,
    resources: list[Any],
    actor: Principal,
    supervised_now: bool = False,
) -> bool:
    """A booker who moves a confirmed booking that needs approval asks again; so does one
    who now asks for the instructor's supervision (a coordinator confirms it)."""
    return (
        lead.status == BookingStatus.CONFIRMED
        and (rules.needs_approval(settings, resources) or supervised_now)
        and not actor.coordinates(lead.hub_id)
    )


def _merged_input(lead: Booking, change: BookingChange, start: datetime, end: datetime) -> Any:
    def pick(name: str) -> Any:
        value = getattr(change, name)
        return getattr(lead, name) if value is None else value

    level = None if change.clear_level else pick("level")
    programme_id = None if change.clear_programme else pick("programme_id")
    return BookingInput(
        resource_ids=[],
        start=start,
        end=end,
        group_name=pick("group_name"),
        group_size=pick("group_size"),
        learner_category=jsonable(pick("learner_category")),
        level=jsonable(level),
        purpose=pick("purpose"),
        notes=pick("notes"),
        programme_id=programme_id,
        extra={"old_programme_id": lead.programme_id},
    )


def _diff(lead: Booking, merged: BookingInput) -> dict[str, list[Any]]:
    diff: dict[str, list[Any]] = {}
    for name, old_at, new_at in (
        ("start", lead.start_at, merged.start),
        ("end", lead.end_at, merged.end),
    ):
        if old_at != new_at:
            diff[name] = [old_at.isoformat(), new_at.isoformat()]
    for name in _EDITABLE:
        old = jsonable(getattr(lead, name))
        new = getattr(merged, name)
        new = new.strip() if isinstance(new, str) and name != "level" else new
        if (old or None) != (new or None):
            diff[name] = [old, new]
    return diff


def _apply(rows: list[Booking], merged: BookingInput, now: datetime) -> None:
    for row in rows:
        row.start_at = merged.start
        row.end_at = merged.end
        row.group_name = merged.group_name.strip()
        row.group_size = merged.group_size or row.group_size
        row.learner_category = LearnerCategory(merged.learner_category or "")
        row.level = Level(merged.level) if merged.level else None
        row.purpose = (merged.purpose or "").strip()
        row.notes = (merged.notes or "").strip()
        row.programme_id = merged.programme_id
        row.version += 1
        row.updated_at = now
