"""The list of names of each course session for the attendance register."""

from __future__ import annotations

from sqlalchemy import select

from hubs.attendance.roster import RosterEntry, register_roster
from hubs.courses.models import CourseEnrolment, CourseSession, EnrolmentStatus
from hubs.extensions import db
from hubs.learners.models import Learner
from hubs.organisations.models import Organisation

# Seated learners; after completion also those who did not complete (corrections).
ON_LIST = (EnrolmentStatus.ENROLLED, EnrolmentStatus.COMPLETED, EnrolmentStatus.NOT_COMPLETED)


def expected(booking_ids: list[int]) -> dict[int, list[RosterEntry]]:
    """Seated learners per session booking (one query)."""
    rows = db.session.execute(
        select(CourseSession.booking_id, Learner, Organisation.name)
        .join(CourseEnrolment, CourseEnrolment.course_id == CourseSession.course_id)
        .join(Learner, Learner.id == CourseEnrolment.learner_id)
        .join(Organisation, Organisation.id == CourseEnrolment.organisation_id)
        .where(CourseSession.booking_id.in_(booking_ids), CourseEnrolment.status.in_(ON_LIST))
        .order_by(CourseSession.booking_id, Learner.family_name, Learner.given_name, Learner.id)
    )
    found: dict[int, list[RosterEntry]] = {}
    for booking_id, learner, org_name in rows:
        found.setdefault(booking_id, []).append(
            RosterEntry(learner.id, learner.display_name, org_name)
        )
    return found


register_roster("courses", expected)
