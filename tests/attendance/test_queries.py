"""The query interface reports use: booked versus realised, contact hours, no-shows."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import event

from hubs.attendance.queries import Scope, learner_hours, presence, visit_figures
from hubs.attendance.services import AttendanceInput, record_attendance
from hubs.booking.models import BookingStatus
from hubs.extensions import db
from tests.booking.helpers import at, principal

FIRST, LAST = date(2026, 2, 23), date(2026, 3, 2)


def _record(world, booking_id, **data):
    record_attendance(principal(world.coordinator), booking_id, AttendanceInput(**data))


@pytest.fixture
def week(ctx, world, visit, bundle):
    """Last week at the hub: a recorded bundle, a no-show, an unrecorded visit, a
    cancelled one, one before the range and one later today (not yet begun)."""
    ids = {
        "a": bundle("2026-02-23", "09:00", "11:00", [world.room, world.laser], group_size=20),
        "b": visit(
            "2026-02-24",
            "13:00",
            "14:30",
            resource=world.laser2,
            org=world.other_org,
            group_size=4,
            learner_category="employee",
        ),
        "c": visit("2026-02-25", "10:00", "12:00", group_size=10),
        "d": visit("2026-02-26", "10:00", "12:00", group_size=5, status=BookingStatus.CANCELLED),
        "e": visit("2026-03-02", "10:00", "11:00", group_size=6),
        "f": visit("2026-02-20", "10:00", "11:00", group_size=7),
    }
    _record(world, ids["a"], present=18)
    _record(world, ids["b"], present=0)
    _record(world, ids["f"], present=7)
    return ids


def test_totals_compare_booked_with_realised(week):
    (total,) = visit_figures(FIRST, LAST)
    assert (total.visits, total.recorded, total.unrecorded, total.no_shows) == (3, 2, 1, 1)
    assert (total.booked_participants, total.booked_participants_recorded) == (34, 24)
    assert total.realised_participants == 18
    assert total.booked_hours == 20 * 2 + 4 * 1.5 + 10 * 2
    assert total.contact_hours == 18 * 2


def test_per_organisation_and_per_booking(week, world):
    by_org = {f.key["organisation"]: f for f in visit_figures(FIRST, LAST, ("organisation",))}
    school, company = by_org[world.org.id], by_org[world.other_org.id]
    assert (school.visits, school.recorded, school.realised_participants) == (2, 1, 18)
    assert (school.contact_hours, school.booked_hours) == (36, 60)
    assert (company.visits, company.no_shows, company.contact_hours) == (1, 1, 0)
    by_booking = {
        f.key["booking"]: f.realised_participants for f in visit_figures(FIRST, LAST, ("booking",))
    }
    assert by_booking == {week["a"]: 18, week["b"]: 0, week["c"]: 0}


def test_per_resource_each_room_and_machine_counts_the_bundles_people(week, world):
    by_resource = {f.key["resource"]: f for f in visit_figures(FIRST, LAST, ("resource",))}
    assert set(by_resource) == {world.room.id, world.laser.id, world.laser2.id}
    assert by_resource[world.room.id].visits == 2
    assert by_resource[world.room.id].contact_hours == 36
    assert by_resource[world.laser.id].contact_hours == 36
    assert by_resource[world.laser2.id].no_shows == 1
    per_hub = visit_figures(FIRST, LAST, ("hub",))
    assert [(f.key, f.visits) for f in per_hub] == [({"hub": world.hub.id}, 3)]


def test_scope_narrows_to_hubs_organisations_resources_and_bookings(week, world, make):
    assert visit_figures(FIRST, LAST, scope=Scope(resource_ids=[world.laser.id]))[0].visits == 1
    assert (
        visit_figures(FIRST, LAST, scope=Scope(organisation_ids=[world.other_org.id]))[0].no_shows
        == 1
    )
    assert (
        visit_figures(FIRST, LAST, scope=Scope(booking_ids=[week["c"]]))[0].booked_participants
        == 10
    )
    assert visit_figures(FIRST, LAST, scope=Scope(hub_ids=[make.hub().id])) == [
        visit_figures(FIRST, LAST, scope=Scope(hub_ids=[]))[0]
    ]
    assert visit_figures(FIRST, LAST, scope=Scope(hub_ids=[]))[0].visits == 0


def test_visits_count_once_they_have_begun(week, clock):
    assert visit_figures(FIRST, LAST)[0].visits == 3
    later = at("2026-03-02", "10:30")
    assert visit_figures(FIRST, LAST, as_of=later)[0].visits == 4


def test_the_range_is_in_local_dates(ctx, world, visit):
    visit("2026-02-23", "00:30", "01:00", group_size=3)  # 22 February in UTC
    visit("2026-02-22", "23:30", "23:45", group_size=5)
    (total,) = visit_figures(FIRST, LAST)
    assert total.booked_participants == 3


def test_hours_per_learner_come_from_the_lists_of_names(ctx, world, visit, roster, make):
    from tests.learners.conftest import LearnerFactory

    learn = LearnerFactory(make)
    ann, bob, cas = (learn.learner(world.other_org, ref, category="employee") for ref in "ABC")
    first = visit(
        "2026-02-27",
        "09:00",
        "12:00",
        org=world.other_org,
        group_size=3,
        learner_category="employee",
    )
    second = visit(
        "2026-02-28",
        "09:00",
        "10:30",
        org=world.other_org,
        group_size=3,
        learner_category="employee",
    )
    roster({first: [ann, bob, cas], second: [ann, bob, cas]})
    _record(world, first, learner_ids=[ann.id, bob.id])
    _record(world, second, learner_ids=[ann.id])
    totals = {h.learner_id: (h.visits, h.hours) for h in learner_hours(FIRST, LAST)}
    assert totals == {ann.id: (2, 4.5), bob.id: (1, 3.0)}
    per_visit = learner_hours(learner_ids=[ann.id], per_booking=True)
    assert [(h.booking_id, h.hours) for h in per_visit] == [(first, 3.0), (second, 1.5)]
    assert learner_hours(booking_ids=[second]) == [
        learner_hours(learner_ids=[ann.id], booking_ids=[second])[0]
    ]
    assert len(db.session.execute(presence()).all()) == 3


def test_one_query_however_many_visits(ctx, world, visit):
    for n in range(12):
        visit(f"2026-02-{10 + n:02d}", "10:00", "11:00", group_size=2)
    statements = []

    def count(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        visit_figures(date(2026, 2, 1), LAST, ("organisation", "resource"))
        learner_hours(FIRST, LAST)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert len(statements) == 2
