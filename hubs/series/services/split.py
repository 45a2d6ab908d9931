"""Splitting a series: a change to "this date and the following" gives those dates a
series of their own, so the earlier dates keep the series record as it was.

A series record describes its dates (the rule, the local times, the group): after moving
the later dates to 13:00, "every Tuesday 09:00" would be wrong for the earlier ones and
"every Tuesday 13:00" for the later ones. Like an iCalendar client editing "this and
following events", we end the rule before the chosen date and start a new one there.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select, update

from hubs.extensions import db
from hubs.series.models import BookingSeries, SeriesOccurrence
from hubs.series.recurrence import make_rule


def split_series(series: BookingSeries, day: date, now: datetime) -> BookingSeries:
    """Split the series before ``day`` (a date of its rule): the dates from ``day`` on
    become a series of their own (same request, the rule from ``day``) that then takes
    the change, and the earlier dates keep the series with its old times and group, its
    rule now ending at its last earlier date. Without earlier dates nothing is split."""
    earlier = db.session.scalar(
        select(func.max(SeriesOccurrence.on_date)).where(
            SeriesOccurrence.series_id == series.id, SeriesOccurrence.on_date < day
        )
    )
    if earlier is None:
        return series
    weekdays = series.weekday_numbers
    following = BookingSeries(
        **{name: getattr(series, name) for name in _COPIED},
        first_day=day,
        rule=make_rule(series.interval_weeks, weekdays, series.until),
        created_at=now,
        updated_at=now,
    )
    db.session.add(following)
    db.session.flush()
    db.session.execute(
        update(SeriesOccurrence)
        .where(SeriesOccurrence.series_id == series.id, SeriesOccurrence.on_date >= day)
        .values(series_id=following.id)
        .execution_options(synchronize_session=False)
    )
    series.until = earlier
    series.rule = make_rule(series.interval_weeks, weekdays, earlier)
    series.updated_at = now
    db.session.flush()
    return following


# What the following part's series copies from the series it splits off from.
_COPIED = (
    "hub_id",
    "organisation_id",
    "booked_by_id",
    "resource_ids",
    "timezone",
    "until",
    "start_time",
    "end_time",
    "interval_weeks",
    "weekdays",
    "group_name",
    "group_size",
    "learner_category",
    "level",
    "purpose",
    "programme_id",
)
