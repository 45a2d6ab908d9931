"""A series keeps its lessons at local 09:00 through both 2026 clock changes: the UTC
instants move an hour, the local time and the weekday never do."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from sqlalchemy import select

from hubs.booking.models import Booking
from hubs.extensions import db
from hubs.series.recurrence import lesson, make_rule, rule_dates
from hubs.series.services import book_series
from tests.booking.helpers import AMS, principal
from tests.series.helpers import series_input


def _lead_rows(series_id: int) -> list[Booking]:
    from hubs.series.models import SeriesOccurrence

    return list(
        db.session.scalars(
            select(Booking)
            .join(SeriesOccurrence, SeriesOccurrence.booking_id == Booking.id)
            .where(SeriesOccurrence.series_id == series_id)
            .order_by(Booking.start_at)
        )
    )


def test_rule_dates_are_local_dates_across_the_march_change():
    rule = make_rule(1, [1], date(2026, 4, 7))
    assert rule_dates(rule, date(2026, 3, 24)) == [
        date(2026, 3, 24),
        date(2026, 3, 31),
        date(2026, 4, 7),
    ]


def test_the_lesson_is_converted_per_date_not_by_adding_seven_days():
    before = lesson(date(2026, 3, 24), time(9), time(11), AMS)
    after = lesson(date(2026, 3, 31), time(9), time(11), AMS)
    assert before == (
        datetime(2026, 3, 24, 8, 0, tzinfo=UTC),
        datetime(2026, 3, 24, 10, 0, tzinfo=UTC),
    )
    assert after == (
        datetime(2026, 3, 31, 7, 0, tzinfo=UTC),
        datetime(2026, 3, 31, 9, 0, tzinfo=UTC),
    )


def test_a_series_over_the_march_switch_stays_at_nine_local(ctx, world):
    # Sunday 29 March 2026 02:00 → 03:00 (CET → CEST).
    data = series_input([world.laser], "2026-03-24", "09:00", "11:00", "2026-04-07")
    series = book_series(data, principal(world.booker))
    rows = _lead_rows(series.id)
    assert [r.start_at.astimezone(UTC).hour for r in rows] == [8, 7, 7]
    local = [r.start_at.astimezone(AMS) for r in rows]
    assert {(t.hour, t.minute) for t in local} == {(9, 0)}
    assert {t.weekday() for t in local} == {1}
    assert {r.end_at.astimezone(AMS).hour for r in rows} == {11}


def test_a_series_over_the_october_switch_stays_at_nine_local(ctx, world):
    # Sunday 25 October 2026 03:00 → 02:00 (CEST → CET). A company: no school holidays.
    data = series_input(
        [world.laser],
        "2026-10-20",
        "09:00",
        "11:00",
        "2026-11-03",
        learner_category="employee",
        level=None,
    )
    series = book_series(data, principal(world.other_booker))
    rows = _lead_rows(series.id)
    assert [r.start_at.astimezone(UTC).hour for r in rows] == [7, 8, 8]
    local = [r.start_at.astimezone(AMS) for r in rows]
    assert [t.date() for t in local] == [date(2026, 10, 20), date(2026, 10, 27), date(2026, 11, 3)]
    assert {(t.hour, t.minute, t.weekday()) for t in local} == {(9, 0, 1)}


def test_a_night_lesson_on_the_switch_dates_is_skipped_with_the_reason(ctx, app, make, clock):
    from tests.booking.helpers import build_world

    around = {d: [(time(0), time(23, 59))] for d in range(7)}
    night = build_world(make, hours=around)
    data = series_input(
        [night.laser],
        "2026-03-22",
        "02:30",
        "03:30",
        "2026-04-05",
        learner_category="employee",
        level=None,
    )
    from hubs.series.services import preview_series

    plan = preview_series(data, principal(night.other_booker))
    by_day = {o.day: o for o in plan.occurrences}
    assert by_day[date(2026, 3, 29)].state == "skipped"
    assert "02:30" in by_day[date(2026, 3, 29)].reason
    assert by_day[date(2026, 3, 22)].state == "free"
    assert by_day[date(2026, 4, 5)].state == "free"
