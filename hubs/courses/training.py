"""Courses in the company training report (:mod:`hubs.reports.training`).

Employees trained and course hours attended per company: learners of the employee
category recorded present at a course session (the attendance register's list of
names), counted by their organisation. One aggregate query per call.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from hubs.attendance.queries import presence
from hubs.booking.clock import day_bounds, zone
from hubs.courses.models import Course, CourseSession
from hubs.extensions import db
from hubs.learners.models import Learner, LearnerCategory
from hubs.reports.training import CourseFigures


def course_figures(
    first: date, last: date, hub_ids: frozenset[int] | None
) -> dict[int, CourseFigures]:
    """``organisation_id -> CourseFigures`` for sessions that started on a local date in
    ``[first, last]`` at one of ``hub_ids`` (None: every hub)."""
    tz = zone(None)
    start, end = day_bounds(first, tz)[0], day_bounds(last, tz)[1]
    sub = presence().subquery()
    stmt = (
        select(
            Learner.organisation_id,
            func.count(func.distinct(Learner.id)).label("employees"),
            func.sum(sub.c.hours).label("hours"),
        )
        .select_from(sub)
        .join(CourseSession, CourseSession.booking_id == sub.c.booking_id)
        .join(Course, Course.id == CourseSession.course_id)
        .join(Learner, Learner.id == sub.c.learner_id)
        .where(
            Learner.category == LearnerCategory.EMPLOYEE,
            sub.c.start_at >= start,
            sub.c.start_at < end,
        )
        .group_by(Learner.organisation_id)
    )
    if hub_ids is not None:
        stmt = stmt.where(Course.hub_id.in_(sorted(hub_ids)))
    return {
        row.organisation_id: CourseFigures(int(row.employees), round(float(row.hours or 0), 2))
        for row in db.session.execute(stmt)
    }
