"""Matrix cases for courses: course A at hub A (given by school X) with a place of one of
X's people (course_enrolment_x), and a completed course with its certificate."""

from __future__ import annotations

from datetime import timedelta

from tests.access.test_matrix import Case
from tests.access.world import ORG_X, SIGNED_IN, STAFF_A

COURSE = {"course_id": "course_a"}
PLACE = {"course_id": "course_a", "enrolment_id": "course_enrolment_x"}
ENROLLERS = STAFF_A | ORG_X | {"booker_y"}  # HR of any organisation, the hub's staff
HR = ORG_X | {"booker_y"}

CASES = [
    Case("courses.detail", COURSE, SIGNED_IN),
    Case("courses.enrol", COURSE, ENROLLERS, method="POST"),
    Case("courses.cancel_place", PLACE, STAFF_A | ORG_X, method="POST"),
    Case("courses.substitute", PLACE, STAFF_A | ORG_X),
    Case("courses.substitute", PLACE, STAFF_A | ORG_X, method="POST"),
    Case("courses.cancel", COURSE, STAFF_A, method="POST"),
    Case("courses.complete", COURSE, STAFF_A, method="POST"),
    Case("courses.certificate", {"enrolment_id": "course_completed_x"}, STAFF_A | ORG_X),
    Case("courses.staff_export", {"fmt": "=csv"}, HR),
    Case("courses.staff_export", {"fmt": "=xlsx"}, HR),
    Case("api_courses.get_course", COURSE, SIGNED_IN),
    Case("api_courses.list_enrolments", COURSE, SIGNED_IN),
    Case("api_courses.enrol", COURSE, ENROLLERS, method="POST", data={"learner_ids": [999999]}),
    Case("api_courses.cancel_enrolment", PLACE, STAFF_A | ORG_X, method="DELETE"),
]


def build(world, make) -> None:  # type: ignore[no-untyped-def]

    with make.app.app_context():
        _build(world, make)


def _build(world, make) -> None:  # type: ignore[no-untyped-def]
    from hubs.courses.models import Course, CourseEnrolment, CourseSession, EnrolmentStatus
    from hubs.db import local_today, utcnow
    from hubs.learners.models import Learner, LearnerCategory
    from tests.booking.helpers import raw_booking

    start = utcnow().replace(microsecond=0) + timedelta(days=30)
    past = utcnow().replace(microsecond=0) - timedelta(days=30)
    hub, org = world["hub_a"], world["org_x"]
    future_id = raw_booking(make.app, world["resource_a"], org, start, start + timedelta(hours=3))
    past_id = raw_booking(make.app, world["resource_a"], org, past, past + timedelta(hours=3))
    with make._unit() as s:
        person = Learner(
            organisation_id=org.id,
            reference="C-001",
            category=LearnerCategory.OTHER,
            given_name="Cursist",
            family_name="X",
        )
        s.add(person)
        s.flush()
        course = Course(
            hub_id=hub.id,
            organisation_id=org.id,
            title="Course A",
            seats=4,
            enrol_deadline=local_today() + timedelta(days=20),
            audience="both",
        )
        done = Course(
            hub_id=hub.id,
            organisation_id=org.id,
            title="Course A (done)",
            seats=4,
            enrol_deadline=local_today() - timedelta(days=40),
            audience="both",
            status="completed",
            grants_licence_kind="laser",
        )
        s.add_all([course, done])
        s.flush()
        s.add(
            CourseSession(
                course_id=course.id,
                booking_id=future_id,
                starts_at=start,
                ends_at=start + timedelta(hours=3),
            )
        )
        s.add(
            CourseSession(
                course_id=done.id,
                booking_id=past_id,
                starts_at=past,
                ends_at=past + timedelta(hours=3),
            )
        )
        place = CourseEnrolment(
            course_id=course.id,
            learner_id=person.id,
            organisation_id=org.id,
            status=EnrolmentStatus.ENROLLED,
        )
        completed = CourseEnrolment(
            course_id=done.id,
            learner_id=person.id,
            organisation_id=org.id,
            status=EnrolmentStatus.COMPLETED,
            completed_on=local_today() - timedelta(days=30),
        )
        s.add_all([place, completed])
        s.flush()
    world["course_a"], world["course_enrolment_x"] = course, place
    world["course_completed_x"] = completed
