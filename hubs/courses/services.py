"""Course use cases for coordinators: schedule (booking every session through the booking
core), cancel (freeing the rooms and machines, mailing the companies) and complete
(recording the result per learner from the register and issuing the licence).

Enrolling, cancelling and substituting staff live in :mod:`hubs.courses.enrolment`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from hubs.access import Principal
from hubs.attendance.models import Attendance, AttendanceLearner
from hubs.booking import services as booking
from hubs.booking.clock import local_date, zone
from hubs.booking.models import LearnerCategory
from hubs.courses import notify
from hubs.courses.models import (
    ACTIVE,
    Audience,
    Course,
    CourseEnrolment,
    CourseSession,
    CourseStatus,
    EnrolmentStatus,
)
from hubs.db import local_today, transactional, utcnow
from hubs.errors import DomainError, InvalidInput, NotAllowed
from hubs.extensions import db
from hubs.licences.services import issue_licence, revoke_course_licences


@dataclass
class SessionInput:
    """One date of a course: its start, end and the rooms and machines it needs."""

    start: datetime
    end: datetime
    resource_ids: list[int]


@dataclass
class CourseInput:
    """What a coordinator schedules, parsed from a form or JSON."""

    hub_id: int
    organisation_id: int
    title: str
    seats: int
    enrol_deadline: date
    sessions: list[SessionInput]
    description: str = ""
    level: str = ""
    min_participants: int = 0
    decision_on: date | None = None
    price_cents: int = 0
    grants_licence_kind: str | None = None
    licence_valid_months: int | None = None
    audience: Audience = Audience.COMPANIES
    extra: dict[str, Any] = field(default_factory=dict)


def lock_course(course_id: int) -> Course:
    """The course row, locked for this unit of work (seats are counted under this lock)."""
    course = db.session.scalar(
        select(Course)
        .where(Course.id == course_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if course is None:
        raise DomainError(_l("This course does not exist."))
    return course


# --- schedule --------------------------------------------------------------------------


@transactional
def schedule_course(p: Principal, data: CourseInput) -> Course:
    """Create a course and book each session's room and machines (all or nothing).

    Raises NotAllowed for someone who does not run the hub, InvalidInput naming the
    field, and the booking core's errors (SlotTaken, Closed …) for a session that cannot
    be booked.
    """
    if not p.coordinates(data.hub_id):
        raise NotAllowed(_l("Only the hub's coordinators schedule courses."))
    _check(data, local_today())
    now = utcnow()
    course = Course(
        hub_id=data.hub_id,
        organisation_id=data.organisation_id,
        title=data.title.strip(),
        description=data.description.strip(),
        level=data.level.strip(),
        seats=data.seats,
        min_participants=data.min_participants,
        decision_on=data.decision_on,
        enrol_deadline=data.enrol_deadline,
        price_cents=data.price_cents,
        grants_licence_kind=(data.grants_licence_kind or "").strip() or None,
        licence_valid_months=data.licence_valid_months,
        audience=data.audience,
        created_by_id=p.user_id,
        created_at=now,
        updated_at=now,
    )
    db.session.add(course)
    token = notify.scheduling.set(True)
    try:
        for session in sorted(data.sessions, key=lambda s: s.start):
            lead = _book_session(p, data, session)
            course.sessions.append(
                CourseSession(booking_id=lead.id, starts_at=lead.start_at, ends_at=lead.end_at)
            )
    finally:
        notify.scheduling.reset(token)
    db.session.flush()
    return course


def _book_session(p: Principal, data: CourseInput, session: SessionInput) -> Any:
    category = LearnerCategory.EMPLOYEE if data.audience == Audience.COMPANIES else "other"
    try:
        return booking.book(
            booking.BookingInput(
                resource_ids=session.resource_ids,
                start=session.start,
                end=session.end,
                group_name=data.title.strip()[:60],
                group_size=data.seats,
                learner_category=str(category),
                purpose=data.title.strip()[:200],
                organisation_id=data.organisation_id,
                # The organisation gives the course: its school's programme is not the
                # course's, so a session is part of no programme unless one is named.
                derive_programme=False,
            ),
            p,
        )
    except InvalidInput as error:
        fields = {
            ("seats" if k == "group_size" else "sessions"): v for k, v in error.fields.items()
        }
        raise InvalidInput(fields=fields) from None


def _check(data: CourseInput, today: date) -> None:
    errors: dict[str, list[Any]] = {}

    def fail(name: str, message: Any) -> None:
        errors.setdefault(name, []).append(message)

    title = data.title.strip()
    if not title:
        fail("title", _l("Give the course a title."))
    elif len(title) > 120:
        fail("title", _l("At most 120 characters."))
    if data.seats is None or data.seats < 1:
        fail("seats", _l("A course has at least 1 seat."))
    if data.min_participants < 0 or (data.seats and data.min_participants > data.seats):
        fail("min_participants", _l("The minimum is between 0 and the number of seats."))
    if data.price_cents < 0:
        fail("price", _l("The price cannot be negative."))
    if not data.sessions:
        fail("sessions", _l("Plan at least one session."))
    else:
        first = min(local_date(s.start, zone(None)) for s in data.sessions)
        if data.enrol_deadline > first:
            fail("enrol_deadline", _l("The enrolment deadline is on or before the first session."))
        if data.decision_on is not None and data.decision_on > first:
            fail("decision_on", _l("The decision date is on or before the first session."))
    if data.enrol_deadline < today:
        fail("enrol_deadline", _l("The enrolment deadline is in the past."))
    months = data.licence_valid_months
    if months is not None and (months < 1 or not (data.grants_licence_kind or "").strip()):
        fail("licence_valid_months", _l("A validity needs a licence, and at least 1 month."))
    if len((data.grants_licence_kind or "").strip()) > 40:
        fail("grants_licence_kind", _l("At most 40 characters."))
    if errors:
        raise InvalidInput(fields=errors)


# --- cancel ----------------------------------------------------------------------------


@transactional
def cancel_course(p: Principal, course_id: int, reason: str = "") -> Course:
    """Call a course off: its sessions' bookings are cancelled (rooms and machines free at
    once), every place is cancelled and every company with staff on it is mailed."""
    course = lock_course(course_id)
    if not p.coordinates(course.hub_id):
        raise NotAllowed(_l("Only the hub's coordinators cancel courses."))
    if course.status != CourseStatus.PLANNED:
        raise DomainError(_l("Only a planned course can be cancelled."))
    now = utcnow()
    for session in course.sessions:
        if session.starts_at > now:
            booking.cancel_booking(session.booking_id, p, reason, by_owner=True)
    enrolments = list(
        db.session.scalars(
            select(CourseEnrolment).where(
                CourseEnrolment.course_id == course.id,
                CourseEnrolment.status.in_(ACTIVE),
            )
        )
    )
    db.session.execute(
        update(CourseEnrolment)
        .where(CourseEnrolment.course_id == course.id, CourseEnrolment.status.in_(ACTIVE))
        .values(status=EnrolmentStatus.CANCELLED, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    course.status = CourseStatus.CANCELLED
    course.updated_at = now
    db.session.flush()
    notify.course_cancelled(course, enrolments, reason.strip()[:300])
    return course


# --- complete --------------------------------------------------------------------------


@dataclass
class Completion:
    """The outcome of completing a course: who completed it, who did not."""

    completed: list[CourseEnrolment]
    not_completed: list[CourseEnrolment]


@transactional
def complete_course(p: Principal, course_id: int) -> Completion:
    """Close a course after its last session: every enrolled learner recorded present at
    every session completes it (recorded on their enrolment, with the licence the course
    grants); the others did not complete it. Needs the register of every session."""
    course = lock_course(course_id)
    if not p.coordinates(course.hub_id):
        raise NotAllowed(_l("Only the hub's coordinators complete courses."))
    if course.status != CourseStatus.PLANNED:
        raise DomainError(_l("Only a planned course can be completed."))
    if not course.sessions or course.sessions[-1].starts_at > utcnow():
        raise DomainError(_l("A course is completed after its last session has started."))
    present = _presence(course)
    if present is None:
        raise DomainError(_l("Record who came to every session first (the register)."))
    done_on = local_date(course.sessions[-1].ends_at, zone(None))
    enrolled = list(
        db.session.scalars(
            select(CourseEnrolment)
            .where(
                CourseEnrolment.course_id == course.id,
                CourseEnrolment.status == EnrolmentStatus.ENROLLED,
            )
            .order_by(CourseEnrolment.id)
        )
    )
    result = Completion([], [])
    for enrolment in enrolled:
        if _settle(course, enrolment, _qualifies(enrolment, present), done_on, p.user_id):
            result.completed.append(enrolment)
        else:
            result.not_completed.append(enrolment)
    course.status = CourseStatus.COMPLETED
    course.updated_at = utcnow()
    db.session.flush()
    return result


def recompute_completion(booking_id: int, actor_id: int | None) -> None:
    """After the register of a completed course's session is corrected, correct the
    result: who no longer attended every session loses the completion (and the licence
    the course issued them), who now did gains it. Joins the register's unit of work."""
    course_id = db.session.scalar(
        select(CourseSession.course_id).where(CourseSession.booking_id == booking_id)
    )
    if course_id is None:
        return
    course = lock_course(course_id)
    present = _presence(course) if course.status == CourseStatus.COMPLETED else None
    if present is None:
        return
    done_on = local_date(course.sessions[-1].ends_at, zone(None))
    settled = db.session.scalars(
        select(CourseEnrolment)
        .where(
            CourseEnrolment.course_id == course.id,
            CourseEnrolment.status.in_((EnrolmentStatus.COMPLETED, EnrolmentStatus.NOT_COMPLETED)),
        )
        .order_by(CourseEnrolment.id)
    )
    for enrolment in list(settled):
        qualifies = _qualifies(enrolment, present)
        if qualifies != (enrolment.status == EnrolmentStatus.COMPLETED):
            _settle(course, enrolment, qualifies, done_on, actor_id)
    db.session.flush()


def _qualifies(enrolment: CourseEnrolment, present: dict[int, set[int]]) -> bool:
    return all(enrolment.learner_id in ids for ids in present.values())


def _settle(
    course: Course,
    enrolment: CourseEnrolment,
    completed: bool,
    done_on: date,
    actor_id: int | None,
) -> bool:
    """Record one learner's result; a completion issues the course's licence, taking a
    completion back revokes the licences this course issued to the learner."""
    was_completed = enrolment.status == EnrolmentStatus.COMPLETED
    if completed:
        enrolment.status = EnrolmentStatus.COMPLETED
        enrolment.completed_on = done_on
        if not was_completed:
            _issue_licence(course, enrolment.learner_id, done_on, actor_id)
    else:
        enrolment.status = EnrolmentStatus.NOT_COMPLETED
        enrolment.completed_on = None
        if was_completed:
            revoke_course_licences(course.id, enrolment.learner_id, revoked_by_id=actor_id)
    enrolment.updated_at = utcnow()
    return completed


def _presence(course: Course) -> dict[int, set[int]] | None:
    """Learners present per session; None when a session has no record yet."""
    ids = [s.booking_id for s in course.sessions]
    recorded = set(
        db.session.scalars(select(Attendance.booking_id).where(Attendance.booking_id.in_(ids)))
    )
    if recorded != set(ids):
        return None
    present: dict[int, set[int]] = {i: set() for i in ids}
    rows = db.session.execute(
        select(Attendance.booking_id, AttendanceLearner.learner_id)
        .join(AttendanceLearner, AttendanceLearner.attendance_id == Attendance.id)
        .where(Attendance.booking_id.in_(ids))
    )
    for booking_id, learner_id in rows:
        present[booking_id].add(learner_id)
    return present


def licence_expiry(course: Course, issued_on: date) -> date | None:
    """The expiry of the licence the course grants, issued on ``issued_on``."""
    months = course.licence_valid_months
    if not months:
        return None
    month = issued_on.month - 1 + months
    year, month = issued_on.year + month // 12, month % 12 + 1
    for day in (issued_on.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _issue_licence(
    course: Course, learner_id: int, issued_on: date, issued_by_id: int | None = None
) -> None:
    """Issue the licence the course grants (hubs.licences), recording who completed it."""
    if not course.grants_licence_kind:
        return
    issue_licence(
        learner_id=learner_id,
        kind=course.grants_licence_kind,
        issued_on=issued_on,
        expires_on=licence_expiry(course, issued_on),
        source="course",
        course_id=course.id,
        issued_by_id=issued_by_id,
    )
