"""Twelve HR requests for the last three seats at the same moment: exactly three seats are
sold, the others go on the waiting list — through the real HTTP stack (threads), on
SQLite and PostgreSQL, never a 500 or "database is locked"."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from hubs.courses.models import CourseEnrolment, EnrolmentStatus
from hubs.extensions import db
from tests.booking.race import at_once, request, threaded_server
from tests.courses.conftest import _employee

RACERS = 12
SEATS = 3


def test_concurrent_enrolments_never_oversell_the_last_seats(app, make, cw, course, api_headers):
    course_id = course(seats=SEATS + 1)
    # One seat is already taken: three are left for twelve racers.
    with app.app_context():
        from hubs.courses.enrolment import enrol
        from tests.booking.helpers import principal

        enrol(principal(cw.hr), course_id, [cw.employees[0].id])
    people = [_employee(make, cw.company, "Racer", f"Nr {n}") for n in range(RACERS)]
    headers = api_headers(cw.hr)
    queue = iter(people)
    with threaded_server(app) as port:

        def fire():
            learner = next(queue)
            return request(
                port,
                "POST",
                f"/api/v1/courses/{course_id}/enrolments",
                json_body={"learner_ids": [learner.id]},
                headers=headers,
            )

        answers = at_once(RACERS, fire)
    statuses = Counter(a.status for a in answers)
    assert statuses == {201: SEATS, 409: RACERS - SEATS}, statuses
    for answer in answers:
        assert "database is locked" not in answer.body
        if answer.status == 409:
            assert answer.json()["waiting"], answer.body
    with app.app_context():
        counts = dict(
            db.session.execute(
                select(CourseEnrolment.status, func.count())
                .where(CourseEnrolment.course_id == course_id)
                .group_by(CourseEnrolment.status)
            ).all()
        )
    assert counts == {EnrolmentStatus.ENROLLED: SEATS + 1, EnrolmentStatus.WAITING: RACERS - SEATS}
