"""Booking a weekly series: the preview judges every date (free, conflict, skipped), then
the booker books all or nothing, or only the free dates, in one unit of work."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from hubs.booking.models import Booking, BookingStatus
from hubs.errors import InvalidInput
from hubs.extensions import db
from hubs.series.errors import SeriesConflict
from hubs.series.models import BookingSeries, OccurrenceState, SeriesOccurrence
from hubs.series.services import book_series, preview_series
from tests.booking.helpers import at, principal, raw_booking
from tests.series.helpers import series_input


def _bookings() -> int:
    return db.session.scalar(select(func.count()).select_from(Booking))


def _states(plan) -> dict[date, str]:
    return {o.day: o.state for o in plan.occurrences}


def test_preview_lists_every_tuesday_with_free_and_holiday_dates(ctx, world):
    # 3 March to 5 May 2026: the May holiday (region midden) covers Tuesday 28 April.
    data = series_input([world.laser], "2026-03-03", "09:00", "11:00", "2026-05-05")
    plan = preview_series(data, principal(world.booker))
    states = _states(plan)
    assert len(states) == 10
    assert all(d.weekday() == 1 for d in states)
    assert states[date(2026, 4, 28)] == "skipped"
    skipped = plan.skipped[0]
    assert "May Break" in skipped.reason or "Mei" in skipped.reason
    assert [o.day for o in plan.free] == [d for d in states if d != date(2026, 4, 28)]
    assert _bookings() == 0, "a preview writes nothing"


def test_preview_shows_a_conflict_with_the_other_organisation_without_its_details(ctx, world):
    raw_booking(
        ctx,
        world.laser,
        world.other_org,
        at("2026-03-17", "10:00"),
        at("2026-03-17", "12:00"),
        group_name="Geheime ploeg",
    )
    data = series_input([world.laser], "2026-03-03", "09:00", "11:00", "2026-03-31")
    plan = preview_series(data, principal(world.booker))
    assert _states(plan)[date(2026, 3, 17)] == "conflict"
    conflict = plan.conflicts[0]
    assert "Lasersnijder 1" in conflict.reason
    assert "Geheime ploeg" not in conflict.reason
    assert all("group_name" not in c for c in conflict.conflicts)
    assert all("Kromwijk" not in str(c) for c in conflict.conflicts)


def test_preview_names_the_own_organisations_group_in_a_conflict(ctx, world):
    raw_booking(
        ctx,
        world.laser,
        world.org,
        at("2026-03-10", "09:00"),
        at("2026-03-10", "10:00"),
        group_name="2B-BWI",
    )
    data = series_input([world.laser], "2026-03-03", "09:00", "11:00", "2026-03-17")
    plan = preview_series(data, principal(world.booker))
    assert "2B-BWI" in plan.conflicts[0].reason


def test_all_or_nothing_books_nothing_when_one_date_is_taken(ctx, world):
    raw_booking(
        ctx, world.room, world.other_org, at("2026-03-10", "08:00"), at("2026-03-10", "10:00")
    )
    data = series_input([world.room, world.laser], "2026-03-03", "09:00", "11:00", "2026-03-31")
    with pytest.raises(SeriesConflict) as refused:
        book_series(data, principal(world.booker))
    states = {o["date"]: o["state"] for o in refused.value.details["occurrences"]}
    assert states["2026-03-10"] == "conflict"
    assert list(states.values()).count("free") == 4
    assert _bookings() == 1
    assert db.session.scalar(select(func.count()).select_from(BookingSeries)) == 0


def test_book_the_free_dates_leaves_out_the_taken_one_and_lists_it(ctx, world):
    raw_booking(
        ctx, world.room, world.other_org, at("2026-03-10", "08:00"), at("2026-03-10", "10:00")
    )
    data = series_input(
        [world.room, world.laser],
        "2026-03-03",
        "09:00",
        "11:00",
        "2026-03-31",
        skip_conflicts=True,
    )
    series = book_series(data, principal(world.booker))
    occurrences = db.session.scalars(
        select(SeriesOccurrence).where(SeriesOccurrence.series_id == series.id)
    ).all()
    by_day = {o.on_date: o for o in occurrences}
    assert by_day[date(2026, 3, 10)].state == OccurrenceState.CONFLICT
    assert by_day[date(2026, 3, 10)].booking_id is None
    booked = [o for o in occurrences if o.state == OccurrenceState.BOOKED]
    assert [o.on_date for o in booked] == [
        date(2026, 3, 3),
        date(2026, 3, 17),
        date(2026, 3, 24),
        date(2026, 3, 31),
    ]
    # Each date is a bundle of the room and the laser.
    rows = db.session.scalars(select(Booking).where(Booking.organisation_id == world.org.id)).all()
    assert len(rows) == 8
    assert {r.bundle_id for r in rows} == {o.booking_id for o in booked}
    assert all(r.status == BookingStatus.CONFIRMED for r in rows)


def test_the_whole_series_is_stored_with_its_rule_timezone_and_local_times(ctx, world):
    data = series_input(
        [world.laser],
        "2026-03-03",
        "09:00",
        "11:00",
        "2026-06-30",
        weekdays=["tue", "thu"],
        interval_weeks=2,
    )
    series = book_series(data, principal(world.booker))
    assert series.timezone == "Europe/Amsterdam"
    assert series.start_time.isoformat() == "09:00:00"
    assert series.end_time.isoformat() == "11:00:00"
    assert "INTERVAL=2" in series.rule and "BYDAY=TU,TH" in series.rule
    days = [o.on_date for o in series.occurrences]
    assert days[:4] == [date(2026, 3, 3), date(2026, 3, 5), date(2026, 3, 17), date(2026, 3, 19)]


def test_a_hub_closure_skips_its_dates_for_a_company_too(ctx, world, make):
    from hubs.booking.models import Closure
    from hubs.db import write_transaction

    with write_transaction():
        db.session.add(
            Closure(
                hub_id=world.hub.id,
                starts_at=at("2026-03-10", "00:00"),
                ends_at=at("2026-03-11", "00:00"),
                reason="Studiedag",
            )
        )
    company_booker = world.other_booker
    data = series_input(
        [world.laser],
        "2026-03-03",
        "09:00",
        "11:00",
        "2026-05-05",
        learner_category="employee",
        level=None,
    )
    plan = preview_series(data, principal(company_booker))
    states = _states(plan)
    assert states[date(2026, 3, 10)] == "skipped"
    assert "Studiedag" in plan.skipped[0].reason
    # A company has no school region: the May holiday is an ordinary free date.
    assert states[date(2026, 4, 28)] == "free"


def test_holidays_follow_the_bookers_school_region(ctx, world, make):
    from hubs.organisations.models import HolidayRegion

    north = make.organisation("vo_school", hubs=(world.hub,), holiday_region=HolidayRegion.NOORD)
    teacher = make.user(("booker", north))
    data = series_input([world.laser], "2026-03-03", "09:00", "11:00", "2026-10-27")
    midden = _states(preview_series(data, principal(world.booker)))
    noord = _states(preview_series(data, principal(teacher)))
    # Autumn holiday 2026: midden 17-25 October, noord 10-18 October.
    assert midden[date(2026, 10, 20)] == "skipped"
    assert midden[date(2026, 10, 13)] == "free"
    assert noord[date(2026, 10, 13)] == "skipped"
    assert noord[date(2026, 10, 20)] == "free"


def test_bad_input_is_refused_by_field_and_writes_nothing(ctx, world):
    data = series_input(
        [world.laser],
        "2026-03-03",
        "09:00",
        "08:00",
        "2026-03-01",
        weekdays=["tue", "xyz"],
        interval_weeks=0,
    )
    with pytest.raises(InvalidInput) as refused:
        book_series(data, principal(world.booker))
    assert {"first_end", "interval_weeks", "weekdays"} <= set(refused.value.fields)
    assert _bookings() == 0


def test_a_series_of_more_than_a_year_is_refused(ctx, world):
    data = series_input([world.laser], "2026-03-03", "09:00", "11:00", "2027-06-01")
    with pytest.raises(InvalidInput) as refused:
        preview_series(data, principal(world.booker))
    assert "until" in refused.value.fields


def test_an_outsider_cannot_book_a_series(ctx, world):
    from hubs.errors import NotAllowed

    data = series_input([world.laser], "2026-03-03", "09:00", "11:00", "2026-03-31")
    with pytest.raises((NotAllowed, InvalidInput)):
        book_series(data, principal(world.outsider_booker))
    assert _bookings() == 0


def test_until_in_the_same_week_books_one_date(ctx, world):
    data = series_input([world.laser], "2026-03-03", "09:00", "11:00", "2026-03-03")
    series = book_series(data, principal(world.booker))
    assert [o.on_date for o in series.occurrences] == [date(2026, 3, 3)]
    assert date(2026, 3, 3) + timedelta(days=7) not in [o.on_date for o in series.occurrences]
