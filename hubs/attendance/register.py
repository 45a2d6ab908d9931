"""What the register shows: a day's confirmed visits at some hubs, with their records.

A fixed number of queries for any number of visits (visits, records, lists of names).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from hubs.access import Principal
from hubs.attendance.models import Attendance
from hubs.attendance.roster import RosterEntry, rosters_for
from hubs.attendance.services import limit_of, refusal
from hubs.booking.clock import day_bounds, zone
from hubs.booking.models import Booking, BookingStatus
from hubs.booking.queries import upcoming_between
from hubs.extensions import db


@dataclass
class Visit:
    """One visit on the register: the booking, its record (if any) and its list of names."""

    lead: Booking
    attendance: Attendance | None
    roster: list[RosterEntry]
    refusal: Any | None
    limit: int

    @property
    def resources(self) -> str:
        return ", ".join(row.resource.name for row in self.lead.members)

    @property
    def present_ids(self) -> set[int]:
        return set(self.attendance.learner_ids) if self.attendance else set()


def visits_on(p: Principal, hub_ids: list[int], day: date, today: date) -> list[Visit]:
    """The confirmed visits of ``day`` at these hubs, earliest first."""
    leads = [b for b in upcoming_between(p, hub_ids, day, 1) if b.status == BookingStatus.CONFIRMED]
    return _visits(p, leads, today)


def visit_of(p: Principal, lead: Booking, today: date) -> Visit:
    """The register entry of one visit (its bundle's first row)."""
    return _visits(p, [lead], today)[0]


def _visits(p: Principal, leads: list[Booking], today: date) -> list[Visit]:
    ids = [lead.id for lead in leads]
    records = {
        a.booking_id: a
        for a in db.session.scalars(
            select(Attendance)
            .where(Attendance.booking_id.in_(ids))
            .options(selectinload(Attendance.learners))
        )
    }
    rosters = rosters_for(ids)
    return [
        Visit(
            lead=lead,
            attendance=records.get(lead.id),
            roster=rosters.get(lead.id, []),
            refusal=refusal(lead, p, today),
            limit=limit_of(lead, list(lead.members) or [lead]),
        )
        for lead in leads
    ]


@dataclass(frozen=True)
class DayCounts:
    """For the coordinator's day: today's visits and how many are recorded, and visits
    of the past week nobody recorded yet."""

    today_visits: int
    today_recorded: int
    unrecorded_last_week: int
    first_unrecorded: date | None


def day_counts(hub_ids: list[int], today: date) -> DayCounts:
    tz = zone(None)
    start, end = day_bounds(today, tz)
    week_start = day_bounds(today - timedelta(days=7), tz)[0]
    base = (
        select(Booking.start_at, Attendance.id)
        .outerjoin(Attendance, Attendance.booking_id == Booking.id)
        .where(
            Booking.hub_id.in_(hub_ids),
            Booking.id == Booking.bundle_id,
            Booking.status == BookingStatus.CONFIRMED,
            Booking.start_at >= week_start,
            Booking.start_at < end,
        )
        .subquery()
    )
    is_today = base.c.start_at >= start
    row = db.session.execute(
        select(
            func.count().filter(is_today),
            func.count(base.c.id).filter(is_today),
            func.count().filter(~is_today, base.c.id.is_(None)),
            func.min(base.c.start_at).filter(~is_today, base.c.id.is_(None)),
        )
    ).one()
    first = row[3]
    return DayCounts(
        today_visits=int(row[0] or 0),
        today_recorded=int(row[1] or 0),
        unrecorded_last_week=int(row[2] or 0),
        first_unrecorded=first.astimezone(tz).date() if first is not None else None,
    )
