"""Change or cancel a series: one date, this date and the following, or all of them.

Only coming dates change. One date is an ordinary booking (the booking core changes or
cancels it, with its own message). Several dates change in one unit of work: each moved
date is checked like a new booking (closures, opening hours, maintenance, other bookings;
the database's guarantee holds), and if any date cannot take the change nothing changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from hubs.access import Principal
from hubs.booking import calendar, rules, services
from hubs.booking.clock import local_date, zone
from hubs.booking.errors import AlreadyHandled, SlotTaken
from hubs.booking.models import ACTIVE_STATUSES, Booking, BookingStatus, LearnerCategory, Level
from hubs.booking.services.common import expiry, flush, jsonable
from hubs.db import transactional, utcnow
from hubs.errors import InvalidInput, NotAllowed
from hubs.extensions import db
from hubs.licences import checks
from hubs.series import notify
from hubs.series.errors import SeriesChangeRefused
from hubs.series.models import BookingSeries
from hubs.series.planning import CONFLICT, Plan, judge
from hubs.series.recurrence import lesson
from hubs.series.services.common import (
    Dated,
    Selection,
    load_series,
    lock_resources,
    select_dates,
)
from hubs.series.services.split import split_series

GROUP_FIELDS = ("group_name", "group_size", "learner_category", "level", "purpose", "notes")


# --- cancel ----------------------------------------------------------------------------


@transactional
def cancel_series(
    series_id: int, scope: str, booking_id: int | None, actor: Principal, reason: str = ""
) -> Selection:
    """Cancel one coming date, this date and the following, or all coming dates.

    Returns what was cancelled and what was kept (begun, or past the booker's deadline).
    One message lists the cancelled dates (one date: the booking's own message)."""
    series = load_series(series_id, lock=True)
    selection = select_dates(series, scope, booking_id, actor, utcnow())
    _require_some(selection, _l("Nothing to cancel: no coming date of this series is booked."))
    reason = reason.strip()[:300]
    if scope == "occurrence":
        services.cancel_booking(selection.changed[0].lead.id, actor, reason)
        return selection
    ids = [item.lead.id for item in selection.changed]
    db.session.execute(
        update(Booking)
        .where(Booking.bundle_id.in_(ids), Booking.status.in_(ACTIVE_STATUSES))
        .values(
            status=BookingStatus.CANCELLED,
            cancel_reason=reason,
            updated_at=utcnow(),
            version=Booking.version + 1,
        )
        .execution_options(synchronize_session=False)
    )
    for item in selection.changed:
        services.record(item.lead, actor.user_id, "cancelled", {"series_id": series.id}, reason)
    notify.send(
        series,
        "cancelled",
        [
            (_l("Cancelled dates"), [notify.line_of(i.lead) for i in selection.changed]),
            (_l("Not cancelled"), [notify.line_of(i.lead, note) for i, note in selection.kept]),
        ],
        [i.lead for i in selection.changed],
        reason=reason,
    )
    return selection


def _require_some(selection: Selection, nothing: Any) -> None:
    if selection.changed:
        return
    if selection.kept:
        raise NotAllowed(selection.kept[0][1])
    raise AlreadyHandled(nothing)


# --- change ----------------------------------------------------------------------------


@dataclass
class SeriesChange:
    """New local times (both or neither) and/or group details; None leaves a field."""

    start_time: time | None = None
    end_time: time | None = None
    group_name: str | None = None
    group_size: int | None = None
    learner_category: str | None = None
    level: str | None = None
    clear_level: bool = False
    purpose: str | None = None
    notes: str | None = None

    @property
    def moves(self) -> bool:
        return self.start_time is not None


def change_series(
    series_id: int, scope: str, booking_id: int | None, change: SeriesChange, actor: Principal
) -> Selection:
    """Move coming dates to new local times (each on its own date) and/or change their
    group. Every moved date is checked like a new booking; if one cannot move, nothing
    changes (SeriesChangeRefused lists those dates). One message lists the changes."""
    try:
        return _change(series_id, scope, booking_id, change, actor)
    except services.Overlap:
        raise SlotTaken(
            _l("A date was just booked by someone else. Nothing was changed; please try again.")
        ) from None


@transactional
def _change(
    series_id: int, scope: str, booking_id: int | None, change: SeriesChange, actor: Principal
) -> Selection:
    series = load_series(series_id, lock=True)
    if change.moves:
        lock_resources(list(series.resource_ids))
    now = utcnow()
    _check_times(change)
    selection = select_dates(series, scope, booking_id, actor, now)
    _require_some(selection, _l("Nothing to change: no coming date of this series is booked."))
    items = selection.changed
    resources = [r.resource for r in items[0].rows]
    _check_group(series, change, items[0].lead, resources)
    targets = _targets(series, items, change)
    if change.moves:
        _check_moves(series, items, targets, resources, actor, now)
    if scope == "occurrence":
        _change_one(items[0], targets[items[0].lead.id], change, actor)
        return selection
    settings = calendar.hub_settings(series.hub_id)
    changed = []
    for item in items:
        diff = _diff(item.lead, targets[item.lead.id], change)
        if diff:
            _apply(item, targets[item.lead.id], change, settings, actor, now, diff)
            changed.append((item, diff))
    flush()
    if scope == "following" and changed:
        series = split_series(series, _first_day(selection), now)
    for item, diff in changed:
        action = "moved" if "start" in diff else "edited"
        services.record(item.lead, actor.user_id, action, {"series_id": series.id, **diff})
    _update_series(series, change, now)
    if changed:
        notify.send(
            series,
            "changed",
            [
                (_l("Changed dates"), [notify.line_of(i.lead) for i, _diff in changed]),
                (_l("Not changed"), [notify.line_of(i.lead, note) for i, note in selection.kept]),
            ],
            [i.lead for i, _diff in changed],
        )
    return Selection([i for i, _diff in changed], selection.kept, series.id)


def _first_day(selection: Selection) -> date:
    days = [i.occurrence.on_date for i in selection.changed]
    return min(days + [i.occurrence.on_date for i, _note in selection.kept])


def _check_times(change: SeriesChange) -> None:
    if (change.start_time is None) != (change.end_time is None):
        field = "end_time" if change.end_time is None else "start_time"
        raise InvalidInput(_l("Give both the start time and the end time."), field=field)
    start, end = change.start_time, change.end_time
    if start is not None and end is not None and end <= start:
        raise InvalidInput(_l("The end must be after the start."), field="end_time")


def _merged(change: SeriesChange, lead: Booking, name: str) -> Any:
    if name == "level" and change.clear_level:
        return None
    value = getattr(change, name)
    return jsonable(getattr(lead, name)) if value is None else value


def _check_group(
    series: BookingSeries, change: SeriesChange, lead: Booking, resources: list[Any]
) -> None:
    merged = rules.BookingInput(
        resource_ids=[],
        start=lead.start_at,
        end=lead.end_at,
        **{name: _merged(change, lead, name) for name in GROUP_FIELDS},
    )
    errors = rules.group_errors(merged, resources)
    if errors:
        raise InvalidInput(fields=errors)


def _targets(
    series: BookingSeries, items: list[Dated], change: SeriesChange
) -> dict[int, tuple[datetime, datetime] | str]:
    """Each date's new instants: its own local date at the new local times (DST-proof)."""
    tz = zone(series.timezone)
    targets: dict[int, tuple[datetime, datetime] | str] = {}
    for item in items:
        if change.start_time is None or change.end_time is None:
            targets[item.lead.id] = (item.lead.start_at, item.lead.end_at)
        else:
            day = local_date(item.lead.start_at, tz)
            targets[item.lead.id] = lesson(day, change.start_time, change.end_time, tz)
    return targets


def _check_moves(
    series: BookingSeries,
    items: list[Dated],
    targets: dict[int, tuple[datetime, datetime] | str],
    resources: list[Any],
    actor: Principal,
    now: datetime,
) -> None:
    tz = zone(series.timezone)
    lessons = [(local_date(i.lead.start_at, tz), targets[i.lead.id]) for i in items]
    plan = judge(
        series.hub,
        resources,
        series.organisation,
        lessons,
        actor,
        own_bundles=[i.lead.id for i in items],
        closed_is_conflict=True,
    )
    for occurrence in plan.occurrences:
        if occurrence.start is not None and occurrence.start < now:
            occurrence.state = CONFLICT
            occurrence.reason = str(_l("This time is in the past."))
    _recheck_licences(plan, items, resources)
    if plan.conflicts:
        raise SeriesChangeRefused(plan)


def _recheck_licences(plan: Plan, items: list[Dated], resources: list[Any]) -> None:
    """A moved date's named people must still hold valid licences on it (as a moved
    booking): a date where they do not becomes a conflict with the reason."""
    kinds = checks.required_kinds(resources)
    holders = checks.holders_of([i.lead.id for i in items]) if kinds else {}
    groups: dict[tuple[int, ...], list[int]] = {}
    for index, item in enumerate(items):
        if item.lead.id in holders:
            groups.setdefault(tuple(sorted(holders[item.lead.id])), []).append(index)
    for people, indexes in groups.items():
        days = [plan.occurrences[i].day for i in indexes]
        refusals = checks.refusals_by_day(list(people), kinds, days)
        for i in indexes:
            refusal = refusals.get(plan.occurrences[i].day)
            if refusal is not None:
                plan.occurrences[i].state = CONFLICT
                plan.occurrences[i].reason = str(refusal.message)


def _change_one(
    item: Dated, target: tuple[datetime, datetime] | str, change: SeriesChange, actor: Principal
) -> None:
    assert not isinstance(target, str)
    services.change_booking(
        item.lead.id,
        services.BookingChange(
            start=target[0],
            end=target[1],
            **{name: getattr(change, name) for name in GROUP_FIELDS},
            clear_level=change.clear_level,
        ),
        actor,
    )


def _diff(
    lead: Booking, target: tuple[datetime, datetime] | str, change: SeriesChange
) -> dict[str, Any]:
    """What changes on one date, as the audit trail records it (empty: nothing)."""
    assert not isinstance(target, str)
    diff: dict[str, Any] = {}
    if target != (lead.start_at, lead.end_at):
        diff["start"] = [lead.start_at.isoformat(), target[0].isoformat()]
        diff["end"] = [lead.end_at.isoformat(), target[1].isoformat()]
    for name in GROUP_FIELDS:
        old, new = jsonable(getattr(lead, name)), _merged(change, lead, name)
        new = new.strip() if isinstance(new, str) and name != "level" else new
        if (old or None) != (new or None):
            diff[name] = [old, new]
    return diff


def _apply(
    item: Dated,
    target: tuple[datetime, datetime] | str,
    change: SeriesChange,
    settings: calendar.SettingsView,
    actor: Principal,
    now: datetime,
    diff: dict[str, Any],
) -> None:
    """Write the change to one date's rows (a booker's move may need approval again)."""
    assert not isinstance(target, str)
    lead = item.lead
    values = {name: _merged(change, lead, name) for name in GROUP_FIELDS}
    again = "start" in diff and _needs_approval_again(lead, settings, item, actor)
    if again:
        diff["status"] = [BookingStatus.CONFIRMED.value, BookingStatus.REQUESTED.value]
    for row in item.rows:
        row.start_at, row.end_at = target
        row.group_name = str(values["group_name"]).strip()
        row.group_size = int(values["group_size"])
        row.learner_category = LearnerCategory(values["learner_category"])
        row.level = Level(values["level"]) if values["level"] else None
        row.purpose = str(values["purpose"] or "").strip()
        row.notes = str(values["notes"] or "").strip()
        row.version += 1
        row.updated_at = now
        if again:
            row.status = BookingStatus.REQUESTED
            row.expires_at = expiry(settings, now, target[0])


def _needs_approval_again(
    lead: Booking, settings: calendar.SettingsView, item: Dated, actor: Principal
) -> bool:
    """A booker who moves a confirmed date that needs approval asks again (as for one
    booking)."""
    return (
        lead.status == BookingStatus.CONFIRMED
        and rules.needs_approval(settings, [r.resource for r in item.rows])
        and not actor.coordinates(lead.hub_id)
    )


def _update_series(series: BookingSeries, change: SeriesChange, now: datetime) -> None:
    """The series describes its coming dates: it takes the new times and group."""
    if change.start_time is not None and change.end_time is not None:
        series.start_time, series.end_time = change.start_time, change.end_time
    for name in ("group_name", "group_size", "purpose"):
        value = getattr(change, name)
        if value is not None:
            setattr(series, name, value.strip() if isinstance(value, str) else value)
    if change.learner_category is not None:
        series.learner_category = LearnerCategory(change.learner_category)
    if change.clear_level or change.level is not None:
        series.level = Level(change.level) if change.level else None
    series.updated_at = now
