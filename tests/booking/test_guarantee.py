"""The database itself refuses overlapping active bookings of one resource.

PostgreSQL: an exclusion constraint (btree_gist, half-open tstzrange, WHERE active).
SQLite: BEFORE INSERT / BEFORE UPDATE triggers (and writes serialised by BEGIN IMMEDIATE).
These tests go around the services with raw SQL, as a buggy script or a future feature
might.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from hubs.booking.models import MAX_DURATION
from hubs.booking.rules import check_times
from hubs.booking.services import is_overlap
from hubs.errors import InvalidInput
from hubs.extensions import db
from tests.booking.helpers import at

INSERT = text(
    "INSERT INTO bookings (hub_id, resource_id, organisation_id, start_at, end_at, status,"
    " group_name, group_size, learner_category, purpose, notes, cancel_reason, version,"
    " created_at, updated_at) VALUES (:hub, :resource, :org, :start, :end, :status, 'raw', 1,"
    " 'vo', '', '', '', 1, :now, :now)"
)


def _bind(value: datetime, backend: str):
    # SQLite keeps instants as fixed-format UTC text, exactly as UTCDateTime writes them.
    if backend == "sqlite":
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    return value


def _insert(conn, world, backend, start, end, status="confirmed", resource=None):
    resource = resource or world.laser
    conn.execute(
        INSERT,
        {
            "hub": world.hub.id,
            "resource": resource.id,
            "org": world.org.id,
            "start": _bind(start, backend),
            "end": _bind(end, backend),
            "status": status,
            "now": _bind(datetime(2026, 3, 1, tzinfo=UTC), backend),
        },
    )
    return conn.execute(text("SELECT max(id) FROM bookings")).scalar()


def test_the_rule_is_in_the_schema(ctx, backend_name):
    conn = db.session.connection()
    if backend_name == "postgresql":
        definition = conn.execute(
            text(
                "SELECT pg_get_constraintdef(oid) FROM pg_constraint"
                " WHERE conname = 'bookings_no_overlap' AND contype = 'x'"
            )
        ).scalar()
        assert definition is not None
        assert (
            "gist" in definition and "tstzrange(start_at, end_at, '[)'::text) WITH &&" in definition
        )
        assert "requested" in definition and "confirmed" in definition
    else:
        triggers = dict(
            conn.execute(
                text(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'bookings'"
                )
            ).all()
        )
        assert set(triggers) == {"bookings_no_overlap_insert", "bookings_no_overlap_update"}
        assert "RAISE(ABORT, 'booking overlap')" in triggers["bookings_no_overlap_update"]


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("09:00", "10:00"),  # identical
        ("09:15", "09:45"),  # inside
        ("08:00", "11:00"),  # around
        ("08:30", "09:30"),  # overlapping the start
        ("09:59", "10:30"),  # one minute of overlap at the end
    ],
)
def test_an_overlapping_insert_is_refused_by_the_database(ctx, world, backend_name, start, end):
    with db.engine.begin() as conn:
        _insert(conn, world, backend_name, at("2026-03-03", "09:00"), at("2026-03-03", "10:00"))
    with pytest.raises(IntegrityError) as refused, db.engine.begin() as conn:
        _insert(conn, world, backend_name, at("2026-03-03", start), at("2026-03-03", end))
    assert is_overlap(refused.value)
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM bookings")).scalar() == 1


def test_back_to_back_other_resources_and_inactive_rows_are_fine(ctx, world, backend_name):
    day = "2026-03-03"
    with db.engine.begin() as conn:
        _insert(conn, world, backend_name, at(day, "09:00"), at(day, "10:00"))
        _insert(conn, world, backend_name, at(day, "10:00"), at(day, "11:00"))  # back to back
        _insert(conn, world, backend_name, at(day, "08:00"), at(day, "09:00"))
        _insert(
            conn, world, backend_name, at(day, "09:00"), at(day, "10:00"), resource=world.laser2
        )
        for status in ("cancelled", "rejected", "expired"):
            _insert(conn, world, backend_name, at(day, "09:00"), at(day, "10:00"), status=status)
    with pytest.raises(IntegrityError), db.engine.begin() as conn:
        _insert(conn, world, backend_name, at(day, "09:30"), at(day, "10:30"), status="requested")


def test_an_update_into_an_overlap_is_refused_by_the_database(ctx, world, backend_name):
    day = "2026-03-03"
    with db.engine.begin() as conn:
        _insert(conn, world, backend_name, at(day, "09:00"), at(day, "10:00"))
        later = _insert(conn, world, backend_name, at(day, "11:00"), at(day, "12:00"))
        cancelled = _insert(
            conn, world, backend_name, at(day, "09:00"), at(day, "10:00"), status="cancelled"
        )
        elsewhere = _insert(
            conn, world, backend_name, at(day, "09:00"), at(day, "10:00"), resource=world.laser2
        )
    attempts = [
        # moving a booking onto another
        (
            "UPDATE bookings SET start_at = :start, end_at = :end WHERE id = :id",
            {
                "start": _bind(at(day, "09:30"), backend_name),
                "end": _bind(at(day, "11:30"), backend_name),
                "id": later,
            },
        ),
        # re-activating a cancelled one whose time is taken
        ("UPDATE bookings SET status = 'confirmed' WHERE id = :id", {"id": cancelled}),
        # putting a booking on another resource that is taken then
        (
            "UPDATE bookings SET resource_id = :resource WHERE id = :id",
            {"resource": world.laser.id, "id": elsewhere},
        ),
    ]
    for sql, params in attempts:
        with pytest.raises(IntegrityError) as refused, db.engine.begin() as conn:
            conn.execute(text(sql), params)
        assert is_overlap(refused.value), sql
    # A move that overlaps only its own old time is fine.
    with db.engine.begin() as conn:
        conn.execute(
            text("UPDATE bookings SET start_at = :start WHERE id = :id"),
            {"start": _bind(at(day, "10:30"), backend_name), "id": later},
        )


def test_a_booking_longer_than_14_days_is_refused_by_the_database(ctx, world, backend_name):
    start = at("2026-03-02", "09:00")
    with db.engine.begin() as conn:
        _insert(conn, world, backend_name, start, start + MAX_DURATION)  # exactly 14 days
    for too_long in (timedelta(days=14, minutes=1), timedelta(days=14, microseconds=1)):
        later = start + timedelta(days=30)
        with pytest.raises(IntegrityError) as refused, db.engine.begin() as conn:
            _insert(conn, world, backend_name, later, later + too_long)
        assert not is_overlap(refused.value)
    # Stretching an existing booking is refused too.
    with pytest.raises(IntegrityError), db.engine.begin() as conn:
        conn.execute(
            text("UPDATE bookings SET end_at = :end"),
            {"end": _bind(start + timedelta(days=15), backend_name)},
        )
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM bookings")).scalar() == 1


def test_14_days_is_elapsed_time_across_the_clock_change(ctx, world, backend_name):
    # 16 → 30 October 2026 local: 14 days on the wall, 14 days and an hour elapsed.
    start = at("2026-10-16", "09:00")
    end = at("2026-10-30", "09:00")
    assert end - start == MAX_DURATION + timedelta(hours=1)
    with pytest.raises(IntegrityError), db.engine.begin() as conn:
        _insert(conn, world, backend_name, start, end)
    # The rules agree, also given local times (which subtract as wall-clock time).
    local = ZoneInfo("Europe/Amsterdam")
    with pytest.raises(InvalidInput):
        check_times(start.astimezone(local), end.astimezone(local), start - timedelta(days=1))


def test_the_overlap_guard_sees_a_14_day_booking_from_its_last_day(ctx, world, backend_name):
    # The triggers (SQLite) only look back 14 days from the new booking's start: a
    # booking of exactly 14 days still overlaps a new one on its last morning.
    start = at("2026-03-02", "09:00")
    with db.engine.begin() as conn:
        _insert(conn, world, backend_name, start, start + MAX_DURATION)
    last_morning = start + MAX_DURATION - timedelta(hours=1)
    with pytest.raises(IntegrityError) as refused, db.engine.begin() as conn:
        _insert(conn, world, backend_name, last_morning, last_morning + timedelta(minutes=30))
    assert is_overlap(refused.value)
    with db.engine.begin() as conn:  # from its end on, the resource is free
        _insert(conn, world, backend_name, start + MAX_DURATION, start + timedelta(days=15))
