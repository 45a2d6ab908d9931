"""``/api/v1/courses``: the catalogue, one course, enrolling staff and cancelling a place.

``POST /courses/{id}/enrolments`` answers 201 when everyone got a seat; otherwise 409
with ``enrolled``, ``waiting`` (on the waiting list, written) and ``refused`` (with the
reason, not written), so a client sees exactly who has a seat.
"""

from __future__ import annotations

from typing import Any

from flask import abort, jsonify
from flask.wrappers import Response

from hubs.access import current_principal, get_or_404, select_visible
from hubs.api.common import Blueprint, PageArgs, page_schema, paginate
from hubs.courses import enrolment as enrolling
from hubs.courses import queries
from hubs.courses.models import Course, CourseEnrolment
from hubs.courses.schemas import (
    CourseEnrolInputSchema,
    CourseEnrolmentSchema,
    CourseEnrolResultSchema,
    CourseQuerySchema,
    CourseSchema,
)
from hubs.db import utcnow
from hubs.extensions import db

blp = Blueprint("api_courses", __name__, description="Courses and enrolments of staff")


def _with_counts(courses: list[Course]) -> list[Course]:
    counts = queries.counts([c.id for c in courses])
    for course in courses:
        taken, waiting = counts[course.id]
        course.seats_left = max(course.seats - taken, 0)  # type: ignore[attr-defined]
        course.waiting = waiting  # type: ignore[attr-defined]
    return courses


@blp.get("/courses")
@blp.arguments(PageArgs, location="query")
@blp.arguments(CourseQuerySchema, location="query", as_kwargs=True)
@blp.response(200, page_schema(CourseSchema))
def list_courses(args: dict[str, Any], hub_id: int | None = None) -> dict[str, Any]:
    """The catalogue: planned courses that have not started yet, soonest first."""
    page = paginate(queries.catalogue_stmt(current_principal(), utcnow(), hub_id), args)
    page["items"] = _with_counts(list(page["items"]))
    return page


@blp.get("/courses/<int:course_id>")
@blp.response(200, CourseSchema)
def get_course(course_id: int) -> Course:
    """One course with its sessions, seats left and waiting list length."""
    return _with_counts([get_or_404(Course, course_id)])[0]


@blp.post("/courses/<int:course_id>/enrolments")
@blp.arguments(CourseEnrolInputSchema)
@blp.response(201, CourseEnrolResultSchema)
@blp.alt_response(409, schema=CourseEnrolResultSchema, description="some wait-listed or refused")
def enrol(data: dict[str, Any], course_id: int) -> Any:
    """Enrol employees of your organisation: 201 when all got a seat, else 409 naming
    who is on the waiting list and who was refused (and why)."""
    course = get_or_404(Course, course_id)
    result = enrolling.enrol(current_principal(), course.id, data["learner_ids"])
    if result.all_seated:
        return result
    response: Response = jsonify(CourseEnrolResultSchema().dump(result))
    response.status_code = 409
    return response


@blp.get("/courses/<int:course_id>/enrolments")
@blp.response(200, CourseEnrolmentSchema(many=True))
def list_enrolments(course_id: int) -> list[CourseEnrolment]:
    """The enrolments of this course you may see (HR: your organisation's), at most 500."""
    course = get_or_404(Course, course_id)
    stmt = (
        select_visible(CourseEnrolment)
        .where(CourseEnrolment.course_id == course.id)
        .order_by(CourseEnrolment.queued_at, CourseEnrolment.id)
        .limit(500)
    )
    return list(db.session.scalars(stmt))


@blp.delete("/courses/<int:course_id>/enrolments/<int:enrolment_id>")
@blp.response(204)
def cancel_enrolment(course_id: int, enrolment_id: int) -> None:
    """Cancel a place until the deadline; the first on the waiting list moves up."""
    enrolment = get_or_404(CourseEnrolment, enrolment_id)
    if enrolment.course_id != course_id:
        abort(404)
    enrolling.cancel_enrolment(current_principal(), enrolment.id)
