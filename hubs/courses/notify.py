"""Mail to HR about their staff's course places, through the outbox, in their language."""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from flask_babel import lazy_gettext as _l

from hubs.accounts.models import User
from hubs.booking.models import Booking
from hubs.courses.models import Course, CourseEnrolment
from hubs.extensions import db
from hubs.mail.services import queue_mail

# Set while a coordinator schedules a course: its sessions are booked one by one, and the
# booking core would mail them a "booking confirmed" per session. They just scheduled the
# course on screen (and see it on the course page and in the hub's calendar feed), so no
# mail is due.
scheduling: ContextVar[bool] = ContextVar("courses_scheduling", default=False)


def quiet_while_scheduling(lead: Booking, kind: str, rows: list[Booking], extra: Any) -> bool:
    """Booking mail router: swallow the per-session mails of scheduling a course."""
    return scheduling.get() and kind in ("confirmed", "requested")


def _hr(user_id: int | None) -> User | None:
    user = db.session.get(User, user_id) if user_id else None
    return user if user is not None and user.active else None


def promoted(enrolment: CourseEnrolment) -> None:
    """The first on the waiting list got a seat: tell whoever enrolled them."""
    user = _hr(enrolment.enrolled_by_id)
    if user is None:
        return
    course = enrolment.course
    queue_mail(
        to=user,
        kind="course.promoted",
        template="courses/promoted",
        subject=_l("A seat on %(course)s for %(name)s", course=course.title, name=_name(enrolment)),
        course=course,
        learner_name=_name(enrolment),
    )


def course_cancelled(course: Course, enrolments: list[CourseEnrolment], reason: str) -> None:
    """Every company with staff on the course hears it is off (one mail per person who
    enrolled staff, naming them)."""
    by_user: dict[int, list[str]] = {}
    for enrolment in enrolments:
        if enrolment.enrolled_by_id is not None:
            by_user.setdefault(enrolment.enrolled_by_id, []).append(_name(enrolment))
    for user_id, names in sorted(by_user.items()):
        user = _hr(user_id)
        if user is None:
            continue
        queue_mail(
            to=user,
            kind="course.cancelled",
            template="courses/cancelled",
            subject=_l("Course cancelled: %(course)s", course=course.title),
            course=course,
            names=sorted(names),
            reason=reason,
        )


def _name(enrolment: CourseEnrolment) -> Any:
    return enrolment.learner.display_name
