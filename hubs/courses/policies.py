"""Who may see courses and enrolments.

The catalogue is for every signed-in user (HR, teachers, staff). Enrolments name people:
the hub's coordinators see those of their hubs' courses, HR only their own organisation's.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, or_, select, true

from hubs.access import Principal, scope
from hubs.courses.models import Course, CourseEnrolment


@scope(Course)
def _courses(p: Principal) -> ColumnElement[bool]:
    return true() if p.is_authenticated else false()


@scope(CourseEnrolment)
def _enrolments(p: Principal) -> ColumnElement[bool]:
    if p.is_manager:
        return true()
    at_my_hubs = CourseEnrolment.course_id.in_(
        select(Course.id).where(Course.hub_id.in_(p.coordinator_hub_ids))
    )
    return or_(at_my_hubs, CourseEnrolment.organisation_id.in_(p.booker_org_ids))
