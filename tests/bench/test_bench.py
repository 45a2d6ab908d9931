"""The bench's own promises: its floor endpoint never reaches the production app, and its
bulk load leaves the database as the migrations made it, with no overlapping bookings."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import IntegrityError

from bench.generate import OVERLAPS, generate
from bench.scale import Scale

TINY = Scale(
    "tiny",
    hubs=3,
    resources=12,
    big_hub_resources=6,
    bookings=3000,
    organisations=5,
    learners=60,
    enrolments=200,
    programmes_per_hub=2,
)


def test_the_floor_endpoint_exists_only_in_the_bench_app(app):
    from bench.app import create_bench_app
    from hubs.extensions import db

    assert "bench_floor.insert_one" not in app.view_functions
    bench = create_bench_app(
        {
            "ENV": "testing",
            "SECRET_KEY": "test",
            "DATABASE_URL": app.config["DATABASE_URL"],
            "INSTANCE_PATH": app.instance_path,
        }
    )
    assert "bench_floor.insert_one" in bench.view_functions
    with bench.app_context():
        db.engine.dispose()


def test_generated_bookings_never_overlap_and_the_guard_is_back(app):
    url = app.config["DATABASE_URL"]
    world = generate(url, TINY, date(2026, 11, 29))
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM bookings")).scalar_one() == 3000
            assert conn.execute(text("SELECT count(*) FROM enrolments")).scalar_one() == 200
            assert conn.execute(text(OVERLAPS)).scalar_one() == 0
            first = conn.execute(
                text(
                    "SELECT id FROM bookings WHERE status = 'confirmed' AND resource_id = :r "
                    "ORDER BY id LIMIT 1"
                ),
                {"r": world.resources[world.big_hub][0]},
            ).scalar_one()
        with pytest.raises(IntegrityError), engine.begin() as conn:
            # A copy of an active booking, same resource and time: the database refuses it.
            conn.execute(
                text(
                    "INSERT INTO bookings (id, hub_id, resource_id, organisation_id, start_at,"
                    " end_at, status, group_name, group_size, learner_category, purpose, notes,"
                    " cancel_reason, version, created_at, updated_at) SELECT 999999, hub_id,"
                    " resource_id, organisation_id, start_at, end_at, status, group_name,"
                    " group_size, learner_category, purpose, notes, cancel_reason, version,"
                    " created_at, updated_at FROM bookings WHERE id = :id"
                ),
                {"id": first},
            )
    finally:
        engine.dispose()
