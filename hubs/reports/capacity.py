"""Opening hours as a number: the hours a hub (and each of its resources) was available.

A resource is available while its hub is open (weekly hours or the date's exceptions),
minus the hub's closures, the school holidays when the hub closes for them, and the
resource's own maintenance windows. Worked out per hub from the opening-hours tables (a
few rows per hub) and the closures in the period, never per booking; split by month so
the use report can show utilisation per month.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from hubs.booking.calendar import (
    Span,
    all_closures_between,
    blocked_between,
    open_spans,
    settings_for,
    subtract,
)
from hubs.booking.clock import day_bounds, zone

Month = tuple[int, int]  # (year, month), local time


def months_between(first: date, last: date) -> list[Month]:
    """Every month touching ``[first, last]``, in order."""
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def month_starts(first: date, last: date) -> list[tuple[Month, datetime]]:
    """Each month's first instant (local midnight), the first one clipped to ``first``."""
    tz = zone(None)
    result = []
    for year, month in months_between(first, last):
        day = max(date(year, month, 1), first)
        result.append(((year, month), day_bounds(day, tz)[0]))
    return result


def period_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """``[first 00:00, the day after last 00:00)`` in Amsterdam, as UTC instants."""
    tz = zone(None)
    return day_bounds(first, tz)[0], day_bounds(last, tz)[1]


def _hours(spans: Iterable[Span]) -> float:
    return sum((end - start).total_seconds() for start, end in spans) / 3600.0


def _per_month(spans: list[Span], starts: list[tuple[Month, datetime]], end: datetime) -> dict:
    result: dict[Month, float] = {}
    bounds = [*starts, (None, end)]
    for (month, m_start), (_next, m_end) in zip(bounds, bounds[1:], strict=False):
        clipped = [(max(s, m_start), min(e, m_end)) for s, e in spans if s < m_end and m_start < e]
        result[month] = _hours(clipped)  # type: ignore[index]
    return result


@dataclass
class Availability:
    """Available hours of one hub: of the hub itself, of each resource, per month."""

    hours: float = 0.0
    by_month: dict[Month, float] = field(default_factory=dict)
    # Resources with maintenance windows in the period; the others have ``hours``.
    resource_hours: dict[int, float] = field(default_factory=dict)
    resource_by_month: dict[int, dict[Month, float]] = field(default_factory=dict)

    def of_resource(self, resource_id: int) -> float:
        return self.resource_hours.get(resource_id, self.hours)

    def of_resource_in(self, resource_id: int, month: Month) -> float:
        months = self.resource_by_month.get(resource_id, self.by_month)
        return months.get(month, 0.0)


def availability(hub_ids: Iterable[int], first: date, last: date) -> dict[int, Availability]:
    """Available hours per hub (and per resource) in the local dates ``[first, last]``."""
    ids = sorted(set(hub_ids))
    start, end = period_bounds(first, last)
    starts = month_starts(first, last)
    settings = settings_for(ids)
    closures = all_closures_between(ids, start, end)
    result: dict[int, Availability] = {}
    for hub_id in ids:
        tz = zone(None)
        spans = [(max(s, start), min(e, end)) for s, e in open_spans(hub_id, tz, start, end)]
        blocked = blocked_between(hub_id, tz, settings[hub_id], start, end, closures)
        open_ = subtract(spans, [(b.start, b.end) for b in blocked if b.resource_id is None])
        hub = Availability(_hours(open_), _per_month(open_, starts, end))
        maintenance: dict[int, list[Span]] = defaultdict(list)
        for b in blocked:
            if b.resource_id is not None:
                maintenance[b.resource_id].append((b.start, b.end))
        for resource_id, holes in maintenance.items():
            own = subtract(open_, holes)
            hub.resource_hours[resource_id] = _hours(own)
            hub.resource_by_month[resource_id] = _per_month(own, starts, end)
        result[hub_id] = hub
    return result
