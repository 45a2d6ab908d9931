"""Attendance figures for reports: booked versus realised, contact hours, no-shows.

The public interface (see docs/DEVELOPING.md, "Attendance for reports"). Every function
is one aggregate query, whatever the number of visits:

- :func:`visit_figures` — per hub, organisation, resource, booking and/or programme (or in total)
  for a range of local dates: visits, visits recorded, no-shows, booked and realised
  participants, booked and realised contact hours.
- :func:`learner_hours` — per learner (optionally per booking): visits attended and
  hours, for visits with a list of names (course sessions).
- :func:`presence` — the same per-learner facts as a subquery, to join in a caller's own
  aggregate (courses: hours attended per course).

A *visit* is a confirmed booking (a bundle counts once; by resource, each of its rooms
and machines counts the bundle's people) that started on a local date in
``[first, last]`` and before ``as_of`` (default now). Hours are the booking's length;
contact hours are people present × hours.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, select

from hubs.attendance.models import Attendance, AttendanceLearner
from hubs.booking.clock import day_bounds, zone
from hubs.booking.models import Booking, BookingStatus
from hubs.db import utcnow
from hubs.extensions import db

DIMENSIONS = ("hub", "organisation", "resource", "booking", "programme")


def _dimension(name: str) -> Any:
    return {
        "hub": Booking.hub_id,
        "organisation": Booking.organisation_id,
        "resource": Booking.resource_id,
        "booking": Booking.bundle_id,
        "programme": Booking.programme_id,
    }[name]


@dataclass(frozen=True)
class Scope:
    """Which visits to count; None means no restriction. ``booking_ids`` are bundle ids;
    ``resource_ids`` selects bundles that include one of the resources."""

    hub_ids: Collection[int] | None = None
    organisation_ids: Collection[int] | None = None
    resource_ids: Collection[int] | None = None
    booking_ids: Collection[int] | None = None
    programme_ids: Collection[int] | None = None


@dataclass(frozen=True)
class VisitFigures:
    """Attendance figures of one cell (``key``: dimension name -> id)."""

    key: dict[str, int] = field(default_factory=dict)
    visits: int = 0
    recorded: int = 0
    no_shows: int = 0
    booked_participants: int = 0  # group sizes of all visits
    booked_participants_recorded: int = 0  # group sizes of the recorded visits only
    realised_participants: int = 0  # people present (recorded visits)
    booked_hours: float = 0.0  # group size × hours, all visits
    contact_hours: float = 0.0  # present × hours

    @property
    def unrecorded(self) -> int:
        return self.visits - self.recorded


def hours_between(start: Any, end: Any) -> ColumnElement[Any]:
    """SQL: the length of ``[start, end)`` in hours (a float), on either database."""
    if db.engine.dialect.name == "postgresql":
        return func.extract("epoch", end - start) / 3600.0
    return (func.julianday(end) - func.julianday(start)) * 24.0


def _range(first: date, last: date) -> tuple[datetime, datetime]:
    tz = zone(None)
    return day_bounds(first, tz)[0], day_bounds(last, tz)[1]


def _visits_where(
    first: date, last: date, scope: Scope, as_of: datetime | None, per_row: bool
) -> list[ColumnElement[bool]]:
    start, end = _range(first, last)
    conditions: list[ColumnElement[bool]] = [
        Booking.status == BookingStatus.CONFIRMED,
        Booking.start_at >= start,
        Booking.start_at < end,
        Booking.start_at <= (as_of or utcnow()),
    ]
    if not per_row:
        conditions.append(Booking.id == Booking.bundle_id)
    if scope.hub_ids is not None:
        conditions.append(Booking.hub_id.in_(list(scope.hub_ids)))
    if scope.organisation_ids is not None:
        conditions.append(Booking.organisation_id.in_(list(scope.organisation_ids)))
    if scope.booking_ids is not None:
        conditions.append(Booking.bundle_id.in_(list(scope.booking_ids)))
    if scope.programme_ids is not None:
        conditions.append(Booking.programme_id.in_(list(scope.programme_ids)))
    if scope.resource_ids is not None:
        ids = list(scope.resource_ids)
        if per_row:
            conditions.append(Booking.resource_id.in_(ids))
        else:
            bundles = select(Booking.bundle_id).where(Booking.resource_id.in_(ids))
            conditions.append(Booking.bundle_id.in_(bundles))
    return conditions


def visit_figures(
    first: date,
    last: date,
    by: Sequence[str] = (),
    scope: Scope | None = None,
    as_of: datetime | None = None,
) -> list[VisitFigures]:
    """Attendance figures per cell of ``by`` (any of :data:`DIMENSIONS`), one query.

    ``first``/``last``: local dates (inclusive) on which visits started. Without ``by``
    the result is one total (a list of one, zeros when nothing matched).
    """
    unknown = set(by) - set(DIMENSIONS)
    if unknown:
        raise ValueError(f"unknown dimensions: {sorted(unknown)}")
    keys = [_dimension(name).label(name) for name in by]
    hours = hours_between(Booking.start_at, Booking.end_at)
    recorded = Attendance.id.is_not(None)
    stmt = (
        select(
            *keys,
            func.count(Booking.id).label("visits"),
            func.count(Attendance.id).label("recorded"),
            func.sum(case((Attendance.present == 0, 1), else_=0)).label("no_shows"),
            func.sum(Booking.group_size).label("booked"),
            func.sum(case((recorded, Booking.group_size), else_=0)).label("booked_recorded"),
            func.sum(Attendance.present).label("realised"),
            func.sum(Booking.group_size * hours).label("booked_hours"),
            func.sum(Attendance.present * hours).label("contact_hours"),
        )
        .select_from(Booking)
        .outerjoin(Attendance, Attendance.booking_id == Booking.bundle_id)
        .where(*_visits_where(first, last, scope or Scope(), as_of, "resource" in by))
        .group_by(*keys)
        .order_by(*keys)
    )
    rows = db.session.execute(stmt).all()
    figures = [_figures(row, by) for row in rows]
    if not by and not figures:
        figures = [VisitFigures()]
    return figures


def _figures(row: Any, by: Sequence[str]) -> VisitFigures:
    return VisitFigures(
        key={name: getattr(row, name) for name in by},
        visits=int(row.visits or 0),
        recorded=int(row.recorded or 0),
        no_shows=int(row.no_shows or 0),
        booked_participants=int(row.booked or 0),
        booked_participants_recorded=int(row.booked_recorded or 0),
        realised_participants=int(row.realised or 0),
        booked_hours=round(float(row.booked_hours or 0), 2),
        contact_hours=round(float(row.contact_hours or 0), 2),
    )


# --- per learner (visits with a list of names) --------------------------------------------


def presence() -> Select[Any]:
    """``(booking_id, learner_id, start_at, end_at, hours)`` for every learner recorded
    present at a confirmed visit; ``.subquery()`` it to join in an aggregate."""
    return (
        select(
            Booking.id.label("booking_id"),
            AttendanceLearner.learner_id.label("learner_id"),
            Booking.start_at.label("start_at"),
            Booking.end_at.label("end_at"),
            hours_between(Booking.start_at, Booking.end_at).label("hours"),
        )
        .select_from(AttendanceLearner)
        .join(Attendance, Attendance.id == AttendanceLearner.attendance_id)
        .join(Booking, Booking.id == Attendance.booking_id)
        .where(Booking.status == BookingStatus.CONFIRMED)
    )


@dataclass(frozen=True)
class LearnerHours:
    """Visits a learner attended and their hours (per booking when asked)."""

    learner_id: int
    visits: int
    hours: float
    booking_id: int | None = None


def learner_hours(
    first: date | None = None,
    last: date | None = None,
    *,
    learner_ids: Collection[int] | None = None,
    booking_ids: Collection[int] | None = None,
    per_booking: bool = False,
) -> list[LearnerHours]:
    """Hours attended per learner (and per booking), from the lists of names; one query."""
    sub = presence().subquery()
    conditions: list[ColumnElement[bool]] = []
    if first is not None and last is not None:
        start, end = _range(first, last)
        conditions += [sub.c.start_at >= start, sub.c.start_at < end]
    if learner_ids is not None:
        conditions.append(sub.c.learner_id.in_(list(learner_ids)))
    if booking_ids is not None:
        conditions.append(sub.c.booking_id.in_(list(booking_ids)))
    keys = [sub.c.learner_id] + ([sub.c.booking_id] if per_booking else [])
    stmt = (
        select(*keys, func.count().label("visits"), func.sum(sub.c.hours).label("hours"))
        .where(*conditions)
        .group_by(*keys)
        .order_by(*keys)
    )
    return [
        LearnerHours(
            learner_id=row.learner_id,
            visits=int(row.visits),
            hours=round(float(row.hours or 0), 2),
            booking_id=row.booking_id if per_booking else None,
        )
        for row in db.session.execute(stmt)
    ]
