"""Building blocks for booking tests: a fixed clock, a small hub world, raw bookings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

AMS = ZoneInfo("Europe/Amsterdam")
# Monday 2 March 2026, 09:00 in Amsterdam: every test's "now" unless it says otherwise.
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def at(day: str, hhmm: str) -> datetime:
    """A local Amsterdam wall-clock time as a UTC instant: ``at("2026-03-03", "09:00")``."""
    clock = time.fromisoformat(hhmm)
    return datetime.combine(date.fromisoformat(day), clock, tzinfo=AMS).astimezone(UTC)


@dataclass
class World:
    hub: Any
    laser: Any
    laser2: Any
    room: Any
    org: Any
    other_org: Any
    outsider: Any
    booker: Any
    other_booker: Any
    outsider_booker: Any
    coordinator: Any


def build_world(make: Any, **hub_overrides: Any) -> World:
    """One hub (Mon–Fri 08:00–17:00), two lasers and a room; two member organisations and
    one that is not a member, a booker for each, and the hub's coordinator."""
    from hubs.locations.models import ResourceKind

    hub = make.hub(**hub_overrides)
    laser = make.resource(hub, name="Lasersnijder 1", capacity=4)
    laser2 = make.resource(hub, name="Lasersnijder 2", capacity=4)
    room = make.resource(hub, name="Lokaal Techniek 1", kind=ResourceKind.ROOM, capacity=28)
    org = make.organisation("vo_school", hubs=(hub,), name="Groene Hart College")
    other_org = make.organisation("company", hubs=(hub,), name="Kromwijk Machinebouw")
    outsider = make.organisation("company", name="Buiten B.V.")
    return World(
        hub=hub,
        laser=laser,
        laser2=laser2,
        room=room,
        org=org,
        other_org=other_org,
        outsider=outsider,
        booker=make.user(("booker", org), name="Anouk de Vries"),
        other_booker=make.user(("booker", other_org), name="Henk Kromwijk"),
        outsider_booker=make.user(("booker", outsider)),
        coordinator=make.user(("coordinator", hub), name="Ruud Verhoef"),
    )


def booking_input(resources: list[Any], start: datetime, end: datetime, **overrides: Any) -> Any:
    from hubs.booking.rules import BookingInput

    values: dict[str, Any] = {
        "resource_ids": [r.id for r in resources],
        "start": start,
        "end": end,
        "group_name": "3K-PIE",
        "group_size": 4,
        "learner_category": "vo",
        "level": "vmbo-kb",
        "purpose": "Lasersnijden: sleutelhanger",
    }
    values.update(overrides)
    return BookingInput(**values)


def principal(user: Any) -> Any:
    from hubs.access import principal_for

    return principal_for(user)


def raw_booking(
    app: Any, resource: Any, org: Any, start: datetime, end: datetime, **kw: Any
) -> int:
    """Insert a booking row directly (no rules) and return its id; the bundle is itself."""
    from hubs.booking.models import Booking, BookingStatus, LearnerCategory
    from hubs.db import write_transaction
    from hubs.extensions import db

    def insert() -> int:
        with write_transaction():
            row = Booking(
                hub_id=resource.hub_id,
                resource_id=resource.id,
                organisation_id=org.id,
                booked_by_id=kw.pop("booked_by_id", None),
                start_at=start,
                end_at=end,
                status=kw.pop("status", BookingStatus.CONFIRMED),
                group_name=kw.pop("group_name", "2B"),
                group_size=kw.pop("group_size", 2),
                learner_category=kw.pop("learner_category", LearnerCategory.VO),
                **kw,
            )
            db.session.add(row)
            db.session.flush()
            row.bundle_id = row.id
            return row.id

    from flask.globals import _cv_app

    if _cv_app.get(None) is not None:
        return insert()
    with app.app_context():
        return insert()


def week_day(offset_days: int, base: datetime = NOW) -> str:
    return (base.astimezone(AMS).date() + timedelta(days=offset_days)).isoformat()
