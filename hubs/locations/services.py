"""Opening hours: which intervals a hub is open on a date (weekday hours or exceptions)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, time, timedelta

from sqlalchemy import select

from hubs.extensions import db
from hubs.locations.models import OpeningException, OpeningHours

Interval = tuple[time, time]


def opening_intervals(hub_id: int, start: date, end: date) -> dict[date, list[Interval]]:
    """Open intervals per date in ``[start, end]`` (inclusive), in the hub's local time.

    Two queries for the whole range: weekday hours and the date exceptions. A date with
    exceptions uses only those (an exception without times means closed).
    """
    weekly: dict[int, list[Interval]] = defaultdict(list)
    for row in db.session.scalars(select(OpeningHours).where(OpeningHours.hub_id == hub_id)):
        weekly[row.weekday].append((row.opens_at, row.closes_at))
    exceptions: dict[date, list[Interval]] = defaultdict(list)
    for exc in db.session.scalars(
        select(OpeningException).where(
            OpeningException.hub_id == hub_id,
            OpeningException.on_date >= start,
            OpeningException.on_date <= end,
        )
    ):
        intervals = exceptions[exc.on_date]
        if exc.opens_at is not None and exc.closes_at is not None:
            intervals.append((exc.opens_at, exc.closes_at))
    result: dict[date, list[Interval]] = {}
    day = start
    while day <= end:
        if day in exceptions:
            result[day] = sorted(exceptions[day])
        else:
            result[day] = sorted(weekly.get(day.weekday(), []))
        day += timedelta(days=1)
    return result
