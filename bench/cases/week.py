"""Row 3: the hub week page (``GET /hubs/<id>/week``) of the hub with 40 resources, as
its coordinator sees it: SQL statements per page at 10k and 1M occurrences (must be equal:
no query per row or per booking) and the median server time at 1M."""

from __future__ import annotations

from typing import Any

from bench.cases import Context
from bench.database import bench_app
from bench.generate import COORDINATOR_EMAIL, World, week_monday
from bench.measure import (
    Clock,
    Row,
    clock_for,
    clock_name,
    counting_statements,
    median_seconds,
    ms,
)

REPEAT = 30


def signed_in_client(app: Any) -> Any:
    """A test client with a live session of the hub's coordinator (no password needed)."""
    from sqlalchemy import select

    from hubs.accounts.models import User
    from hubs.accounts.services import start_session
    from hubs.extensions import db

    with app.app_context():
        user = db.session.scalars(select(User).where(User.email == COORDINATOR_EMAIL)).one()
        key = start_session(user)
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = key
        session["_fresh"] = True
    return client


def _page(world: World, repeat: int, clock: Clock) -> tuple[float, int, int, int]:
    from hubs.extensions import db

    app = bench_app(world.url)
    client = signed_in_client(app)
    path = f"/hubs/{world.big_hub}/week?date={week_monday(world.today).isoformat()}"

    def get() -> Any:
        response = client.get(path)
        assert response.status_code == 200, response.status_code
        return response

    with app.app_context():
        engine = db.engine
    get()
    with counting_statements(engine) as seen:
        body = get().get_data(as_text=True)
    seconds = median_seconds(get, repeat, warmup=1, clock=clock)
    booked = body.count("booked:") + body.count("geboekt:")
    with app.app_context():
        db.engine.dispose()
    return seconds, len(seen), len(world.resources[world.big_hub]), booked


def run(ctx: Context) -> list[Row]:
    repeat = 5 if ctx.quick else REPEAT
    clock = clock_for(ctx.backend)
    large, large_statements, resources, booked = _page(ctx.large, repeat, clock)
    _small, small_statements, _, _ = _page(ctx.small, 1, clock)
    return [
        Row(
            "3 hub week page",
            ctx.backend,
            f"{resources} resources, {booked} bookings shown: {small_statements} SQL "
            f"statements at {ctx.small.scale.bookings:,}, {large_statements} at "
            f"{ctx.large.scale.bookings:,}; median {ms(large)} ({clock_name(ctx.backend)})",
            f"{large_statements - small_statements:+d} statements",
            "equal",
            large_statements == small_statements,
            shape=True,
        )
    ]
