"""When a hub can be booked: opening hours as instants, closures, school holidays, slots.

Everything here reads; nothing writes. Results are lists of half-open ``(start, end)``
UTC intervals, computed with a handful of queries for a whole range.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from functools import cache, lru_cache
from typing import Any

import holidays as holidays_lib
from flask_babel import get_locale
from sqlalchemy import (
    ColumnElement,
    Date,
    Integer,
    Time,
    bindparam,
    cast,
    null,
    or_,
    select,
    union_all,
)

from hubs.booking.clock import day_bounds, last_local_date, local_date, wall_end, wall_start
from hubs.booking.models import DEFAULT_SETTINGS, Closure, HubBookingSettings, Slot
from hubs.db import execute_core
from hubs.extensions import db
from hubs.locations.services import HOURS_PARTS, intervals_from, opening_intervals

Span = tuple[datetime, datetime]


@dataclass(frozen=True)
class Blocked:
    """A closure, maintenance window or school holiday that overlaps a range."""

    start: datetime
    end: datetime
    reason: str
    kind: str  # "closure", "maintenance" or "holiday"
    resource_id: int | None = None
    closure_id: int | None = None

    def applies_to(self, resource_id: int) -> bool:
        return self.resource_id is None or self.resource_id == resource_id

    @property
    def key(self) -> str:
        """Names this conflict for acknowledgements ("closure:12", "holiday:2025-10-20")."""
        if self.closure_id is not None:
            return f"closure:{self.closure_id}"
        return f"holiday:{self.start.date().isoformat()}"


class SettingsView:
    """A hub's booking settings, with the defaults when the hub has no row yet.

    ``row``: the :class:`HubBookingSettings` object, or a result row with its columns."""

    def __init__(self, hub_id: int, row: HubBookingSettings | Any | None) -> None:
        self.hub_id = hub_id
        self.row = row
        values: dict[str, Any] = dict(DEFAULT_SETTINGS)
        if row is not None:
            values = {k: getattr(row, k) for k in DEFAULT_SETTINGS}
        self.uses_slots: bool = values["uses_slots"]
        self.approval_required: bool = values["approval_required"]
        self.cancel_deadline_hours: int = values["cancel_deadline_hours"]
        self.request_expiry_hours: int = values["request_expiry_hours"]
        self.close_on_school_holidays: bool = values["close_on_school_holidays"]
        self.holiday_region: Any = values["holiday_region"]


def hub_settings(hub_id: int) -> SettingsView:
    return SettingsView(hub_id, db.session.get(HubBookingSettings, hub_id))


def settings_for(hub_ids: Iterable[int]) -> dict[int, SettingsView]:
    ids = set(hub_ids)
    rows = {
        r.hub_id: r
        for r in db.session.scalars(
            select(HubBookingSettings).where(HubBookingSettings.hub_id.in_(ids))
        )
    }
    return {hub_id: SettingsView(hub_id, rows.get(hub_id)) for hub_id in ids}


# --- opening hours ---------------------------------------------------------------------


def merge(spans: Iterable[Span]) -> list[Span]:
    """Sorted, with touching or overlapping spans joined."""
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def open_spans(hub_id: int, tz: tzinfo, start: datetime, end: datetime) -> list[Span]:
    """The hub's opening hours (weekday hours or date exceptions) overlapping
    ``[start, end)``, as merged instants: a hub open 00:00–24:00 every day is one span."""
    first, last = span_days(tz, start, end)
    return spans_from(opening_intervals(hub_id, first, last), tz, start, end)


def span_days(tz: tzinfo, start: datetime, end: datetime) -> tuple[date, date]:
    """The local days whose opening hours can overlap ``[start, end)`` (from the day
    before: a night opening runs past midnight)."""
    return local_date(start, tz) - timedelta(days=1), last_local_date(end, tz)


def spans_from(
    intervals: dict[date, list[Any]], tz: tzinfo, start: datetime, end: datetime
) -> list[Span]:
    """:func:`open_spans` from the opening intervals of the days :func:`span_days` gives."""
    spans = [
        (wall_start(day, opens, tz), wall_end(day, closes, tz))
        for day, day_intervals in intervals.items()
        for opens, closes in day_intervals
    ]
    return [s for s in merge(spans) if s[0] < end and start < s[1]]


def hours_and_closures(
    hub_id: int, tz: tzinfo, start: datetime, end: datetime, resource_ids: Iterable[int]
) -> tuple[list[Span], list[Any]]:
    """:func:`open_spans` and :func:`closures_between` for one hub in one statement (a
    booking needs both; bench/: row 1)."""
    first, last = span_days(tz, start, end)
    params = {
        "hub_id": hub_id,
        "first": first,
        "last": last,
        "start": start,
        "end": end,
        "resource_ids": list(set(resource_ids)),
    }
    hours, closures = [], []
    for row in execute_core(_hours_and_closures_statement(), params):
        if row.closure_id is None:
            hours.append((row.on_date, row.weekday, row.opens_at, row.closes_at))
        else:
            closures.append(row)
    spans = spans_from(intervals_from(hours, first, last), tz, start, end)
    return spans, closures


@cache
def _hours_and_closures_statement() -> Any:
    # Closures (columns as closures_between's rows) after the hours of opening_intervals,
    # NULL where a part has no such column; the first part names the columns and types.
    closure = Closure.__table__.c
    closures = select(
        *(cast(null(), t) for t in (Date(), Integer(), Time(), Time())),
        closure.id.label("closure_id"),
        closure.id,
        closure.hub_id,
        closure.resource_id,
        closure.starts_at,
        closure.ends_at,
        closure.reason,
    ).where(
        closure.hub_id == bindparam("hub_id"),
        closure.starts_at < bindparam("end"),
        closure.ends_at > bindparam("start"),
        or_(
            closure.resource_id.is_(None),
            closure.resource_id.in_(bindparam("resource_ids", expanding=True)),
        ),
    )
    nothing = [
        cast(null(), c.type).label(name)
        for name, c in (
            ("closure_id", closure.id),
            ("id", closure.id),
            ("hub_id", closure.hub_id),
            ("resource_id", closure.resource_id),
            ("starts_at", closure.starts_at),
            ("ends_at", closure.ends_at),
            ("reason", closure.reason),
        )
    ]
    return union_all(*(part.add_columns(*nothing) for part in HOURS_PARTS), closures)


def within(start: datetime, end: datetime, spans: Iterable[Span]) -> bool:
    """``[start, end)`` lies inside one of ``spans``."""
    return any(s <= start and end <= e for s, e in spans)


def subtract(spans: list[Span], holes: Iterable[Span]) -> list[Span]:
    """``spans`` minus ``holes`` (both half-open)."""
    result = spans
    for h_start, h_end in sorted(holes):
        next_result: list[Span] = []
        for s, e in result:
            if h_end <= s or e <= h_start:
                next_result.append((s, e))
                continue
            if s < h_start:
                next_result.append((s, h_start))
            if h_end < e:
                next_result.append((h_end, e))
        result = next_result
    return result


# --- closures and holidays -------------------------------------------------------------


@lru_cache(maxsize=64)
def _school_holidays(region: str, year: int, language: str) -> dict[date, str]:
    calendar = holidays_lib.country_holidays(
        "NL",
        subdiv=region.capitalize(),
        categories=("school",),
        years=year,
        language=language,
    )
    return {day: str(name) for day, name in calendar.items()}


def school_holidays(region: str, first: date, last: date) -> dict[date, str]:
    """The school holidays of a region (noord, midden, zuid) on each date in range."""
    locale = str(get_locale() or "nl")
    language = "nl" if locale.startswith("nl") else "en_US"
    result: dict[date, str] = {}
    for year in range(first.year, last.year + 1):
        for day, name in _school_holidays(str(region), year, language).items():
            if first <= day <= last:
                result[day] = name
    return result


def holiday_spans(region: str, tz: tzinfo, start: datetime, end: datetime) -> list[Blocked]:
    """One blocked span per run of consecutive holiday dates of the same name."""
    days = school_holidays(region, local_date(start, tz), last_local_date(end, tz))
    blocked: list[Blocked] = []
    for day in sorted(days):
        day_start, day_end = day_bounds(day, tz)
        if blocked and blocked[-1].end == day_start and blocked[-1].reason == days[day]:
            last = blocked[-1]
            blocked[-1] = Blocked(last.start, day_end, last.reason, "holiday")
        else:
            blocked.append(Blocked(day_start, day_end, days[day], "holiday"))
    return blocked


def closures_between(
    hub_ids: Iterable[int], start: datetime, end: datetime, resource_ids: Iterable[int] = ()
) -> list[Any]:
    """Hub closures, and maintenance windows of ``resource_ids`` (all resources when
    ``resource_ids`` is None), overlapping ``[start, end)``: rows with the columns
    :func:`blocked_between` reads (id, hub_id, resource_id, starts_at, ends_at, reason)."""
    ids = set(resource_ids)
    params: dict[str, Any] = {"hub_ids": list(set(hub_ids)), "start": start, "end": end}
    if ids:
        params["resource_ids"] = list(ids)
    return list(execute_core(_closures_statement(bool(ids)), params))


@cache
def _closures_statement(with_resources: bool) -> Any:
    # Built once: every booking runs it (bench/: row 1).
    resource: ColumnElement[bool] = Closure.resource_id.is_(None)
    if with_resources:
        resource = or_(resource, Closure.resource_id.in_(bindparam("resource_ids", expanding=True)))
    columns = (Closure.id, Closure.hub_id, Closure.resource_id, Closure.starts_at)
    return (
        select(*columns, Closure.ends_at, Closure.reason)
        .where(
            Closure.hub_id.in_(bindparam("hub_ids", expanding=True)),
            Closure.starts_at < bindparam("end"),
            Closure.ends_at > bindparam("start"),
            resource,
        )
        .order_by(Closure.starts_at)
    )


def all_closures_between(hub_ids: Iterable[int], start: datetime, end: datetime) -> list[Closure]:
    """Every closure and maintenance window of the hubs overlapping ``[start, end)``."""
    stmt = select(Closure).where(
        Closure.hub_id.in_(set(hub_ids)), Closure.starts_at < end, start < Closure.ends_at
    )
    return list(db.session.scalars(stmt.order_by(Closure.starts_at)))


def blocked_between(
    hub_id: int,
    tz: tzinfo,
    settings: SettingsView,
    start: datetime,
    end: datetime,
    closures: Sequence[Any],
) -> list[Blocked]:
    """Closures (given: :class:`Closure` objects or rows with their columns) plus the
    school holidays when the hub closes for them."""
    blocked = [
        Blocked(
            c.starts_at,
            c.ends_at,
            c.reason,
            "maintenance" if c.resource_id else "closure",
            c.resource_id,
            c.id,
        )
        for c in closures
        if c.hub_id == hub_id
    ]
    if settings.close_on_school_holidays:
        blocked += holiday_spans(str(settings.holiday_region), tz, start, end)
    return blocked


# --- slots -----------------------------------------------------------------------------


def slots_by_weekday(hub_id: int) -> dict[int, list[Slot]]:
    slots: dict[int, list[Slot]] = defaultdict(list)
    for slot in db.session.scalars(
        select(Slot).where(Slot.hub_id == hub_id).order_by(Slot.weekday, Slot.starts_at)
    ):
        slots[slot.weekday].append(slot)
    return slots
