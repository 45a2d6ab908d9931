"""What is free: free intervals per resource, the week view of a hub, "free anywhere".

Reads only, with a fixed number of queries per call (never one per resource or day).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import bindparam, func, or_, select, text
from sqlalchemy.orm import selectinload

from hubs.access import Principal
from hubs.booking import calendar
from hubs.booking.calendar import Blocked, Span
from hubs.booking.clock import day_bounds, hhmm, wall_end, wall_start, zone
from hubs.booking.models import (
    ACTIVE_SQL,
    DEFAULT_SETTINGS,
    MAX_DURATION,
    Booking,
    Closure,
    HubBookingSettings,
    Slot,
    active_overlapping,
)
from hubs.db import UTCDateTime, utcnow
from hubs.extensions import db
from hubs.locations.models import Hub, OpeningException, OpeningHours, Resource
from hubs.locations.services import opening_intervals


def active_bookings(resource_ids: list[int], start: datetime, end: datetime) -> list[Booking]:
    return list(
        db.session.scalars(
            select(Booking)
            .where(*active_overlapping(resource_ids, start, end))
            .options(selectinload(Booking.organisation))
            .order_by(Booking.start_at)
        )
    )


# free_intervals runs for every availability answer: its statements are built once, on
# the tables' columns (no ORM entities), with bound parameters, so SQLAlchemy finds them
# in its compiled cache without rebuilding them, and the rows come back as bare tuples.
_B = Booking.__table__.c
_BUSY = select(_B.resource_id, _B.start_at, _B.end_at).where(
    text(ACTIVE_SQL),
    _B.start_at < bindparam("end", type_=UTCDateTime()),
    _B.start_at > bindparam("earliest", type_=UTCDateTime()),
    _B.end_at > bindparam("start", type_=UTCDateTime()),
)
_BUSY_ONE = _BUSY.where(_B.resource_id == bindparam("resource_id"))
_BUSY_MANY = _BUSY.where(_B.resource_id.in_(bindparam("resource_ids", expanding=True)))
_H, _S = Hub.__table__.c, HubBookingSettings.__table__.c
_HUBS = (
    select(
        _H.id, _H.timezone, _S.hub_id.label("settings_hub_id"), *(_S[k] for k in DEFAULT_SETTINGS)
    )
    .select_from(Hub.__table__.outerjoin(HubBookingSettings.__table__, _S.hub_id == _H.id))
    .where(_H.id.in_(bindparam("hub_ids", expanding=True)))
)
_C = Closure.__table__.c
_CLOSURES = (
    select(_C.id, _C.hub_id, _C.resource_id, _C.starts_at, _C.ends_at, _C.reason)
    .where(
        _C.hub_id.in_(bindparam("hub_ids", expanding=True)),
        _C.starts_at < bindparam("end", type_=UTCDateTime()),
        _C.ends_at > bindparam("start", type_=UTCDateTime()),
        or_(
            _C.resource_id.is_(None), _C.resource_id.in_(bindparam("resource_ids", expanding=True))
        ),
    )
    .order_by(_C.starts_at)
)


def busy_spans(resource_ids: list[int], start: datetime, end: datetime) -> dict[int, list[Span]]:
    """Per resource, the active bookings overlapping ``[start, end)`` as bare intervals
    (the bound on ``start_at`` is :func:`models.active_overlapping`'s: no booking is
    longer than ``MAX_DURATION``, so the index range covers the interval only)."""
    busy: dict[int, list[Span]] = defaultdict(list)
    params: dict[str, Any] = {"start": start, "end": end, "earliest": start - MAX_DURATION}
    if len(resource_ids) == 1:
        stmt, params["resource_id"] = _BUSY_ONE, resource_ids[0]
    else:
        stmt, params["resource_ids"] = _BUSY_MANY, list(resource_ids)
    for resource_id, s, e in db.session.execute(stmt, params):
        busy[resource_id].append((s, e))
    return busy


def _zones_and_settings(hub_ids: list[int]) -> tuple[dict[int, str], dict[int, Any]]:
    """The hubs' time zones and booking settings, in one query."""
    rows = db.session.execute(_HUBS, {"hub_ids": hub_ids}).all()
    zones = {row.id: row.timezone for row in rows}
    settings = {
        row.id: calendar.SettingsView(row.id, row if row.settings_hub_id is not None else None)
        for row in rows
    }
    return zones, settings


def _closures(hub_ids: list[int], resource_ids: list[int], start: datetime, end: datetime) -> Any:
    """What :func:`calendar.closures_between` gives, as rows with the same names."""
    params = {"hub_ids": hub_ids, "resource_ids": resource_ids, "start": start, "end": end}
    return db.session.execute(_CLOSURES, params).all()


def free_intervals(
    resources: list[Resource], start: datetime, end: datetime
) -> dict[int, list[Span]]:
    """Per resource: the free parts of ``[start, end)`` — open, not closed, not booked."""
    result: dict[int, list[Span]] = {}
    by_hub: dict[int, list[Resource]] = defaultdict(list)
    for r in resources:
        by_hub[r.hub_id].append(r)
    zones, settings = _zones_and_settings(list(by_hub))
    ids = [r.id for r in resources]
    closures = _closures(list(by_hub), ids, start, end)
    bookings = busy_spans(ids, start, end)
    for hub_id, hub_resources in by_hub.items():
        tz = zone(zones[hub_id])
        spans = [
            (max(s, start), min(e, end)) for s, e in calendar.open_spans(hub_id, tz, start, end)
        ]
        blocked = calendar.blocked_between(hub_id, tz, settings[hub_id], start, end, closures)
        for r in hub_resources:
            holes = [(b.start, b.end) for b in blocked if b.applies_to(r.id)] + bookings[r.id]
            result[r.id] = calendar.subtract(spans, holes)
    return result


# --- the week view ---------------------------------------------------------------------

FREE, PAST, MINE, BOOKED, BUSY, CLOSED, OUTSIDE = (
    "free",
    "past",
    "mine",
    "booked",
    "busy",
    "closed",
    "outside",
)


@dataclass
class Segment:
    """One block of a resource's day: free, booked (mine / others' / "bezet"), closed or
    outside the opening hours. ``name`` is its full accessible name."""

    start: datetime
    end: datetime
    state: str
    text: str = ""
    name: str = ""
    booking: Booking | None = None
    slot: str = ""


@dataclass
class Day:
    day: date
    holiday: str = ""
    closed_note: str = ""


@dataclass
class WeekRow:
    resource: Resource
    cells: list[list[Segment]] = field(default_factory=list)


@dataclass
class Week:
    hub: Hub
    monday: date
    days: list[Day]
    rows: list[WeekRow]
    uses_slots: bool

    @property
    def number(self) -> int:
        return self.monday.isocalendar().week

    @property
    def year(self) -> int:
        return self.monday.isocalendar().year

    @property
    def first(self) -> date:
        return self.days[0].day if self.days else self.monday

    @property
    def last(self) -> date:
        return self.days[-1].day if self.days else self.monday + timedelta(days=6)


@dataclass
class _Context:
    hub: Hub
    tz: tzinfo
    principal: Principal
    now: datetime
    blocked: list[Blocked]
    bookings: dict[int, list[Booking]]
    intervals: dict[date, list[tuple[time, time]]]
    slots: dict[int, list[Slot]]
    frame: tuple[time, time]


def week_view(hub: Hub, monday: date, principal: Principal) -> Week:
    """Resources as rows, the hub's opening days as columns, each cell a list of segments."""
    tz = zone(hub.timezone)
    sunday = monday + timedelta(days=6)
    start, end = day_bounds(monday, tz)[0], day_bounds(sunday, tz)[1]
    settings = calendar.hub_settings(hub.id)
    intervals = opening_intervals(hub.id, monday, sunday)
    weekly = set(
        db.session.scalars(select(OpeningHours.weekday).where(OpeningHours.hub_id == hub.id))
    )
    notes = _exception_notes(hub.id, monday, sunday)
    holidays = calendar.school_holidays(str(settings.holiday_region), monday, sunday)
    days = [
        Day(d, holidays.get(d, ""), notes.get(d, ""))
        for d in (monday + timedelta(days=i) for i in range(7))
        if d.weekday() in weekly or intervals.get(d)
    ]
    from hubs.booking.queries import hub_resources

    resources = hub_resources(hub.id)
    closures = calendar.all_closures_between([hub.id], start, end)
    by_resource: dict[int, list[Booking]] = defaultdict(list)
    for b in active_bookings([r.id for r in resources], start, end):
        by_resource[b.resource_id].append(b)
    ctx = _Context(
        hub=hub,
        tz=tz,
        principal=principal,
        now=utcnow(),
        blocked=calendar.blocked_between(hub.id, tz, settings, start, end, closures),
        bookings=by_resource,
        intervals=intervals,
        slots=calendar.slots_by_weekday(hub.id) if settings.uses_slots else {},
        frame=_frame(hub.id, [intervals.get(d.day, []) for d in days]),
    )
    rows = [WeekRow(r, [_cell(ctx, r, d) for d in days]) for r in resources]
    return Week(hub, monday, days, rows, settings.uses_slots)


def _exception_notes(hub_id: int, first: date, last: date) -> dict[date, str]:
    rows = db.session.execute(
        select(OpeningException.on_date, func.max(OpeningException.note))
        .where(
            OpeningException.hub_id == hub_id,
            OpeningException.on_date >= first,
            OpeningException.on_date <= last,
            OpeningException.opens_at.is_(None),
        )
        .group_by(OpeningException.on_date)
    ).all()
    return {day: note for day, note in rows}


def _frame(hub_id: int, day_intervals: list[list[tuple[time, time]]]) -> tuple[time, time]:
    """The week's earliest opening and latest closing: every day is drawn on this frame."""
    flat = [iv for ivs in day_intervals for iv in ivs]
    if not flat:
        flat = list(
            db.session.execute(
                select(OpeningHours.opens_at, OpeningHours.closes_at).where(
                    OpeningHours.hub_id == hub_id
                )
            )
        )
    if not flat:
        return time(8), time(17)
    return min(o for o, _c in flat), max(c for _o, c in flat)


def _cell(ctx: _Context, resource: Resource, day: Day) -> list[Segment]:
    slots = ctx.slots.get(day.day.weekday(), [])
    if slots:
        segments = [_slot_segment(ctx, resource, day, s) for s in slots]
    else:
        segments = _free_grid_segments(ctx, resource, day)
    for seg in segments:
        seg.name = _accessible_name(ctx, resource, seg)
    return segments


def _open_spans(ctx: _Context, d: date) -> list[Span]:
    return [(wall_start(d, o, ctx.tz), wall_end(d, c, ctx.tz)) for o, c in ctx.intervals.get(d, [])]


def _slot_segment(ctx: _Context, resource: Resource, day: Day, slot: Slot) -> Segment:
    start = wall_start(day.day, slot.starts_at, ctx.tz)
    end = wall_end(day.day, slot.ends_at, ctx.tz)
    seg = _classify(ctx, resource, start, end, _open_spans(ctx, day.day), day)
    seg.slot = slot.name
    return seg


def _free_grid_segments(ctx: _Context, resource: Resource, day: Day) -> list[Segment]:
    frame_start = wall_start(day.day, ctx.frame[0], ctx.tz)
    frame_end = wall_end(day.day, ctx.frame[1], ctx.tz)
    open_spans = _open_spans(ctx, day.day)
    edges = {frame_start, frame_end}
    for s, e in open_spans:
        edges.update((s, e))
    for b in ctx.bookings.get(resource.id, []):
        edges.update((b.start_at, b.end_at))
    for bl in ctx.blocked:
        if bl.applies_to(resource.id):
            edges.update((bl.start, bl.end))
    edges.add(ctx.now)
    points = sorted(p for p in edges if frame_start <= p <= frame_end)
    merged: list[Segment] = []
    for s, e in zip(points, points[1:], strict=False):
        seg = _classify(ctx, resource, s, e, open_spans, day)
        last = merged[-1] if merged else None
        if last and (last.state, last.text, last.booking) == (seg.state, seg.text, seg.booking):
            last.end = e
        else:
            merged.append(seg)
    return merged


def _classify(
    ctx: _Context,
    resource: Resource,
    start: datetime,
    end: datetime,
    open_spans: list[Span],
    day: Day,
) -> Segment:
    for bl in ctx.blocked:
        if bl.applies_to(resource.id) and bl.start < end and start < bl.end:
            return Segment(start, end, CLOSED, bl.reason)
    if not open_spans and day.closed_note:
        return Segment(start, end, CLOSED, day.closed_note)
    if not open_spans:
        return Segment(start, end, CLOSED, _("closed"))
    for b in ctx.bookings.get(resource.id, []):
        if b.start_at < end and start < b.end_at:
            return _booked(ctx, b, start, end)
    if not calendar.within(start, end, open_spans):
        return Segment(start, end, OUTSIDE)
    if start < ctx.now:
        return Segment(start, end, PAST)
    return Segment(start, end, FREE)


def _booked(ctx: _Context, b: Booking, start: datetime, end: datetime) -> Segment:
    p = ctx.principal
    if p.books_for(b.organisation_id):
        return Segment(start, end, MINE, b.group_name, booking=b)
    if p.coordinates(b.hub_id):
        return Segment(start, end, BOOKED, f"{b.organisation.name}: {b.group_name}", booking=b)
    return Segment(start, end, BUSY)


STATE_TEXT = {
    FREE: lambda s: _("free"),
    PAST: lambda s: _("past"),
    MINE: lambda s: (
        _("your request: %(group)s", group=s.text)
        if s.booking is not None and s.booking.is_request
        else _("your booking: %(group)s", group=s.text)
    ),
    BOOKED: lambda s: (
        _("request: %(what)s", what=s.text)
        if s.booking is not None and s.booking.is_request
        else _("booked: %(what)s", what=s.text)
    ),
    BUSY: lambda s: _("occupied"),
    CLOSED: lambda s: _("closed: %(reason)s", reason=s.text),
    OUTSIDE: lambda s: _("outside opening hours"),
}


def state_text(seg: Segment) -> str:
    return str(STATE_TEXT[seg.state](seg))


def _accessible_name(ctx: _Context, resource: Resource, seg: Segment) -> str:
    """ "Lasersnijder 1, di 14 okt 09:00–10:00, vrij"."""
    day = format_date(seg.start.astimezone(ctx.tz).date(), "EEE d MMM")
    times = f"{hhmm(seg.start, ctx.tz)}–{hhmm(seg.end, ctx.tz)}"
    if seg.slot:
        times = f"{seg.slot} {times}"
    return f"{resource.name}, {day} {times}, {state_text(seg)}"


# --- free anywhere ---------------------------------------------------------------------


@dataclass
class FreeResult:
    hub: Hub
    resource: Resource
    free: list[Span]
    bookable: bool


def free_anywhere(
    principal: Principal,
    text: str,
    kind: str | None,
    day: date,
    start_time: time,
    end_time: time,
    min_minutes: int = 30,
    limit: int = 60,
) -> list[FreeResult]:
    """Resources at any hub matching ``text`` (name or licence type) and ``kind`` with at
    least ``min_minutes`` free between the two local times on ``day``."""
    stmt = (
        select(Resource)
        .join(Hub, Hub.id == Resource.hub_id)
        .where(Resource.active.is_(True))
        .order_by(Hub.name, Resource.name)
        .limit(limit)
    )
    if text.strip():
        like = f"%{text.strip().lower()}%"
        stmt = stmt.where(
            or_(func.lower(Resource.name).like(like), func.lower(Resource.licence_type).like(like))
        )
    if kind:
        stmt = stmt.where(Resource.kind == kind)
    resources = list(db.session.scalars(stmt.options(selectinload(Resource.hub))))
    if not resources:
        return []
    results: list[FreeResult] = []
    member_hubs = _member_hub_ids(principal)
    for hub_id in dict.fromkeys(r.hub_id for r in resources):
        hub_resources = [r for r in resources if r.hub_id == hub_id]
        tz = zone(hub_resources[0].hub.timezone)
        start = max(wall_start(day, start_time, tz), utcnow())
        end = wall_end(day, end_time, tz)
        if end <= start:
            continue
        free = free_intervals(hub_resources, start, end)
        for r in hub_resources:
            spans = [s for s in free[r.id] if s[1] - s[0] >= timedelta(minutes=min_minutes)]
            if spans:
                bookable = principal.coordinates(hub_id) or hub_id in member_hubs
                results.append(FreeResult(r.hub, r, spans, bookable))
    return results


def _member_hub_ids(principal: Principal) -> set[int]:
    from hubs.organisations.models import Membership

    if not principal.booker_org_ids:
        return set()
    today = utcnow().date()
    rows = db.session.scalars(
        select(Membership).where(Membership.organisation_id.in_(principal.booker_org_ids))
    )
    return {m.hub_id for m in rows if m.is_active_on(today) or m.starts_on > today}
