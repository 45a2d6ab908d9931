"""HR's use cases: enrol named staff, cancel or substitute them until the deadline.

Every use case locks the course row first and counts seats inside that unit of work, so
concurrent enrolments on the last seats never oversell (on SQLite the write transaction
itself is serialised by ``BEGIN IMMEDIATE``). A freed seat goes to the first on the
waiting list at once, and whoever enrolled them is mailed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from hubs.access import Principal
from hubs.courses import notify
from hubs.courses.models import (
    ACTIVE,
    SEATED,
    Course,
    CourseEnrolment,
    EnrolmentStatus,
)
from hubs.courses.services import lock_course
from hubs.db import local_today, transactional, utcnow
from hubs.errors import DomainError, InvalidInput, NotAllowed
from hubs.extensions import db
from hubs.learners.models import Learner, LearnerCategory
from hubs.learners.policies import is_member
from hubs.organisations.models import OrganisationKind


@dataclass
class Refusal:
    """A learner who could not be enrolled, and why (a lazy message)."""

    learner_id: int
    reason: Any


@dataclass
class EnrolResult:
    """What happened to each learner asked for: a seat, the waiting list, or refused."""

    enrolled: list[CourseEnrolment] = field(default_factory=list)
    waiting: list[CourseEnrolment] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)

    @property
    def all_seated(self) -> bool:
        return not self.waiting and not self.refused


def seats_taken(course_id: int) -> int:
    return int(
        db.session.scalar(
            select(func.count()).where(
                CourseEnrolment.course_id == course_id, CourseEnrolment.status.in_(SEATED)
            )
        )
        or 0
    )


def _open_for(p: Principal, course: Course) -> None:
    if not course.is_open:
        raise DomainError(_l("This course is no longer open."))
    if local_today() > course.enrol_deadline and not p.coordinates(course.hub_id):
        raise DomainError(_l("The enrolment deadline of this course has passed."))


@transactional
def enrol(p: Principal, course_id: int, learner_ids: list[int]) -> EnrolResult:
    """Enrol learners of the actor's own organisation(s), in the order given: a free seat
    each while there are any, then the waiting list. Learners who may not take this
    course are refused (with the reason); the others are written."""
    ids = list(dict.fromkeys(learner_ids))
    if not ids:
        raise InvalidInput(_l("Choose at least one employee."), field="learner_ids")
    course = lock_course(course_id)
    if not (p.is_booker or p.coordinates(course.hub_id)):
        raise NotAllowed(_l("Only HR of an organisation and the hub's staff enrol people."))
    _open_for(p, course)
    learners = {
        x.id: x
        for x in db.session.scalars(
            select(Learner).where(Learner.id.in_(ids)).options(selectinload(Learner.organisation))
        )
    }
    already = set(
        db.session.scalars(
            select(CourseEnrolment.learner_id).where(
                CourseEnrolment.course_id == course.id,
                CourseEnrolment.learner_id.in_(ids),
                CourseEnrolment.status.in_(ACTIVE),
            )
        )
    )
    free = course.seats - seats_taken(course.id)
    result = EnrolResult()
    now = utcnow()
    for learner_id in ids:
        learner = learners.get(learner_id)
        why = _refusal(p, course, learner) or (
            _l("Already on this course.") if learner_id in already else None
        )
        if why is not None:
            result.refused.append(Refusal(learner_id, why))
            continue
        assert learner is not None
        status = EnrolmentStatus.ENROLLED if free > 0 else EnrolmentStatus.WAITING
        free -= 1 if free > 0 else 0
        row = CourseEnrolment(
            course_id=course.id,
            learner_id=learner.id,
            organisation_id=learner.organisation_id,
            status=status,
            enrolled_by_id=p.user_id,
            queued_at=now,
            updated_at=now,
        )
        db.session.add(row)
        (result.enrolled if status == EnrolmentStatus.ENROLLED else result.waiting).append(row)
    db.session.flush()
    return result


def _refusal(p: Principal, course: Course, learner: Learner | None) -> Any | None:
    if learner is None or learner.is_anonymised:
        return _l("Unknown person.")
    if not (p.books_for(learner.organisation_id) or p.coordinates(course.hub_id)):
        return _l("You can only enrol people of your own organisation.")
    kind = learner.organisation.kind
    if not course.audience.admits(kind):
        return _l("This course is not open to people of %(org)s.", org=learner.organisation.name)
    if kind == OrganisationKind.COMPANY and learner.category != LearnerCategory.EMPLOYEE:
        return _l("Only employees of a company can be enrolled.")
    first = course.sessions[0].starts_at.date() if course.sessions else course.enrol_deadline
    last = course.sessions[-1].ends_at.date() if course.sessions else course.enrol_deadline
    if not is_member(learner.organisation_id, course.hub_id, first, last):
        return _l("%(org)s is not a member of this hub.", org=learner.organisation.name)
    return None


def _locked_enrolment(p: Principal, enrolment_id: int) -> tuple[Course, CourseEnrolment]:
    enrolment = db.session.get(CourseEnrolment, enrolment_id)
    if enrolment is None:
        raise DomainError(_l("This enrolment does not exist."))
    course = lock_course(enrolment.course_id)
    db.session.refresh(enrolment)
    if not (p.books_for(enrolment.organisation_id) or p.coordinates(course.hub_id)):
        raise NotAllowed(_l("You can only change enrolments of your own organisation."))
    _open_for(p, course)
    if enrolment.status not in (EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITING):
        raise DomainError(_l("This enrolment has already been cancelled or closed."))
    return course, enrolment


@transactional
def cancel_enrolment(p: Principal, enrolment_id: int) -> CourseEnrolment | None:
    """Cancel a place (or a waiting-list place) until the deadline. A freed seat goes to
    the first on the waiting list, whose HR is mailed; returns that promoted enrolment."""
    course, enrolment = _locked_enrolment(p, enrolment_id)
    seated = enrolment.status == EnrolmentStatus.ENROLLED
    result = db.session.execute(
        update(CourseEnrolment)
        .where(CourseEnrolment.id == enrolment.id, CourseEnrolment.status == enrolment.status)
        .values(status=EnrolmentStatus.CANCELLED, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if not result.rowcount:  # type: ignore[attr-defined]
        raise DomainError(_l("This enrolment has already been cancelled or closed."))
    db.session.expire(enrolment)
    return promote(course) if seated else None


def promote(course: Course) -> CourseEnrolment | None:
    """Give a free seat to the first on the waiting list (inside the caller's unit of work,
    with the course row locked) and mail whoever enrolled them."""
    if seats_taken(course.id) >= course.seats:
        return None
    first = db.session.scalar(
        select(CourseEnrolment)
        .where(
            CourseEnrolment.course_id == course.id,
            CourseEnrolment.status == EnrolmentStatus.WAITING,
        )
        .order_by(CourseEnrolment.queued_at, CourseEnrolment.id)
        .limit(1)
    )
    if first is None:
        return None
    first.status = EnrolmentStatus.ENROLLED
    first.updated_at = utcnow()
    db.session.flush()
    notify.promoted(first)
    return first


@transactional
def substitute(p: Principal, enrolment_id: int, learner_id: int) -> CourseEnrolment:
    """Send another employee in someone's place (the seat or waiting place is kept)."""
    course, enrolment = _locked_enrolment(p, enrolment_id)
    learner = db.session.get(Learner, learner_id)
    why = _refusal(p, course, learner)
    if why is None and learner is not None and learner.organisation_id != enrolment.organisation_id:
        why = _l("The substitute works for the same organisation.")
    if why is None:
        taken = db.session.scalar(
            select(CourseEnrolment.id).where(
                CourseEnrolment.course_id == course.id,
                CourseEnrolment.learner_id == learner_id,
                CourseEnrolment.status.in_(ACTIVE),
            )
        )
        if taken is not None:
            why = _l("Already on this course.")
    if why is not None:
        raise InvalidInput(why, field="learner_id")
    enrolment.learner_id = learner_id
    enrolment.enrolled_by_id = p.user_id
    enrolment.updated_at = utcnow()
    db.session.flush()
    return enrolment
