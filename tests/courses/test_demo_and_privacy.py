"""The demo's courses, and what courses hold on a person (access export, erasure)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import time_machine
from sqlalchemy import func, select

from hubs.courses.models import Course, CourseEnrolment, CourseStatus, EnrolmentStatus
from hubs.extensions import db


def test_the_demo_has_open_full_below_minimum_and_completed_courses(app):
    from hubs.courses.queries import below_minimum, counts, with_hours
    from hubs.db import utcnow
    from hubs.demo.cli import load_demo

    today = datetime(2026, 10, 1, 8, tzinfo=UTC)
    with time_machine.travel(today, tick=False), app.app_context():
        ctx = load_demo()
        courses = {
            (c.title, c.status): c for c in db.session.scalars(select(Course).order_by(Course.id))
        }
        planned = [c for (_, status), c in courses.items() if status == CourseStatus.PLANNED]
        assert len(planned) == 3
        seats = counts([c.id for c in planned])
        full = [c for c in planned if seats[c.id][0] == c.seats and seats[c.id][1] > 0]
        assert [c.title for c in full] == ["Lasersnijden veilig werken"]
        low = below_minimum([ctx.hubs["make"].id], date(2026, 10, 1), utcnow())
        assert [b.course.title for b in low] == ["Lassen MIG/MAG veilig werken"]
        done = courses[("CNC-frezen basis", CourseStatus.COMPLETED)]
        rows = db.session.scalars(
            select(CourseEnrolment).where(CourseEnrolment.course_id == done.id)
        ).all()
        assert sorted(r.status for r in rows).count(EnrolmentStatus.COMPLETED) == 3
        hours = sorted(r.hours_attended for r in with_hours(list(rows)))
        assert hours == [7.0, 14.0, 14.0, 14.0]


def test_the_access_export_lists_a_persons_courses(app, cw, course):
    from hubs.courses.enrolment import enrol
    from hubs.privacy import Subject
    from hubs.privacy import exporters as registry
    from tests.booking.helpers import principal

    course_id = course()
    with app.app_context():
        enrol(principal(cw.hr), course_id, [cw.employees[0].id])
        exported = registry()["courses"](Subject(learner_id=cw.employees[0].id, needles=()))
        assert [(e["course"], e["status"]) for e in exported] == [("CNC-frezen basis", "enrolled")]
        assert db.session.scalar(select(func.count()).select_from(CourseEnrolment)) == 1
