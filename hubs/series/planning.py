"""Which dates of a series can be booked: free, taken (a conflict) or skipped.

Read-only, and a fixed number of queries for the whole series (not per date): the
closures, opening hours, memberships and bookings of the range are read once and every
date is judged in memory. A hub closure, a day the hub is closed and a school holiday (of
the hub when it closes for them, or of the booking school's region) skip a date; anything
else in the way — another booking, maintenance, the opening hours, the membership — makes
it a conflict the booker sees before committing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from hubs.access import Principal
from hubs.booking import calendar, rules
from hubs.booking.clock import day_bounds, hhmm, local_date
from hubs.booking.models import Booking
from hubs.errors import DomainError
from hubs.extensions import db
from hubs.locations.models import Hub, OpeningException, Resource
from hubs.organisations.models import Membership, Organisation

FREE, CONFLICT, SKIPPED = "free", "conflict", "skipped"


@dataclass
class Occurrence:
    """One date of the rule and its verdict. ``conflicts`` lists what holds the time, as
    far as the booker may know (other organisations' bookings: resource and time only)."""

    day: date
    start: datetime | None
    end: datetime | None
    state: str
    reason: str = ""
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    bundle_id: int | None = None  # when judging a move: the date's own booking

    @property
    def is_free(self) -> bool:
        return self.state == FREE


@dataclass
class Plan:
    """Every date of a series with its verdict, in date order."""

    hub: Hub
    resources: list[Resource]
    organisation: Organisation
    occurrences: list[Occurrence]
    # The machine-licence refusal of the dates it made conflicts (422 when all or nothing).
    licence_refusal: DomainError | None = None

    def having(self, state: str) -> list[Occurrence]:
        return [o for o in self.occurrences if o.state == state]

    @property
    def free(self) -> list[Occurrence]:
        return self.having(FREE)

    @property
    def conflicts(self) -> list[Occurrence]:
        return self.having(CONFLICT)

    @property
    def skipped(self) -> list[Occurrence]:
        return self.having(SKIPPED)


# A lesson: its date, and its (start, end) instants or why it cannot be (recurrence.lesson).
Lesson = tuple[date, tuple[datetime, datetime] | str]


@dataclass
class _Range:
    """Everything of the series' range the verdicts need, read once."""

    closures: list[Any]  # calendar.closures_between's rows
    blocked_holidays: list[calendar.Blocked]
    school_holidays: dict[date, str]
    closed_days: dict[date, str]
    spans: list[calendar.Span]
    memberships: list[Membership]
    bookings: list[tuple[Booking, dict[str, Any]]]


def judge(
    hub: Hub,
    resources: list[Resource],
    organisation: Organisation,
    lessons: Iterable[Lesson],
    actor: Principal,
    *,
    own_bundles: Iterable[int] = (),
    closed_is_conflict: bool = False,
) -> Plan:
    """The verdict on every lesson. ``own_bundles`` are bookings being moved (they do not
    conflict with themselves); with ``closed_is_conflict`` a closed date is a conflict
    rather than skipped (a booked date cannot be skipped any more)."""
    lessons = list(lessons)
    tz = rules.calendar_tz(hub)
    settings = calendar.hub_settings(hub.id)
    timed = [(d, when[0], when[1]) for d, when in lessons if not isinstance(when, str)]
    context = _read_range(
        hub, tz, settings, resources, organisation, timed, set(own_bundles), actor
    )
    grid: dict[int, str] = {}
    verdicts = []
    for day, when in lessons:
        if isinstance(when, str):
            occurrence = Occurrence(day, None, None, SKIPPED, when)
        else:
            occurrence = _judge_one(hub, tz, settings, resources, context, grid, day, *when)
        if closed_is_conflict and occurrence.state == SKIPPED:
            occurrence.state = CONFLICT
        verdicts.append(occurrence)
    return Plan(hub, resources, organisation, verdicts)


def _read_range(
    hub: Hub,
    tz: tzinfo,
    settings: calendar.SettingsView,
    resources: list[Resource],
    organisation: Organisation,
    timed: list[tuple[date, datetime, datetime]],
    own_bundles: set[int],
    actor: Principal,
) -> _Range:
    if not timed:
        return _Range([], [], {}, {}, [], [], [])
    start = min(s for _d, s, _e in timed)
    end = max(e for _d, _s, e in timed)
    first, last = min(d for d, _s, _e in timed), max(d for d, _s, _e in timed)
    ids = [r.id for r in resources]
    region = organisation.holiday_region
    bookings = [
        b for b in rules.find_conflicts(ids, start, end) if (b.bundle_id or b.id) not in own_bundles
    ]
    return _Range(
        closures=calendar.closures_between([hub.id], start, end, ids),
        blocked_holidays=(
            calendar.holiday_spans(str(settings.holiday_region), tz, start, end)
            if settings.close_on_school_holidays
            else []
        ),
        # Companies have no school region: only the hub's closures apply to them.
        school_holidays=calendar.school_holidays(str(region), first, last) if region else {},
        closed_days=_closed_days(hub.id, first, last),
        spans=calendar.open_spans(hub.id, tz, start, end),
        memberships=list(
            db.session.scalars(
                select(Membership).where(
                    Membership.hub_id == hub.id, Membership.organisation_id == organisation.id
                )
            )
        ),
        bookings=list(zip(bookings, rules.describe_conflicts(bookings, actor), strict=True)),
    )


def _closed_days(hub_id: int, first: date, last: date) -> dict[date, str]:
    """Dates the hub is closed all day by an exception to its opening hours."""
    rows = db.session.scalars(
        select(OpeningException).where(
            OpeningException.hub_id == hub_id,
            OpeningException.on_date >= first,
            OpeningException.on_date <= last,
        )
    ).all()
    open_days = {r.on_date for r in rows if not r.is_closed}
    return {r.on_date: r.note for r in rows if r.is_closed and r.on_date not in open_days}


def _judge_one(
    hub: Hub,
    tz: tzinfo,
    settings: calendar.SettingsView,
    resources: list[Resource],
    context: _Range,
    grid: dict[int, str],
    day: date,
    start: datetime,
    end: datetime,
) -> Occurrence:
    skipped = _skip_reason(hub, context, day, start, end)
    if skipped:
        return Occurrence(day, start, end, SKIPPED, skipped)
    problem = (
        _grid_problem(hub, settings, grid, day, start, end)
        or _hours_problem(hub, tz, context.spans, day, start, end)
        or _maintenance_problem(resources, context.closures, start, end)
        or _membership_problem(hub, context.memberships, day)
    )
    if problem:
        return Occurrence(day, start, end, CONFLICT, problem)
    taken = [item for b, item in context.bookings if b.start_at < end and start < b.end_at]
    if taken:
        return Occurrence(day, start, end, CONFLICT, _taken_text(taken, tz), taken)
    return Occurrence(day, start, end, FREE)


def _skip_reason(hub: Hub, context: _Range, day: date, start: datetime, end: datetime) -> str:
    for closure in context.closures:
        if closure.resource_id is None and closure.starts_at < end and start < closure.ends_at:
            return str(_l("Closure: %(reason)s", reason=closure.reason))
    if day in context.closed_days:
        note = context.closed_days[day]
        return str(_l("Closure: %(reason)s", reason=note)) if note else str(_l("Hub closed"))
    for blocked in context.blocked_holidays:
        if blocked.start < end and start < blocked.end:
            return str(_l("School holiday: %(name)s", name=blocked.reason))
    if day in context.school_holidays:
        return str(_l("School holiday: %(name)s", name=context.school_holidays[day]))
    return ""


def _grid_problem(
    hub: Hub,
    settings: calendar.SettingsView,
    grid: dict[int, str],
    day: date,
    start: datetime,
    end: datetime,
) -> str:
    # The local times are the same on every date: the answer depends on the weekday only.
    if day.weekday() not in grid:
        try:
            rules.check_grid(hub, settings, start, end)
        except DomainError as error:
            grid[day.weekday()] = str(error.message)
        else:
            grid[day.weekday()] = ""
    return grid[day.weekday()]


def _hours_problem(
    hub: Hub, tz: tzinfo, spans: list[calendar.Span], day: date, start: datetime, end: datetime
) -> str:
    if calendar.within(start, end, spans):
        return ""
    day_start, day_end = day_bounds(day, tz)
    today = [(s, e) for s, e in spans if s < day_end and day_start < e]
    if not today:
        return str(_l("%(hub)s is closed that day.", hub=hub.name))
    hours = ", ".join(
        f"{hhmm(max(s, day_start), tz)}–{hhmm(min(e, day_end), tz)}" for s, e in today
    )
    return str(_l("Outside the opening hours (open %(hours)s).", hours=hours))


def _maintenance_problem(
    resources: list[Resource], closures: list[Any], start: datetime, end: datetime
) -> str:
    names = {r.id: r.name for r in resources}
    for closure in closures:
        if closure.resource_id in names and closure.starts_at < end and start < closure.ends_at:
            return str(
                _l(
                    "Maintenance of %(resource)s: %(reason)s",
                    resource=names[closure.resource_id],
                    reason=closure.reason,
                )
            )
    return ""


def _membership_problem(hub: Hub, memberships: list[Membership], day: date) -> str:
    if any(m.is_active_on(day) for m in memberships):
        return ""
    return str(_l("No active membership of %(hub)s on this date.", hub=hub.name))


def _taken_text(taken: list[dict[str, Any]], tz: tzinfo) -> str:
    parts = []
    for item in taken:
        times = f"{hhmm(item['start'], tz)}–{hhmm(item['end'], tz)}"
        if local_date(item["start"], tz) != local_date(item["end"], tz):
            times = str(_l("until %(day)s", day=local_date(item["end"], tz).strftime("%d-%m")))
        if "group_name" in item:
            parts.append(
                str(
                    _l(
                        "%(resource)s is booked for %(group)s (%(times)s)",
                        resource=item["resource"],
                        group=item["group_name"],
                        times=times,
                    )
                )
            )
        else:
            parts.append(
                str(_l("%(resource)s is taken (%(times)s)", resource=item["resource"], times=times))
            )
    return "; ".join(parts)


def mark_unlicensed(plan: Plan, refusals: dict[date, Any]) -> None:
    """Free dates on which someone named holds no valid machine licence become conflicts
    with the refusal's message (``refusals``: per local date, checks.refusals_by_day)."""
    from hubs.licences import checks

    refused = []
    for occurrence in plan.occurrences:
        refusal = refusals.get(occurrence.day)
        if refusal is not None and occurrence.state != SKIPPED:
            occurrence.state = CONFLICT
            occurrence.reason = str(refusal.message)
            refused.append(refusal)
    if refused:
        plan.licence_refusal = checks.merge_refusals(refused)


def occurrence_json(occurrence: Occurrence, tz: tzinfo) -> dict[str, Any]:
    """An occurrence as the API shows it (times in the hub's zone, with offset)."""
    return {
        "date": occurrence.day.isoformat(),
        "start": occurrence.start.astimezone(tz).isoformat() if occurrence.start else None,
        "end": occurrence.end.astimezone(tz).isoformat() if occurrence.end else None,
        "state": occurrence.state,
        "reason": occurrence.reason,
        "conflicts": [
            {
                **c,
                "start": c["start"].astimezone(tz).isoformat(),
                "end": c["end"].astimezone(tz).isoformat(),
            }
            for c in occurrence.conflicts
        ],
    }
