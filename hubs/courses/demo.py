"""Demo courses: upcoming courses at the MAKE Center and the Makerspace (one open, one
below its minimum near its decision date, one full with a waiting list) and a course
completed last month, with its register filled in, for HR's evidence and certificates.

Upcoming sessions are booked through the booking service like a coordinator would; the
first weekday from the wanted date on that the hub can take is used.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time, timedelta
from typing import Any

from sqlalchemy import select

from hubs.access import principal_for
from hubs.attendance.models import Attendance, AttendanceLearner
from hubs.booking.clock import local_instant, zone
from hubs.booking.models import Booking, BookingStatus, LearnerCategory
from hubs.courses import enrolment, services
from hubs.courses.models import (
    Audience,
    Course,
    CourseEnrolment,
    CourseSession,
    CourseStatus,
    EnrolmentStatus,
)
from hubs.demo import DemoContext
from hubs.errors import DomainError
from hubs.extensions import db
from hubs.learners.models import Learner

COORDINATORS = {"make": "coord_make", "makerspace": "coord_makerspace"}


@dataclass
class Plan:
    hub: str
    title: str
    resources: list[str]
    offset_days: int  # first session, days from today
    sessions: int
    start: time
    end: time
    seats: int
    minimum: int
    price_cents: int
    licence: str | None
    enrol: int  # employees of company_a enrolled
    level: str = "basis"
    description: str = ""
    given_by: str = "roc"  # a member organisation of the hub: the sessions are booked for it


PLANS = [
    Plan("make", "CNC-frezen basis", ["Theorielokaal", "CNC-frees DMG Mori"], 21, 2,
         time(9), time(16), 6, 3, 45000, "CNC", 3,
         description="Veilig werken op de CNC-frees: opspannen, nulpunt, eerste programma."),
    Plan("make", "Lassen MIG/MAG veilig werken", ["Lasruimte"], 12, 1,
         time(13), time(17), 8, 6, 29500, "lassen", 2,
         description="Veiligheidsinstructie voor de lasboxen: afzuiging, beschermingsmiddelen."),
    Plan("makerspace", "Lasersnijden veilig werken", ["Makerslab", "Lasersnijder Trotec"], 9,
         1, time(8, 30), time(12), 3, 2, 12500, "laser", 4,
         description="Instructie lasersnijder: materialen, brandveiligheid, eerste ontwerp.",
         given_by="school_c"),
]  # fmt: skip


def load(ctx: DemoContext) -> None:
    staff = _staff(ctx, "company_a")
    hr = principal_for(ctx.users["hr_a"])
    for plan in PLANS:
        course = _schedule(ctx, plan)
        if course is not None and staff:
            enrolment.enrol(hr, course.id, [p.id for p in staff[: plan.enrol]])
    _completed(ctx, staff)
    db.session.flush()


def _staff(ctx: DemoContext, key: str) -> list[Learner]:
    org = ctx.organisations[key]
    return list(
        db.session.scalars(
            select(Learner)
            .where(Learner.organisation_id == org.id, Learner.category == LearnerCategory.EMPLOYEE)
            .order_by(Learner.id)
            .limit(8)
        )
    )


def _schedule(ctx: DemoContext, plan: Plan) -> Course | None:
    hub = ctx.hubs[plan.hub]
    coordinator = principal_for(ctx.users[COORDINATORS[plan.hub]])
    resource_ids = [ctx.resources[f"{plan.hub}:{name}"].id for name in plan.resources]
    tz = zone(hub.timezone)
    first = ctx.today + timedelta(days=plan.offset_days)
    for shift in range(0, 28):
        day = first + timedelta(days=shift)
        days = [day + timedelta(days=7 * n) for n in range(plan.sessions)]
        if any(d.weekday() >= 5 for d in days):
            continue
        data = services.CourseInput(
            hub_id=hub.id,
            organisation_id=ctx.organisations[plan.given_by].id,
            title=plan.title,
            description=plan.description,
            level=plan.level,
            seats=plan.seats,
            min_participants=plan.minimum,
            decision_on=min(day - timedelta(days=7), ctx.today + timedelta(days=5)),
            enrol_deadline=day - timedelta(days=2),
            price_cents=plan.price_cents,
            grants_licence_kind=plan.licence,
            licence_valid_months=24 if plan.licence else None,
            audience=Audience.COMPANIES,
            sessions=[
                services.SessionInput(
                    local_instant(d, plan.start.strftime("%H:%M"), tz, "start"),
                    local_instant(d, plan.end.strftime("%H:%M"), tz, "end"),
                    resource_ids,
                )
                for d in days
            ],
        )
        savepoint = db.session.begin_nested()
        try:
            course = services.schedule_course(coordinator, data)
        except DomainError:
            savepoint.rollback()
            continue  # a closure, a holiday or a demo booking: try the next day
        savepoint.commit()
        return course
    return None


def _completed(ctx: DemoContext, staff: list[Learner]) -> None:
    """A CNC course held last month: booked, recorded and completed (no booking rules:
    it is in the past)."""
    if not staff:
        return
    hub = ctx.hubs["make"]
    tz = zone(hub.timezone)
    day = ctx.today - timedelta(days=35)
    while day.weekday() != 1:  # a Tuesday
        day -= timedelta(days=1)
    coordinator = ctx.users["coord_make"]
    course = Course(
        hub_id=hub.id,
        organisation_id=ctx.organisations["roc"].id,
        title="CNC-frezen basis",
        description="Veilig werken op de CNC-frees: opspannen, nulpunt, eerste programma.",
        level="basis",
        seats=6,
        min_participants=3,
        decision_on=day - timedelta(days=14),
        enrol_deadline=day - timedelta(days=7),
        price_cents=45000,
        grants_licence_kind="CNC",
        licence_valid_months=24,
        audience=Audience.COMPANIES,
        status=CourseStatus.COMPLETED,
        created_by_id=coordinator.id,
    )
    db.session.add(course)
    db.session.flush()
    people = staff[:4]
    for n, when in enumerate([day, day + timedelta(days=7)]):
        start = local_instant(when, "09:00", tz, "start")
        end = local_instant(when, "16:00", tz, "end")
        lead = _past_booking(ctx, course, start, end, coordinator.id)
        course.sessions.append(CourseSession(booking_id=lead.id, starts_at=start, ends_at=end))
        came = people if n == 0 else people[:3]  # the fourth missed the second day
        record = Attendance(
            booking_id=lead.id,
            present=len(came),
            listed=True,
            recorded_by_id=coordinator.id,
            recorded_at=end,
            updated_at=end,
        )
        record.learners = [AttendanceLearner(learner_id=p.id) for p in came]
        db.session.add(record)
    last = day + timedelta(days=7)
    for n, person in enumerate(people):
        done = n < 3
        db.session.add(
            CourseEnrolment(
                course_id=course.id,
                learner_id=person.id,
                organisation_id=person.organisation_id,
                status=EnrolmentStatus.COMPLETED if done else EnrolmentStatus.NOT_COMPLETED,
                enrolled_by_id=ctx.users["hr_a"].id,
                completed_on=last if done else None,
            )
        )
        if done:
            services._issue_licence(course, person.id, last, coordinator.id)


def _past_booking(ctx: DemoContext, course: Course, start: Any, end: Any, user_id: int) -> Booking:
    rows: list[Booking] = []
    for name in ["Theorielokaal", "CNC-frees DMG Mori"]:
        row = Booking(
            hub_id=course.hub_id,
            resource_id=ctx.resources[f"make:{name}"].id,
            organisation_id=course.organisation_id,
            booked_by_id=user_id,
            start_at=start,
            end_at=end,
            status=BookingStatus.CONFIRMED,
            group_name=course.title,
            group_size=course.seats,
            learner_category=LearnerCategory.EMPLOYEE,
            purpose=course.title,
        )
        db.session.add(row)
        db.session.flush()
        row.bundle_id = rows[0].id if rows else row.id
        rows.append(row)
    db.session.flush()
    return rows[0]
