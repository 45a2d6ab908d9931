"""Row 2: free intervals of one resource for one week (``availability.free_intervals``,
what ``GET /api/v1/resources/{id}/availability`` calls) at 1M occurrences, against

- the raw indexed SQL for the same interval: the reads the answer needs (the hub, its
  settings, opening hours and exceptions, closures, and the resource's occurrences through
  the ``(resource_id, start_at)`` index) as plain SQL text through the same session and
  connection, with no ORM objects and no Python around them (target ≤ 3×); the bookings
  query alone is shown too;
- the same call on the database with 10k occurrences (target ≤ 1.5×: it must not grow).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from bench.cases import Context
from bench.database import bench_app
from bench.generate import TZ, World, week_monday
from bench.measure import Row, clock_for, clock_name, median_seconds, ms, paired_medians

REPEAT = 200

RAW_READS = [
    "SELECT timezone FROM hubs WHERE id = ?",
    "SELECT close_on_school_holidays, holiday_region FROM hub_booking_settings WHERE hub_id = ?",
    "SELECT weekday, opens_at, closes_at FROM opening_hours WHERE hub_id = ?",
    "SELECT on_date, opens_at, closes_at FROM opening_exceptions "
    "WHERE hub_id = ? AND on_date >= ? AND on_date <= ?",
    "SELECT starts_at, ends_at, resource_id FROM closures WHERE hub_id = ? "
    "AND starts_at < ? AND ends_at > ? AND (resource_id IS NULL OR resource_id = ?)",
]
RAW_BOOKINGS = (
    "SELECT start_at, end_at FROM bookings WHERE resource_id = ? "
    "AND status IN ('requested', 'confirmed') AND start_at > ? AND start_at < ? AND end_at > ?"
)
MAX_DURATION = timedelta(days=14)


def week_of(world: World) -> tuple[datetime, datetime]:
    """This week (Monday to Monday, Amsterdam) as UTC instants: the busiest end of the
    table, where an unbounded index range would read the most."""
    monday = week_monday(world.today)
    start = datetime.combine(monday, datetime.min.time(), TZ).astimezone(UTC)
    end = datetime.combine(monday + timedelta(days=7), datetime.min.time(), TZ).astimezone(UTC)
    return start, end


def _statements() -> tuple[list[Any], Any]:
    from sqlalchemy import bindparam, text
    from sqlalchemy.types import Date

    from hubs.db import UTCDateTime

    def typed(sql: str) -> Any:
        stmt = text(sql.replace("?", ":p{}").format(*range(sql.count("?"))))
        return stmt

    reads = [typed(sql) for sql in RAW_READS]
    reads[3] = reads[3].bindparams(bindparam("p1", type_=Date()), bindparam("p2", type_=Date()))
    reads[4] = reads[4].bindparams(
        bindparam("p1", type_=UTCDateTime()), bindparam("p2", type_=UTCDateTime())
    )
    bookings = typed(RAW_BOOKINGS).bindparams(
        *(bindparam(f"p{i}", type_=UTCDateTime()) for i in (1, 2, 3))
    )
    return reads, bookings


def busiest_resource(world: World, start: datetime, end: datetime) -> int:
    """The big hub's resource with the most active bookings this week."""
    from sqlalchemy import func, select

    from hubs.booking.models import Booking, active_overlapping
    from hubs.extensions import db

    ids = world.resources[world.big_hub]
    found = db.session.execute(
        select(Booking.resource_id, func.count())
        .where(*active_overlapping(ids, start, end))
        .group_by(Booking.resource_id)
        .order_by(func.count().desc(), Booking.resource_id)
        .limit(1)
    ).first()
    return int(found[0]) if found else ids[0]


class Probe:
    """The calls to time on one database; each runs in its own app context, as a request
    would, so two probes (1M and 10k) can be called in turn."""

    def __init__(self, world: World, resource_id: int | None = None) -> None:
        from hubs.booking.availability import free_intervals
        from hubs.extensions import db
        from hubs.locations.models import Resource

        self.app = bench_app(world.url)
        self.start, self.end = week_of(world)
        self.reads, self.bookings_stmt = _statements()
        with self.app.app_context():
            self.resource_id = resource_id or busiest_resource(world, self.start, self.end)
            resource = db.session.get(Resource, self.resource_id)
            assert resource is not None
            self.resource, self.hub = resource, resource.hub_id
            self.free = len(free_intervals([resource], self.start, self.end)[resource.id])
            self.booked = len(self._bookings())
            db.session.close()

    def service(self) -> None:
        from hubs.booking.availability import free_intervals
        from hubs.extensions import db

        with self.app.app_context():
            free_intervals([self.resource], self.start, self.end)
            db.session.close()  # a request ends its transaction (objects stay loaded)

    def _run(self, stmt: Any, *params: Any) -> list[Any]:
        from hubs.extensions import db

        values = {f"p{i}": p for i, p in enumerate(params)}
        return list(db.session.execute(stmt, values).all())

    def _bookings(self) -> list[Any]:
        start, end = self.start, self.end
        return self._run(self.bookings_stmt, self.resource_id, start - MAX_DURATION, end, start)

    def raw_reads(self) -> None:
        from hubs.extensions import db

        start, end, hub, reads = self.start, self.end, self.hub, self.reads
        with self.app.app_context():
            self._run(reads[0], hub)
            self._run(reads[1], hub)
            self._run(reads[2], hub)
            self._run(reads[3], hub, start.date() - timedelta(days=1), end.date())
            self._run(reads[4], hub, end, start, self.resource_id)
            self._bookings()
            db.session.close()

    def bookings_only(self) -> None:
        from hubs.extensions import db

        with self.app.app_context():
            self._bookings()
            db.session.close()

    def close(self) -> None:
        from hubs.extensions import db

        with self.app.app_context():
            db.session.remove()
            db.engine.dispose()


def run(ctx: Context) -> list[Row]:
    repeat = REPEAT // 4 if ctx.quick else REPEAT
    clock = clock_for(ctx.backend)
    large = Probe(ctx.large)
    small = Probe(ctx.small, large.resource_id)
    service, raw = paired_medians(large.service, large.raw_reads, repeat, clock=clock)
    one_query = median_seconds(large.bookings_only, repeat, clock=clock)
    at_large, at_small = paired_medians(large.service, small.service, repeat, clock=clock)
    large.close()
    small.close()
    name = "2 availability (1 resource, 1 week)"
    vs_raw = service / raw
    vs_small = at_large / at_small
    return [
        Row(
            name,
            ctx.backend,
            f"{ms(service)} ({clock_name(ctx.backend)}) at {ctx.large.scale.bookings:,} "
            f"({large.booked} booked, "
            f"{large.free} free spans); raw reads {ms(raw)}, bookings query alone "
            f"{ms(one_query)}",
            f"{vs_raw:.2f}× raw",
            "≤ 3× raw",
            vs_raw <= 3,
        ),
        Row(
            name,
            ctx.backend,
            f"{ms(at_large)} at {ctx.large.scale.bookings:,} ({large.booked} booked) vs "
            f"{ms(at_small)} at {ctx.small.scale.bookings:,} ({small.booked} booked)",
            f"{vs_small:.2f}× small",
            "≤ 1.5× small",
            vs_small <= 1.5,
            shape=True,
        ),
    ]
