"""Demo machine licences: employees of member companies with CNC, laser and welding
licences (some expiring within 30 days, one expired, one revoked), the people named on the
demo bookings of licensed machines, and the instructor's supervision of school classes."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select

from hubs.booking.models import Booking, BookingStatus
from hubs.demo import DemoContext
from hubs.extensions import db
from hubs.learners.models import Learner, LearnerCategory
from hubs.licences.models import (
    BookingLicenceHolder,
    BookingSupervision,
    Licence,
    LicenceSource,
)
from hubs.locations.models import Resource

TZ = ZoneInfo("Europe/Amsterdam")

# company, index among its employees, kind, issued (days ago), valid for (days; None: no
# expiry), source, revoked
LICENCES = [
    ("company_a", 0, "cnc", 400, 730, LicenceSource.COURSE, False),
    ("company_a", 1, "cnc", 700, 710, LicenceSource.COURSE, False),  # expires in 10 days
    ("company_a", 2, "laser", 200, None, LicenceSource.COORDINATOR, False),
    ("company_a", 3, "lassen", 300, 320, LicenceSource.COORDINATOR, False),  # in 20 days
    ("company_a", 4, "cnc", 800, 760, LicenceSource.COURSE, False),  # expired
    ("company_b", 0, "cnc", 90, 1095, LicenceSource.COORDINATOR, False),
    ("company_b", 1, "cnc", 150, 175, LicenceSource.COURSE, False),  # in 25 days
    ("company_b", 2, "laser", 60, 365, LicenceSource.COORDINATOR, True),  # revoked
    ("company_c", 0, "lassen", 120, 730, LicenceSource.COORDINATOR, False),
    ("company_c", 1, "laser", 30, 365, LicenceSource.COORDINATOR, False),
]


def load(ctx: DemoContext) -> None:
    staff = _employees(ctx)
    coordinator = ctx.users.get("coord_make")
    for key, index, kind, ago, valid_for, source, revoked in LICENCES:
        people = staff.get(key, [])
        if index >= len(people):
            continue
        issued = ctx.today - timedelta(days=ago)
        licence = Licence(
            learner_id=people[index].id,
            kind=kind,
            issued_on=issued,
            expires_on=issued + timedelta(days=valid_for) if valid_for else None,
            source=source,
            issued_by_id=coordinator.id if coordinator else None,
            created_at=_instant(issued),
        )
        if revoked:
            licence.revoked_at = _instant(ctx.today - timedelta(days=5))
            licence.revoked_by_id = licence.issued_by_id
        db.session.add(licence)
    db.session.flush()
    _bookings(ctx, staff)


def _instant(day: date) -> datetime:
    return datetime.combine(day, time(10), tzinfo=TZ)


def _employees(ctx: DemoContext) -> dict[str, list[Learner]]:
    staff: dict[str, list[Learner]] = {}
    for key in ("company_a", "company_b", "company_c"):
        org = ctx.organisations.get(key)
        if org is None:
            continue
        staff[key] = list(
            db.session.scalars(
                select(Learner)
                .where(
                    Learner.organisation_id == org.id,
                    Learner.category == LearnerCategory.EMPLOYEE,
                )
                .order_by(Learner.reference)
                .limit(10)
            )
        )
    return staff


def _bookings(ctx: DemoContext, staff: dict[str, list[Learner]]) -> None:
    """Name the licensed employees on company bookings of licensed machines; school
    classes are supervised by the hub's instructor."""
    rows = db.session.execute(
        select(Booking, Resource.licence_type)
        .join(Resource, Resource.id == Booking.resource_id)
        .where(Resource.licence_type.is_not(None))
        .order_by(Booking.id)
    ).all()
    done: set[int] = set()
    for booking, kind in rows:
        lead = booking.bundle_id or booking.id
        if lead in done:
            continue
        done.add(lead)
        if booking.learner_category in (LearnerCategory.VO, LearnerCategory.MBO):
            confirmed = booking.status != BookingStatus.REQUESTED
            db.session.add(
                BookingSupervision(
                    booking_id=lead,
                    kinds=kind,
                    confirmed_at=booking.created_at if confirmed else None,
                    confirmed_by_id=booking.booked_by_id if confirmed else None,
                )
            )
            continue
        day = booking.start_at.astimezone(TZ).date()
        for learner_id in _holders(ctx, staff, booking.organisation_id, kind or "", day):
            db.session.add(BookingLicenceHolder(booking_id=lead, learner_id=learner_id))
    db.session.flush()


def _holders(
    ctx: DemoContext, staff: dict[str, list[Learner]], organisation_id: int, kind: str, day: date
) -> list[int]:
    """Up to two of the organisation's people whose licence covers the booking's day."""
    by_org = {org.id: key for key, org in ctx.organisations.items()}
    key = by_org.get(organisation_id, "")
    people = {p.id for p in staff.get(key, [])}
    holders = db.session.scalars(
        select(Licence.learner_id)
        .where(
            Licence.learner_id.in_(people),
            Licence.kind == kind,
            Licence.revoked_at.is_(None),
            Licence.issued_on <= day,
            or_(Licence.expires_on.is_(None), Licence.expires_on >= day),
        )
        .distinct()
        .limit(2)
    )
    return list(holders)
