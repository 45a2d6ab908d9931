"""Read helpers of the series pages and API (scoped; no writes)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import selectinload

from hubs.access import Principal, select_visible
from hubs.booking.clock import zone
from hubs.booking.models import Booking, BookingStatus
from hubs.db import utcnow
from hubs.extensions import db
from hubs.locations.models import Resource
from hubs.series.models import BookingSeries, SeriesOccurrence
from hubs.series.recurrence import lesson


@dataclass
class Row:
    """One date of a stored series as pages show it."""

    occurrence: SeriesOccurrence
    start: datetime | None
    end: datetime | None

    @property
    def booking(self) -> Booking | None:
        return self.occurrence.booking

    @property
    def state(self) -> str:
        """booked dates: their booking's status; else skipped or conflict."""
        booking = self.booking
        if booking is not None:
            return booking.status.value
        return self.occurrence.state.value

    @property
    def is_active(self) -> bool:
        return self.booking is not None and self.booking.is_active

    @property
    def label(self) -> str:
        booking = self.booking
        return booking.status.label if booking is not None else self.occurrence.state.label


def rows(series: BookingSeries) -> list[Row]:
    """Every date of the series with its booking (bounded: a series has at most 260)."""
    occurrences = db.session.scalars(
        select(SeriesOccurrence)
        .where(SeriesOccurrence.series_id == series.id)
        .options(
            selectinload(SeriesOccurrence.booking)
            .selectinload(Booking.members)
            .selectinload(Booking.resource)
        )
        .order_by(SeriesOccurrence.on_date)
    )
    tz = zone(series.timezone)
    result = []
    for o in occurrences:
        if o.booking is not None:
            result.append(Row(o, o.booking.start_at, o.booking.end_at))
            continue
        when = lesson(o.on_date, series.start_time, series.end_time, tz)
        result.append(Row(o, *((None, None) if isinstance(when, str) else when)))
    return result


def coming(items: list[Row], now: datetime | None = None) -> list[Row]:
    """The booked dates still to come that are active (what a change or cancel reaches)."""
    now = now or utcnow()
    return [r for r in items if r.is_active and r.start is not None and r.start > now]


def list_statement(p: Principal) -> Select[Any]:
    return (
        select_visible(BookingSeries, p)
        .options(selectinload(BookingSeries.hub), selectinload(BookingSeries.organisation))
        .order_by(BookingSeries.until.desc(), BookingSeries.id.desc())
    )


def pending(hub_ids: list[int], p: Principal) -> list[tuple[BookingSeries, int, datetime]]:
    """Series requests at these hubs: (series, dates waiting, first such date)."""
    counts = (
        select(
            SeriesOccurrence.series_id,
            func.count().label("dates"),
            func.min(Booking.start_at).label("first"),
        )
        .join(Booking, Booking.id == SeriesOccurrence.booking_id)
        .where(Booking.hub_id.in_(hub_ids), Booking.status == BookingStatus.REQUESTED)
        .group_by(SeriesOccurrence.series_id)
        .subquery()
    )
    found = db.session.execute(
        select_visible(BookingSeries, p)
        .join(counts, counts.c.series_id == BookingSeries.id)
        .add_columns(counts.c.dates, counts.c.first)
        .options(selectinload(BookingSeries.organisation))
        .order_by(BookingSeries.created_at, BookingSeries.id)
        .limit(50)
    ).all()
    return [(s, int(n), first) for s, n, first in found]


def supervised(series_ids: list[int]) -> set[int]:
    """The series among ``series_ids`` whose dates ask for the instructor's supervision
    (approving confirms it)."""
    from hubs.licences.models import BookingSupervision

    if not series_ids:
        return set()
    return set(
        db.session.scalars(
            select(SeriesOccurrence.series_id)
            .join(BookingSupervision, BookingSupervision.booking_id == SeriesOccurrence.booking_id)
            .where(SeriesOccurrence.series_id.in_(series_ids))
            .distinct()
        )
    )


def not_in_a_series() -> Any:
    """A criterion on Booking: the bundle is no date of a series."""
    return ~exists().where(SeriesOccurrence.booking_id == Booking.bundle_id)


def state_counts(items: list[Row]) -> list[tuple[str, str, int]]:
    """(state, its label, how many dates), in the order they first occur."""
    counts: dict[str, list[Any]] = {}
    for item in items:
        counts.setdefault(item.state, [item.label, 0])[1] += 1
    return [(state, label, count) for state, (label, count) in counts.items()]


def resource_names(series: BookingSeries) -> list[str]:
    names = dict(
        db.session.execute(
            select(Resource.id, Resource.name).where(Resource.id.in_(series.resource_ids))
        ).all()
    )
    return [names.get(i, "") for i in series.resource_ids]


def licence_holders(series: BookingSeries) -> list[Any]:
    """The people the series' dates name for its licensed machines (one query; empty
    when its machines need no licence or the instructor supervises)."""
    from hubs.learners.models import Learner
    from hubs.licences.models import BookingLicenceHolder

    named = (
        select(BookingLicenceHolder.learner_id)
        .join(SeriesOccurrence, SeriesOccurrence.booking_id == BookingLicenceHolder.booking_id)
        .where(SeriesOccurrence.series_id == series.id)
    )
    return list(
        db.session.scalars(
            select(Learner)
            .where(Learner.id.in_(named))
            .order_by(Learner.family_name, Learner.given_name, Learner.id)
        )
    )
