"""Privacy (access export, erasure keeps the numbers) and the demo's filled-in register."""

from __future__ import annotations

from datetime import UTC, date, datetime

import time_machine
from sqlalchemy import func, select

from hubs.attendance.models import Attendance
from hubs.attendance.queries import learner_hours, visit_figures
from hubs.attendance.services import AttendanceInput, record_attendance
from hubs.booking.models import Booking
from hubs.extensions import db
from tests.booking.helpers import principal


def test_the_access_export_lists_visits_and_erasure_keeps_the_hours(
    app, world, visit, roster, make, client, login
):
    from tests.learners.conftest import LearnerFactory

    learn = LearnerFactory(make)
    programme = learn.programme(world.hub, categories=("employee",))
    person = learn.learner(world.other_org, "E-77", category="employee", family_name="Zwart")
    learn.individual(programme, person, starts_on=date(2025, 8, 1), ends_on=date(2026, 7, 31))
    booking_id = visit(org=world.other_org, group_size=1, learner_category="employee")
    roster({booking_id: [person]})
    with app.app_context():
        record_attendance(
            principal(world.coordinator), booking_id, AttendanceInput(learner_ids=[person.id])
        )
        before = learner_hours()
    login(client, world.coordinator)
    exported = client.post_form(f"/learners/people/{person.id}/export").json
    assert [v["booking_id"] for v in exported["attendance"]] == [booking_id]
    response = client.post_form(f"/learners/people/{person.id}/erase", {"confirm": "y"})
    assert response.status_code == 302
    with app.app_context():
        assert learner_hours() == before
        assert db.session.scalar(select(func.count()).select_from(Attendance)) == 1


def test_the_demo_has_the_register_filled_in_for_past_visits(app):
    from hubs.demo.cli import load_demo

    today = datetime(2026, 10, 1, 8, tzinfo=UTC)
    with time_machine.travel(today, tick=False), app.app_context():
        load_demo()
        first, last = date(2026, 8, 1), date(2026, 9, 28)
        (total,) = visit_figures(first, last)
        assert total.visits > 50 and total.recorded == total.visits
        assert 0 < total.no_shows < total.visits // 10
        assert 0 < total.realised_participants < total.booked_participants
        assert total.contact_hours > 0
        recent = visit_figures(date(2026, 9, 29), date(2026, 10, 1))[0]
        assert recent.visits and recent.recorded == 0  # the coordinator fills these in
        ahead = db.session.scalar(
            select(func.count())
            .select_from(Attendance)
            .join(Booking, Booking.id == Attendance.booking_id)
            .where(Booking.start_at > today)
        )
        assert ahead == 0
