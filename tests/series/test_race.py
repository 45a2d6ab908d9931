"""Series racing for overlapping dates through real concurrent HTTP requests, on SQLite and
PostgreSQL: no date is ever booked twice — all or nothing gives one winner, "the free
dates" shares the dates out — never a 500, never "database is locked"."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from sqlalchemy import func, select

from hubs.booking.models import ACTIVE_STATUSES, Booking
from hubs.extensions import db
from tests.booking.race import at_once, request, threaded_server

RACERS = 10


def _body(world, first_day="2026-03-03", until="2026-03-31", **kw):
    return {
        "resource_ids": [world.room.id, world.laser.id],
        "first_start": f"{first_day}T09:00:00+01:00",
        "first_end": f"{first_day}T11:00:00+01:00",
        "until": until,
        "weekdays": ["tue"],
        "group_name": "3K-PIE",
        "group_size": 4,
        "learner_category": "vo",
        **kw,
    }


def _active_rows(app) -> list[Booking]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(Booking)
                .where(Booking.status.in_(ACTIVE_STATUSES))
                .order_by(Booking.resource_id, Booking.start_at)
            )
        )


def _assert_no_overlap(rows: list[Booking]) -> None:
    for a, b in zip(rows, rows[1:], strict=False):
        if a.resource_id == b.resource_id:
            assert a.end_at <= b.start_at, f"double booking: {a.id} and {b.id}"


def _fire_all(app, world, api_headers, bodies):
    tokens = [api_headers(world.booker), api_headers(world.other_booker)]
    counter = iter(range(RACERS))
    with threaded_server(app) as port:

        def fire():
            n = next(counter)
            return request(
                port, "POST", "/api/v1/series", json_body=bodies[n], headers=tokens[n % 2]
            )

        answers = at_once(RACERS, fire)
    for answer in answers:
        assert answer.status in (201, 409), (answer.status, answer.body[:500])
        assert "database is locked" not in answer.body
    return answers


def test_racing_series_all_or_nothing_give_one_winner(app, world, api_headers):
    other = {"learner_category": "employee"}
    bodies = [_body(world, **({} if n % 2 == 0 else other)) for n in range(RACERS)]
    answers = _fire_all(app, world, api_headers, bodies)
    assert Counter(a.status for a in answers) == {201: 1, 409: RACERS - 1}
    rows = _active_rows(app)
    assert len(rows) == 5 * 2  # five Tuesdays, room and laser each
    _assert_no_overlap(rows)


def test_racing_series_for_the_free_dates_never_share_a_date(app, world, api_headers):
    # Each racer starts one to three weeks apart, so their dates overlap partly.
    from datetime import date

    first = date(2026, 3, 3)
    bodies = []
    for n in range(RACERS):
        start = (first + timedelta(weeks=n % 4)).isoformat()
        other = {} if n % 2 == 0 else {"learner_category": "employee"}
        bodies.append(_body(world, start, "2026-04-21", skip_conflicts=True, **other))
    answers = _fire_all(app, world, api_headers, bodies)
    rows = _active_rows(app)
    _assert_no_overlap(rows)
    booked = {
        o["date"]
        for a in answers
        if a.status == 201
        for o in a.json()["occurrences"]
        if o["state"] == "booked"
    }
    # 3 March to 21 April: eight Tuesdays, every one booked exactly once, by someone.
    assert len(booked) == 8
    assert len(rows) == 8 * 2
    taken = [
        o["date"]
        for a in answers
        if a.status == 201
        for o in a.json()["occurrences"]
        if o["state"] == "booked"
    ]
    assert len(taken) == len(set(taken)), "no date went to two series"


def test_the_database_refuses_a_taken_date_even_when_the_check_misses_it(ctx, world, monkeypatch):
    import pytest

    from hubs.booking.errors import SlotTaken
    from hubs.series.models import BookingSeries
    from hubs.series.planning import FREE
    from hubs.series.services import book
    from tests.booking.helpers import at, principal, raw_booking
    from tests.series.helpers import series_input

    raw_booking(
        ctx, world.laser, world.other_org, at("2026-03-17", "10:00"), at("2026-03-17", "11:00")
    )
    real = book.judge_dates

    def blind(prepared, actor):
        plan = real(prepared, actor)
        for occurrence in plan.occurrences:
            if occurrence.state != "skipped":
                occurrence.state, occurrence.conflicts = FREE, []
        return plan

    monkeypatch.setattr(book, "judge_dates", blind)
    data = series_input([world.room, world.laser], "2026-03-03", "09:00", "11:00", "2026-03-31")
    with pytest.raises(SlotTaken):
        book.book_series(data, principal(world.booker))
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Booking)) == 1
    assert db.session.scalar(select(func.count()).select_from(BookingSeries)) == 0
