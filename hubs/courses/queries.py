"""Reading courses: the catalogue, seats per course, courses below their minimum and
HR's overview of its staff. A fixed number of queries, whatever the number of rows."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from hubs.access import Principal, select_visible
from hubs.attendance.queries import presence
from hubs.courses.models import (
    SEATED,
    Course,
    CourseEnrolment,
    CourseSession,
    CourseStatus,
    EnrolmentStatus,
)
from hubs.extensions import db
from hubs.learners.models import Learner
from hubs.licences.models import Licence

DECISION_HORIZON = timedelta(days=14)


def first_session_start() -> Any:
    return (
        select(func.min(CourseSession.starts_at))
        .where(CourseSession.course_id == Course.id)
        .correlate(Course)
        .scalar_subquery()
    )


def catalogue_stmt(p: Principal, now: datetime, hub_id: int | None = None) -> Select[Any]:
    """Planned courses whose first session is still to come, soonest first."""
    start = first_session_start()
    stmt = (
        select_visible(Course, p)
        .where(Course.status == CourseStatus.PLANNED, start > now)
        .options(selectinload(Course.sessions), selectinload(Course.hub))
        .order_by(start, Course.id)
    )
    if hub_id is not None:
        stmt = stmt.where(Course.hub_id == hub_id)
    return stmt


def counts(course_ids: Collection[int]) -> dict[int, tuple[int, int]]:
    """``course_id -> (seats taken, waiting)`` for these courses (one query)."""
    if not course_ids:
        return {}
    seated = func.count().filter(CourseEnrolment.status.in_(SEATED))
    waiting = func.count().filter(CourseEnrolment.status == EnrolmentStatus.WAITING)
    rows = db.session.execute(
        select(CourseEnrolment.course_id, seated, waiting)
        .where(CourseEnrolment.course_id.in_(list(course_ids)))
        .group_by(CourseEnrolment.course_id)
    )
    found = {course_id: (int(s), int(w)) for course_id, s, w in rows}
    return {i: found.get(i, (0, 0)) for i in course_ids}


@dataclass(frozen=True)
class BelowMinimum:
    """A planned course with fewer participants than its minimum near its decision date."""

    course: Course
    taken: int


def below_minimum(hub_ids: Collection[int], today: date, now: datetime) -> list[BelowMinimum]:
    """Planned courses at these hubs below their minimum whose decision date has come or
    is within two weeks, and that have not started yet (bounded: 50)."""
    taken = (
        select(func.count())
        .where(CourseEnrolment.course_id == Course.id, CourseEnrolment.status.in_(SEATED))
        .correlate(Course)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(Course, taken)
        .where(
            Course.hub_id.in_(list(hub_ids)),
            Course.status == CourseStatus.PLANNED,
            Course.decision_on.is_not(None),
            Course.decision_on <= today + DECISION_HORIZON,
            taken < Course.min_participants,
            first_session_start() > now,
        )
        .options(selectinload(Course.sessions), selectinload(Course.hub))
        .order_by(Course.decision_on, Course.id)
        .limit(50)
    ).all()
    return [BelowMinimum(course, int(n)) for course, n in rows]


@dataclass(frozen=True)
class OverviewRow:
    """One enrolment of an employee, with the hours they attended (evidence for HR)."""

    enrolment: CourseEnrolment
    hours_attended: float
    sessions_attended: int
    licence: Licence | None = None  # the licence completing the course issued


def overview_stmt(p: Principal, organisation_ids: Collection[int]) -> Select[Any]:
    """Enrolments of these organisations' people (visible to ``p``), newest course first."""
    return (
        select_visible(CourseEnrolment, p)
        .join(Course, Course.id == CourseEnrolment.course_id)
        .join(Learner, Learner.id == CourseEnrolment.learner_id)
        .where(
            CourseEnrolment.organisation_id.in_(list(organisation_ids)),
            CourseEnrolment.status != EnrolmentStatus.CANCELLED,
        )
        .options(
            selectinload(CourseEnrolment.course).selectinload(Course.sessions),
            selectinload(CourseEnrolment.course).selectinload(Course.hub),
            selectinload(CourseEnrolment.learner),
            selectinload(CourseEnrolment.organisation),
        )
        .order_by(Learner.family_name, Learner.given_name, Learner.id, Course.id.desc())
    )


def with_hours(enrolments: list[CourseEnrolment]) -> list[OverviewRow]:
    """Attach the hours each learner attended of their course's sessions (one query)."""
    if not enrolments:
        return []
    sub = presence().subquery()
    rows = db.session.execute(
        select(
            CourseSession.course_id,
            sub.c.learner_id,
            func.count(),
            func.sum(sub.c.hours),
        )
        .join(sub, sub.c.booking_id == CourseSession.booking_id)
        .where(
            CourseSession.course_id.in_({e.course_id for e in enrolments}),
            sub.c.learner_id.in_({e.learner_id for e in enrolments}),
        )
        .group_by(CourseSession.course_id, sub.c.learner_id)
    )
    hours = {(c, lid): (int(n), round(float(h or 0), 2)) for c, lid, n, h in rows}
    licences = licences_of(enrolments)
    return [
        OverviewRow(
            e,
            hours.get((e.course_id, e.learner_id), (0, 0.0))[1],
            hours.get((e.course_id, e.learner_id), (0, 0.0))[0],
            licences.get((e.course_id, e.learner_id)),
        )
        for e in enrolments
    ]


def licences_of(enrolments: list[CourseEnrolment]) -> dict[tuple[int, int], Licence]:
    """``(course_id, learner_id) -> Licence`` the courses issued these learners (one
    query; the latest when a course issued one twice)."""
    if not enrolments:
        return {}
    found = db.session.scalars(
        select(Licence)
        .where(
            Licence.course_id.in_({e.course_id for e in enrolments}),
            Licence.learner_id.in_({e.learner_id for e in enrolments}),
        )
        .order_by(Licence.issued_on, Licence.id)
    )
    return {(lic.course_id or 0, lic.learner_id): lic for lic in found}
