"""What courses hold on a person: their places on courses (status, completion date). No
free text about them.

Erasure keeps the enrolments: they name the (anonymised) learner by id only, and course
figures and HR's evidence totals depend on them. The access export lists them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from hubs.courses.models import Course, CourseEnrolment
from hubs.extensions import db
from hubs.privacy import Subject, register_eraser, register_exporter


def export(subject: Subject) -> list[dict[str, Any]]:
    """Every course place of the learner, oldest first."""
    rows = db.session.execute(
        select(CourseEnrolment, Course.title)
        .join(Course, Course.id == CourseEnrolment.course_id)
        .where(CourseEnrolment.learner_id == subject.learner_id)
        .order_by(CourseEnrolment.id)
    ).all()
    return [
        {
            "course_id": e.course_id,
            "course": title,
            "status": e.status.value,
            "enrolled_at": e.queued_at.isoformat(),
            "completed_on": e.completed_on.isoformat() if e.completed_on else None,
        }
        for e, title in rows
    ]


def erase(subject: Subject) -> int:
    """Nothing to remove: the places name the (anonymised) learner by id only."""
    return 0


register_exporter("courses", export)
register_eraser("courses", erase)
