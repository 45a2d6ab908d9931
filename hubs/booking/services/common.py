"""What every booking use case shares: reading a bundle, turning the database's refusal
into SlotTaken, the audit trail, the rules of time and who may change what."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, cast

from flask_babel import lazy_gettext as _l
from sqlalchemy import Table, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from hubs.access import Principal
from hubs.booking import calendar, rules
from hubs.booking.errors import SlotTaken
from hubs.booking.models import (
    Booking,
    BookingEvent,
    BookingStatus,
)
from hubs.db import execute_core, insert_rows, sqlstate, utcnow
from hubs.extensions import db
from hubs.locations.models import Hub

# --- reading a bundle ------------------------------------------------------------------


def bundle_rows(booking_id: int, *, lock: bool = False) -> list[Booking]:
    """Every row of the bundle that ``booking_id`` belongs to, the lead first."""
    bundle = select(Booking.bundle_id).where(Booking.id == booking_id).scalar_subquery()
    stmt = (
        select(Booking)
        .where(Booking.bundle_id == bundle)
        .options(selectinload(Booking.resource))
        .order_by(Booking.id)
        .execution_options(populate_existing=True)
    )
    if lock and db.engine.dialect.name == "postgresql":
        stmt = stmt.with_for_update(of=Booking)
    rows = list(db.session.scalars(stmt))
    if not rows:
        raise LookupError(f"no booking {booking_id}")
    return rows


def is_overlap(exc: IntegrityError) -> bool:
    """The database refused an overlapping active booking (either database)."""
    return sqlstate(exc) == "23P01" or "booking overlap" in str(exc.orig)


class Overlap(Exception):
    """The database refused the write. Raised bare: the session must roll back before
    anything (even a translated message, which reads the user's language) touches it."""


def flush() -> None:
    try:
        db.session.flush()
    except IntegrityError as exc:
        if is_overlap(exc):
            raise Overlap() from exc
        raise


def with_conflicts(
    resource_ids: list[int],
    start: datetime,
    end: datetime,
    actor: Principal,
    exclude_bundle: int | None = None,
) -> SlotTaken:
    """After the database refused an overlap: a SlotTaken listing what holds the slot."""
    conflicts = rules.find_conflicts(resource_ids, start, end, exclude_bundle)
    tz = _tz_of_resources(resource_ids)
    return rules.slot_taken(rules.describe_conflicts(conflicts, actor), tz)


def _tz_of_resources(resource_ids: list[int]) -> Any:
    from hubs.booking.clock import zone
    from hubs.locations.models import Resource

    name = db.session.scalar(
        select(Hub.timezone)
        .join(Resource, Resource.hub_id == Hub.id)
        .where(Resource.id.in_(resource_ids))
    )
    return zone(name)


# --- audit -----------------------------------------------------------------------------


def record(
    lead: Booking,
    actor_id: int | None,
    action: str,
    changes: dict[str, Any] | None = None,
    note: str = "",
) -> BookingEvent:
    """Add an entry to the bundle's audit trail (in the current unit of work)."""
    event = BookingEvent(
        booking_id=lead.bundle_id or lead.id,
        actor_id=actor_id,
        action=action,
        changes=changes or {},
        note=note[:300],
        at=utcnow(),
    )
    db.session.add(event)
    return event


def record_now(
    lead: Booking, actor_id: int | None, action: str, changes: dict[str, Any] | None = None
) -> None:
    """:func:`record` as one plain INSERT, right away, for a bundle already in the
    database (the unit of work costs more than the booking's own rules; bench/: row 1)."""
    values = {
        "booking_id": lead.bundle_id or lead.id,
        "actor_id": actor_id,
        "action": action,
        "changes": changes or {},
        "note": "",
        "at": utcnow(),
    }
    insert_rows(_EVENTS, values)


_EVENTS = cast(Table, BookingEvent.__table__)


def jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if hasattr(value, "value"):
        return value.value
    return value


def check_when(
    hub: Hub,
    settings: calendar.SettingsView,
    resources: list[Any],
    start: datetime,
    end: datetime,
) -> None:
    rules.check_grid(hub, settings, start, end)
    tz = rules.calendar_tz(hub)
    ids = [r.id for r in resources]
    spans, closures = calendar.hours_and_closures(hub.id, tz, start, end, ids)
    rules.check_open(hub, start, end, spans)
    rules.check_not_closed(hub, settings, resources, start, end, closures)


def allocate_id() -> int:
    """The lead row's id before its INSERT, so the bundle id is written with it.

    Setting it afterwards would be an UPDATE, and on PostgreSQL an UPDATE re-checks the
    exclusion constraint against rival inserts that are waiting for us: a deadlock.
    SQLite hands out max(id) + 1 anyway, and our write lock makes that safe.
    """
    if db.engine.dialect.name == "postgresql":
        return int(execute_core(_NEXTVAL).scalar_one())
    return int(execute_core(_NEXT_ID).scalar_one())


def allocate_ids(count: int) -> list[int]:
    """Ids for all rows of a new bundle before their INSERT, the lead's the lowest (see
    :func:`allocate_id`): the answer to the request is known before anything is written."""
    if count == 1 or db.engine.dialect.name != "postgresql":
        first = allocate_id()
        return list(range(first, first + count))
    return sorted(int(i) for i in db.session.execute(_NEXTVALS, {"n": count}).scalars())


_NEXTVAL = text("SELECT nextval(pg_get_serial_sequence('bookings', 'id'))")
_NEXTVALS = text(
    "SELECT nextval(pg_get_serial_sequence('bookings', 'id')) FROM generate_series(1, :n)"
)
_NEXT_ID = text("SELECT coalesce(max(id), 0) + 1 FROM bookings")
_ADVISORY_LOCK = text("SELECT pg_advisory_xact_lock(:key, :id)")


def expiry(settings: calendar.SettingsView, now: datetime, start: datetime) -> datetime:
    """A request expires after the hub's set time, and at the latest when it would start."""
    return min(now + timedelta(hours=settings.request_expiry_hours), start)


# --- who may do what -------------------------------------------------------------------


def cancel_deadline(lead: Booking, settings: calendar.SettingsView) -> datetime:
    return lead.start_at - timedelta(hours=settings.cancel_deadline_hours)


def refusal_to_change(
    lead: Booking, actor: Principal, now: datetime, settings: calendar.SettingsView
) -> Any | None:
    """Why ``actor`` may not cancel, move or edit this bundle now (None: they may).

    Coordinators of the hub always may (until it has ended). The booking organisation may
    withdraw a request until it starts, and change or cancel a confirmed booking until the
    hub's deadline.
    """
    if lead.end_at <= now:
        return _l("This booking has already taken place.")
    if actor.coordinates(lead.hub_id):
        return None
    if not actor.books_for(lead.organisation_id):
        return _l("Only the booking organisation and the hub's coordinators can change this.")
    if lead.status == BookingStatus.REQUESTED:
        return None if lead.start_at > now else _l("This booking has already started.")
    if now > cancel_deadline(lead, settings):
        return _l(
            "Changing or cancelling is possible until %(hours)d hours before the start. "
            "Please contact the hub's coordinator.",
            hours=settings.cancel_deadline_hours,
        )
    return None


def may_change(lead: Booking, actor: Principal, now: datetime | None = None) -> bool:
    settings = calendar.hub_settings(lead.hub_id)
    return lead.is_active and refusal_to_change(lead, actor, now or utcnow(), settings) is None


def may_decide(lead: Booking, actor: Principal) -> bool:
    return lead.status == BookingStatus.REQUESTED and actor.coordinates(lead.hub_id)


# The first key of the bookings' and series' advisory locks (pg_advisory_xact_lock(key, resource_id)).
RESOURCE_LOCK = 0x5E71E5


def lock_and_allocate(resource_ids: list[int], count: int) -> list[int]:
    """:func:`lock_resources`, then :func:`allocate_ids`; for the usual booking (one
    resource, one row) on PostgreSQL in one statement (bench/: row 1)."""
    if db.engine.dialect.name == "postgresql" and count == 1 and len(set(resource_ids)) == 1:
        params = {"key": RESOURCE_LOCK, "id": resource_ids[0]}
        return [int(execute_core(_LOCK_AND_NEXTVAL, params).scalar_one())]
    lock_resources(resource_ids)
    return allocate_ids(count)


# The lock (the FROM item) is taken before the id is drawn.
_LOCK_AND_NEXTVAL = text(
    "SELECT nextval(pg_get_serial_sequence('bookings', 'id')) "
    "FROM (SELECT pg_advisory_xact_lock(:key, :id)) AS locked"
)


def lock_resources(resource_ids: list[int]) -> None:
    """Queue writes of bookings and series on the same resources behind each other
    (PostgreSQL; SQLite's write lock does this already). PostgreSQL checks an exclusion
    constraint after inserting the row, so two transactions inserting overlapping rows at
    once can each wait on the other's uncommitted row: a deadlock, detected after a
    second and retried, again and again with many racers. Queued, the second judges its
    times after the first committed and sees them taken."""
    if db.engine.dialect.name != "postgresql":
        return
    for resource_id in sorted(set(resource_ids)):
        execute_core(
            _ADVISORY_LOCK,
            {"key": RESOURCE_LOCK, "id": resource_id},
        )
