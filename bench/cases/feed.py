"""Row 6: a year of a busy hub as an ``.ics`` feed, and the ``304 Not Modified`` path.

Through the real feed route (``GET /feeds/<token>.ics``, as a calendar app polls it):
the hub feed of ``world.big_hub`` for its coordinator (every booking from 30 days ago
to a year ahead), rendered in full, and the same request with the ``ETag`` it returned
as ``If-None-Match``, which answers 304 from the sources' fingerprints without
rendering. Target: the 304 path costs at most a tenth of the full feed.
"""

from __future__ import annotations

from typing import Any

from bench.cases import Context
from bench.database import bench_app
from bench.generate import COORDINATOR_EMAIL, World
from bench.measure import Row, clock_for, ms, paired_medians

REPEAT = 5


def _feed_path(app: Any, world: World) -> str:
    """A hub feed link for the coordinator (asking again renews the same feed)."""
    from sqlalchemy import select

    from hubs.accounts.models import User
    from hubs.calendar.models import FeedKind
    from hubs.calendar.services import create_feed
    from hubs.extensions import db

    with app.app_context():
        user = db.session.scalars(select(User).where(User.email == COORDINATOR_EMAIL)).one()
        token, _feed = create_feed(user, FeedKind.HUB, world.big_hub)
    return f"/feeds/{token}.ics"


def feed(world: World, backend: str = "sqlite") -> tuple[float, float, int, int]:
    """(full feed seconds, 304 seconds, events, bytes) for the busy hub's feed."""
    from hubs.extensions import db

    app = bench_app(world.url)
    client = app.test_client()
    path = _feed_path(app, world)
    first = client.get(path)
    assert first.status_code == 200, first.status_code
    body = first.get_data()
    tag = first.headers["ETag"]

    def full() -> Any:
        response = client.get(path)
        assert response.status_code == 200, response.status_code

    def not_modified() -> Any:
        response = client.get(path, headers={"If-None-Match": tag})
        assert response.status_code == 304, response.status_code

    full_seconds, not_modified_seconds = paired_medians(
        full, not_modified, REPEAT, 1, clock_for(backend)
    )
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    return full_seconds, not_modified_seconds, body.count(b"BEGIN:VEVENT"), len(body)


def run(ctx: Context) -> list[Row]:
    full, not_modified, events, size = feed(ctx.large, ctx.backend)
    ratio = not_modified / full
    return [
        Row(
            "6 feed (.ics, 1 year, busy hub)",
            ctx.backend,
            f"{events:,} events, {size / 1e6:.1f} MB: full {ms(full)}, 304 {ms(not_modified)}",
            f"{ratio:.2f}× full",
            "304 ≤ 0.1× full",
            ratio <= 0.1,
        )
    ]
