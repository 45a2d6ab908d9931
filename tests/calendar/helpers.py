"""Reading calendars back with independent parsers (icalendar, recurring-ical-events) and
comparing them with the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import icalendar
import recurring_ical_events
from sqlalchemy import select

# Far enough either side of every test's bookings.
EVERYTHING = (datetime(2020, 1, 1, tzinfo=UTC), datetime(2030, 1, 1, tzinfo=UTC))


@dataclass(frozen=True)
class Read:
    """One event as a calendar app reads it."""

    uid: str
    start: datetime  # UTC
    end: datetime  # UTC
    status: str
    sequence: int
    summary: str
    description: str
    location: str
    local_start: str  # "HH:MM" on the wall clock
    raw: Any


def parse(text: str | bytes) -> icalendar.Calendar:
    calendar = icalendar.Calendar.from_ical(text)
    assert not getattr(calendar, "errors", []), calendar.errors
    return calendar


def _vtimezones(calendar: icalendar.Calendar) -> dict[str, Any]:
    # The time zones as the file itself defines them (not looked up by name), so a wrong
    # or missing VTIMEZONE fails.
    return {str(tz["TZID"]): tz.to_tz(lookup_tzid=False) for tz in calendar.walk("VTIMEZONE")}


def read(text: str | bytes) -> dict[str, Read]:
    """Every event, by UID, expanded with recurring-ical-events; each instant is checked
    against the file's own VTIMEZONE."""
    calendar = parse(text)
    zones = _vtimezones(calendar)
    found: dict[str, Read] = {}
    for event in recurring_ical_events.of(calendar).between(*EVERYTHING):
        start_prop, end_prop = event["DTSTART"], event["DTEND"]
        tzid = start_prop.params.get("TZID")
        assert tzid in zones, f"TZID {tzid} without its VTIMEZONE"
        start, end = start_prop.dt, end_prop.dt
        for value, prop in ((start, start_prop), (end, end_prop)):
            own = value.replace(tzinfo=None).replace(tzinfo=zones[prop.params["TZID"]])
            assert own.astimezone(UTC) == value.astimezone(UTC), "VTIMEZONE disagrees"
        uid = str(event["UID"])
        assert uid not in found, f"UID {uid} twice"
        found[uid] = Read(
            uid=uid,
            start=start.astimezone(UTC),
            end=end.astimezone(UTC),
            status=str(event.get("STATUS", "")),
            sequence=int(event.get("SEQUENCE", 0)),
            summary=str(event.get("SUMMARY", "")),
            description=str(event.get("DESCRIPTION", "")),
            location=str(event.get("LOCATION", "")),
            local_start=start.strftime("%H:%M"),
            raw=event,
        )
    return found


def uid(bundle_id: int) -> str:
    return f"booking-{bundle_id}@hubs.test"


def bundles(app: Any, **filters: Any) -> list[Any]:
    """Lead rows of bundles from the database (ordered by start)."""
    from hubs.booking.models import Booking
    from hubs.extensions import db

    with app.app_context():
        stmt = select(Booking).where(Booking.id == Booking.bundle_id).order_by(Booking.start_at)
        for name, value in filters.items():
            stmt = stmt.where(getattr(Booking, name) == value)
        return list(db.session.scalars(stmt))


def make_feed(app: Any, user: Any, kind: str, target: Any = None) -> str:
    """A feed link for ``user``: the URL path with its token."""
    from hubs.calendar import services
    from hubs.calendar.models import FeedKind

    with app.app_context():
        token, _feed = services.create_feed(
            user, FeedKind(kind), target.id if target is not None else None
        )
    return f"/feeds/{token}.ics"
