"""Demo data for series, relative to ``ctx.today``: a teacher's weekly lessons for the
coming term at TechnoHUB (school holidays skipped, dates taken by other visits left out),
and an MBO series at the MAKE Center's welding robot still waiting for approval."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import delete, func, select

from hubs.access import principal_for
from hubs.booking.clock import monday_of, zone
from hubs.demo import DemoContext
from hubs.extensions import db
from hubs.mail.models import OutboxMessage
from hubs.series.services import SeriesInput, book_series

TZ = zone("Europe/Amsterdam")


@dataclass
class DemoSeries:
    hub: str
    resources: list[str]
    weekday: int
    start: time
    end: time
    weeks: int
    booker: str
    group: str
    size: int
    category: str
    level: str
    purpose: str


SERIES = [
    DemoSeries("technohub", ["Lokaal Techniek 2", "Lasersnijder 2"], 4, time(10, 25),
               time(12, 5), 16, "teacher_b", "3H-O&O", 20, "vo", "havo",
               "Onderzoeken en ontwerpen: een lamp lasersnijden"),
    DemoSeries("make", ["Lasrobot Fanuc"], 1, time(13), time(16), 8, "teacher_roc", "MT3B",
               2, "mbo", "mbo-3", "Robotlassen: programmeren en proefstukken"),
]  # fmt: skip


def load(ctx: DemoContext) -> None:
    """Book each demo series through the service, as its teacher would (free dates only).
    The messages those bookings queue are dropped: loading a demo mails nobody."""
    before = db.session.scalar(select(func.coalesce(func.max(OutboxMessage.id), 0)))
    _book_all(ctx)
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.id > before))


def _book_all(ctx: DemoContext) -> None:
    next_monday = monday_of(ctx.today) + timedelta(days=7)
    for item in SERIES:
        first = next_monday + timedelta(days=item.weekday)
        resources = [ctx.resources[f"{item.hub}:{name}"].id for name in item.resources]
        book_series(
            SeriesInput(
                resource_ids=resources,
                first_start=datetime.combine(first, item.start, tzinfo=TZ),
                first_end=datetime.combine(first, item.end, tzinfo=TZ),
                until=first + timedelta(weeks=item.weeks - 1),
                group_name=item.group,
                group_size=item.size,
                learner_category=item.category,
                level=item.level,
                purpose=item.purpose,
                skip_conflicts=True,
            ),
            principal_for(ctx.users[item.booker]),
        )
