"""Recording who came: the rules, at service level (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from hubs.attendance.models import Attendance
from hubs.attendance.services import AttendanceInput, record_attendance
from hubs.booking.models import BookingStatus
from hubs.errors import DomainError, InvalidInput, NotAllowed
from hubs.extensions import db
from tests.booking.helpers import principal


def _record(user, booking_id, **data):
    return record_attendance(principal(user), booking_id, AttendanceInput(**data))


def test_a_coordinator_records_the_number_present_and_can_correct_it(ctx, world, visit):
    booking_id = visit(group_size=24)
    first = _record(world.coordinator, booking_id, present=22)
    assert (first.present, first.is_no_show, first.recorded_by_id) == (
        22,
        False,
        world.coordinator.id,
    )
    _record(world.coordinator, booking_id, present=21)
    rows = db.session.scalars(select(Attendance)).all()
    assert [(r.booking_id, r.present) for r in rows] == [(booking_id, 21)]


def test_nobody_present_is_a_no_show(ctx, world, visit):
    record = _record(world.coordinator, visit(), present=0)
    assert record.is_no_show


def test_a_bundle_has_one_record_whichever_row_is_named(ctx, app, world, visit):
    from hubs.booking.models import Booking
    from hubs.db import write_transaction
    from tests.booking.helpers import at

    lead_id = visit(group_size=12)

    with write_transaction():
        second = Booking(
            bundle_id=lead_id,
            hub_id=world.hub.id,
            resource_id=world.laser.id,
            organisation_id=world.org.id,
            start_at=at("2026-03-02", "10:00"),
            end_at=at("2026-03-02", "12:00"),
            status=BookingStatus.CONFIRMED,
            group_name="2B",
            group_size=12,
            learner_category="vo",
        )
        db.session.add(second)
    record = _record(world.coordinator, second.id, present=11)
    assert record.booking_id == lead_id


@pytest.mark.parametrize("present", [-1, 29, None])
def test_a_number_outside_what_the_visit_can_hold_is_refused(ctx, world, visit, present):
    booking_id = visit(group_size=24)  # the room takes 28
    with pytest.raises(InvalidInput) as caught:
        _record(world.coordinator, booking_id, present=present)
    assert "present" in caught.value.fields
    assert db.session.scalar(select(Attendance.id)) is None


def test_more_people_than_booked_may_come_if_the_room_takes_them(ctx, world, visit):
    assert _record(world.coordinator, visit(group_size=24), present=28).present == 28


def test_only_the_hubs_coordinators_record(ctx, world, visit, make):
    booking_id = visit()
    for user in (world.booker, make.user(("coordinator", make.hub()))):
        with pytest.raises(NotAllowed):
            _record(user, booking_id, present=3)
    assert _record(make.user("manager"), booking_id, present=3).present == 3


def test_a_visit_is_recorded_from_its_own_day_on(ctx, world, visit):
    tomorrow = visit(day="2026-03-03")
    with pytest.raises(DomainError, match="vanaf de dag van het bezoek"):
        _record(world.coordinator, tomorrow, present=3)
    assert _record(world.coordinator, visit(day="2026-02-27"), present=3).present == 3


@pytest.mark.parametrize("status", [BookingStatus.REQUESTED, BookingStatus.CANCELLED])
def test_only_confirmed_visits_have_a_register(ctx, world, visit, status):
    with pytest.raises(DomainError, match="bevestigde boekingen"):
        _record(world.coordinator, visit(status=status), present=3)


def test_a_visit_with_a_list_of_names_records_who_came(ctx, world, visit, roster, make):
    from tests.learners.conftest import LearnerFactory

    learn = LearnerFactory(make)
    people = [learn.learner(world.other_org, f"E-{n}", category="employee") for n in range(3)]
    outsider = learn.learner(world.other_org, "E-9", category="employee")
    booking_id = visit(org=world.other_org, group_size=3, learner_category="employee")
    roster({booking_id: people})
    record = _record(world.coordinator, booking_id, learner_ids=[people[0].id, people[2].id])
    assert (record.present, record.listed) == (2, True)
    assert record.learner_ids == [people[0].id, people[2].id]
    record = _record(world.coordinator, booking_id, learner_ids=[people[1].id])
    assert record.learner_ids == [people[1].id] and record.present == 1
    with pytest.raises(InvalidInput) as caught:
        _record(world.coordinator, booking_id, learner_ids=[outsider.id])
    assert "learner_ids" in caught.value.fields
    with pytest.raises(InvalidInput):
        _record(world.coordinator, booking_id, present=3)  # names, not a number
    assert _record(world.coordinator, booking_id, learner_ids=[]).is_no_show


def test_a_visit_without_a_list_takes_no_names(ctx, world, visit, make):
    from tests.learners.conftest import LearnerFactory

    person = LearnerFactory(make).learner(world.org, "123")
    with pytest.raises(InvalidInput) as caught:
        _record(world.coordinator, visit(), learner_ids=[person.id])
    assert "learner_ids" in caught.value.fields
