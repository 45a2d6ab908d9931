"""Booking use cases: book, change (move or edit), cancel, approve, reject, expire.

Each runs in one unit of work. A bundle (several rows sharing ``bundle_id``) is always
handled as one: booked all-or-nothing, moved together, approved and cancelled together.
Status changes are compare-and-swap updates, so two coordinators clicking at once give one
transition. The database refuses overlapping active rows; we turn that refusal into
:class:`SlotTaken` with the conflicts listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from hubs.access import Principal
from hubs.booking import calendar, idempotency, rules
from hubs.booking.errors import AlreadyHandled, SlotTaken
from hubs.booking.models import (
    ACTIVE_STATUSES,
    Booking,
    BookingEvent,
    BookingStatus,
    LearnerCategory,
    Level,
)
from hubs.booking.notify import notify
from hubs.db import sqlstate, transactional, utcnow
from hubs.errors import InvalidInput, NotAllowed
from hubs.extensions import db
from hubs.locations.models import Hub

BookingInput = rules.BookingInput


@dataclass
class BookingChange:
    """A move and/or an edit; None leaves a field as it is."""

    start: datetime | None = None
    end: datetime | None = None
    group_name: str | None = None
    group_size: int | None = None
    learner_category: str | None = None
    level: str | None = None
    purpose: str | None = None
    notes: str | None = None
    clear_level: bool = False


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


def _flush() -> None:
    try:
        db.session.flush()
    except IntegrityError as exc:
        if is_overlap(exc):
            raise Overlap() from exc
        raise


def _with_conflicts(
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


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if hasattr(value, "value"):
        return value.value
    return value


# --- book ------------------------------------------------------------------------------


def book(data: BookingInput, actor: Principal, claim: idempotency.Claim | None = None) -> Booking:
    """Book one resource or a bundle, all or nothing. Returns the lead row.

    Raises InvalidInput (422: fields), NotAllowed (403) or SlotTaken (409: conflicts).
    With an idempotency ``claim`` the key is stored in the same unit of work (raises
    idempotency.KeyInUse when a twin request claimed it first).
    """
    try:
        return _book(data, actor, claim)
    except Overlap:
        raise _with_conflicts(data.resource_ids, data.start, data.end, actor) from None


@transactional
def _book(data: BookingInput, actor: Principal, claim: idempotency.Claim | None) -> Booking:
    if claim is not None:
        idempotency.claim(claim)
    now = utcnow()
    resources = rules.load_resources(data.resource_ids)
    hub = db.session.get(Hub, resources[0].hub_id)
    assert hub is not None
    errors: dict[str, list[Any]] = {}
    try:
        rules.check_times(data.start, data.end, now)
    except InvalidInput as exc:
        errors.update(exc.fields)
    errors.update(rules.group_errors(data, resources))
    if errors:
        raise InvalidInput(fields=errors)
    organisation = rules.resolve_organisation(
        actor, hub, data.organisation_id, data.start, data.end
    )
    settings = calendar.hub_settings(hub.id)
    _check_when(hub, settings, resources, data.start, data.end)
    conflicts = rules.find_conflicts([r.id for r in resources], data.start, data.end)
    if conflicts:
        raise rules.slot_taken(rules.describe_conflicts(conflicts, actor), rules.calendar_tz(hub))
    requested = rules.needs_approval(settings, resources) and not actor.coordinates(hub.id)
    status = BookingStatus.REQUESTED if requested else BookingStatus.CONFIRMED
    expires = _expiry(settings, now, data.start) if requested else None
    rows = [_new_row(data, hub, r.id, organisation.id, actor, status, expires) for r in resources]
    lead = rows[0]
    lead.id = lead.bundle_id = _allocate_id()
    for row in rows[1:]:
        row.bundle_id = lead.id
    db.session.add_all(rows)
    _flush()
    record(lead, actor.user_id, "requested" if requested else "booked", _created(lead, rows))
    notify(lead, "requested" if requested else "confirmed", rows=rows)
    if claim is not None:
        idempotency.complete(claim, 201, lead)
    return lead


def _check_when(
    hub: Hub,
    settings: calendar.SettingsView,
    resources: list[Any],
    start: datetime,
    end: datetime,
) -> None:
    rules.check_grid(hub, settings, start, end)
    rules.check_open(hub, start, end)
    rules.check_not_closed(hub, settings, resources, start, end)


def _allocate_id() -> int:
    """The lead row's id before its INSERT, so the bundle id is written with it.

    Setting it afterwards would be an UPDATE, and on PostgreSQL an UPDATE re-checks the
    exclusion constraint against rival inserts that are waiting for us: a deadlock.
    SQLite hands out max(id) + 1 anyway, and our write lock makes that safe.
    """
    if db.engine.dialect.name == "postgresql":
        sequence = "SELECT nextval(pg_get_serial_sequence('bookings', 'id'))"
        return int(db.session.execute(text(sequence)).scalar_one())
    return int(db.session.scalar(select(func.coalesce(func.max(Booking.id), 0) + 1)) or 1)


def _expiry(settings: calendar.SettingsView, now: datetime, start: datetime) -> datetime:
    """A request expires after the hub's set time, and at the latest when it would start."""
    return min(now + timedelta(hours=settings.request_expiry_hours), start)


def _new_row(
    data: BookingInput,
    hub: Hub,
    resource_id: int,
    organisation_id: int,
    actor: Principal,
    status: BookingStatus,
    expires: datetime | None,
) -> Booking:
    now = utcnow()
    return Booking(
        hub_id=hub.id,
        resource_id=resource_id,
        organisation_id=organisation_id,
        booked_by_id=actor.user_id,
        start_at=data.start,
        end_at=data.end,
        status=status,
        group_name=data.group_name.strip(),
        group_size=data.group_size,
        learner_category=LearnerCategory(data.learner_category or ""),
        level=Level(data.level) if data.level else None,
        purpose=(data.purpose or "").strip(),
        notes=(data.notes or "").strip(),
        expires_at=expires,
        created_at=now,
        updated_at=now,
    )


def _created(lead: Booking, rows: list[Booking]) -> dict[str, Any]:
    return {
        "resource_ids": [r.resource_id for r in rows],
        "organisation_id": lead.organisation_id,
        "start": lead.start_at.isoformat(),
        "end": lead.end_at.isoformat(),
        "group_name": lead.group_name,
        "group_size": lead.group_size,
        "status": lead.status.value,
    }


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


# --- cancel ----------------------------------------------------------------------------


@transactional
def cancel_booking(booking_id: int, actor: Principal, reason: str = "") -> Booking:
    """Cancel the whole bundle; its slot is free at once. The booker is mailed."""
    rows = bundle_rows(booking_id, lock=True)
    lead = rows[0]
    now = utcnow()
    refusal = refusal_to_change(lead, actor, now, calendar.hub_settings(lead.hub_id))
    if refusal is not None:
        raise NotAllowed(refusal)
    _cas(lead, ACTIVE_STATUSES, BookingStatus.CANCELLED, cancel_reason=reason.strip()[:300])
    rows = bundle_rows(booking_id)
    record(rows[0], actor.user_id, "cancelled", note=reason)
    notify(rows[0], "cancelled", rows=rows, reason=reason.strip())
    return rows[0]


def _cas(
    lead: Booking, expected: tuple[BookingStatus, ...], new: BookingStatus, **values: Any
) -> None:
    """Compare-and-swap the status of every row of the bundle; AlreadyHandled if it lost."""
    now = utcnow()
    result = db.session.execute(
        update(Booking)
        .where(Booking.bundle_id == lead.bundle_id, Booking.status.in_(expected))
        .values(status=new, updated_at=now, version=Booking.version + 1, **values)
        .execution_options(synchronize_session=False)
    )
    if not result.rowcount:  # type: ignore[attr-defined]
        current = db.session.scalar(
            select(Booking.status)
            .where(Booking.id == lead.id)
            .execution_options(populate_existing=True)
        )
        raise AlreadyHandled(
            _l(
                "Nothing changed: this booking is already %(status)s.",
                status=BookingStatus(current).label if current else "",
            )
        )


# --- approve, reject, expire -----------------------------------------------------------


@transactional
def approve(booking_id: int, actor: Principal, note: str = "") -> Booking:
    """Confirm a request. It already holds its slot, so this never double-books."""
    return _decide(booking_id, actor, BookingStatus.CONFIRMED, "approved", note)


@transactional
def reject(booking_id: int, actor: Principal, note: str = "") -> Booking:
    """Refuse a request; its slot is free at once."""
    return _decide(booking_id, actor, BookingStatus.REJECTED, "rejected", note)


def _decide(
    booking_id: int, actor: Principal, new: BookingStatus, action: str, note: str
) -> Booking:
    lead = bundle_rows(booking_id)[0]
    if not actor.coordinates(lead.hub_id):
        raise NotAllowed(_l("Only the hub's coordinators decide on requests."))
    _cas(lead, (BookingStatus.REQUESTED,), new, expires_at=None)
    rows = bundle_rows(booking_id)
    record(rows[0], actor.user_id, action, note=note)
    notify(rows[0], action, rows=rows, reason=note.strip())
    return rows[0]


def expire_requests(now: datetime | None = None, batch: int = 200) -> int:
    """Expire every request whose time ran out and tell its booker. Safe to run twice or
    in parallel: each bundle is a compare-and-swap in its own unit of work."""
    now = now or utcnow()
    expired = 0
    while True:
        due = db.session.scalars(
            select(Booking.bundle_id)
            .where(Booking.status == BookingStatus.REQUESTED, Booking.expires_at <= now)
            .distinct()
            .limit(batch)
        ).all()
        db.session.commit()  # end the read before the writes
        if not due:
            return expired
        for bundle_id in due:
            if bundle_id is not None and _expire_one(bundle_id, now):
                expired += 1


@transactional
def _expire_one(bundle_id: int, now: datetime) -> bool:
    result = db.session.execute(
        update(Booking)
        .where(
            Booking.bundle_id == bundle_id,
            Booking.status == BookingStatus.REQUESTED,
            Booking.expires_at <= now,
        )
        .values(status=BookingStatus.EXPIRED, updated_at=now, version=Booking.version + 1)
        .execution_options(synchronize_session=False)
    )
    if not result.rowcount:  # type: ignore[attr-defined]
        return False
    rows = bundle_rows(bundle_id)
    record(rows[0], None, "expired")
    notify(rows[0], "expired", rows=rows)
    return True


# --- change: move and edit -------------------------------------------------------------

_EDITABLE = ("group_name", "group_size", "learner_category", "level", "purpose", "notes")


def change_booking(booking_id: int, change: BookingChange, actor: Principal) -> Booking:
    """Move and/or edit a bundle. A move re-checks everything a new booking must meet."""
    try:
        return _change(booking_id, change, actor)
    except Overlap:
        rows = bundle_rows(booking_id)
        start = change.start or rows[0].start_at
        end = change.end or rows[0].end_at
        raise _with_conflicts(
            [r.resource_id for r in rows], start, end, actor, rows[0].bundle_id
        ) from None


@transactional
def _change(booking_id: int, change: BookingChange, actor: Principal) -> Booking:
    rows = bundle_rows(booking_id, lock=True)
    lead = rows[0]
    now = utcnow()
    hub = db.session.get(Hub, lead.hub_id)
    assert hub is not None
    settings = calendar.hub_settings(hub.id)
    if not lead.is_active:
        raise AlreadyHandled(
            _l("This booking is %(status)s and cannot be changed.", status=lead.status.label)
        )
    refusal = refusal_to_change(lead, actor, now, settings)
    if refusal is not None:
        raise NotAllowed(refusal)
    start = change.start or lead.start_at
    end = change.end or lead.end_at
    moving = (start, end) != (lead.start_at, lead.end_at)
    merged = _merged_input(lead, change, start, end)
    resources = [r.resource for r in rows]
    errors: dict[str, list[Any]] = {}
    if moving:
        try:
            rules.check_times(start, end, now)
        except InvalidInput as exc:
            errors.update(exc.fields)
    errors.update(rules.group_errors(merged, resources))
    if errors:
        raise InvalidInput(fields=errors)
    diff = _diff(lead, merged)
    if not diff:
        return lead
    if moving:
        rules.check_membership(lead.organisation, hub, start, end)
        _check_when(hub, settings, resources, start, end)
        conflicts = rules.find_conflicts([r.id for r in resources], start, end, lead.bundle_id)
        if conflicts:
            raise rules.slot_taken(
                rules.describe_conflicts(conflicts, actor), rules.calendar_tz(hub)
            )
    back_to_request = (
        moving
        and lead.status == BookingStatus.CONFIRMED
        and rules.needs_approval(settings, resources)
        and not actor.coordinates(hub.id)
    )
    _apply(rows, merged, now)
    if back_to_request:
        for row in rows:
            row.status = BookingStatus.REQUESTED
            row.expires_at = _expiry(settings, now, start)
        diff["status"] = [BookingStatus.CONFIRMED.value, BookingStatus.REQUESTED.value]
    _flush()
    record(lead, actor.user_id, "moved" if moving else "edited", diff)
    if moving:
        notify(lead, "moved", rows=rows, changes=diff)
    return lead


def _merged_input(lead: Booking, change: BookingChange, start: datetime, end: datetime) -> Any:
    def pick(name: str) -> Any:
        value = getattr(change, name)
        return getattr(lead, name) if value is None else value

    level = None if change.clear_level else pick("level")
    return BookingInput(
        resource_ids=[],
        start=start,
        end=end,
        group_name=pick("group_name"),
        group_size=pick("group_size"),
        learner_category=_jsonable(pick("learner_category")),
        level=_jsonable(level),
        purpose=pick("purpose"),
        notes=pick("notes"),
    )


def _diff(lead: Booking, merged: BookingInput) -> dict[str, list[Any]]:
    diff: dict[str, list[Any]] = {}
    for name, old_at, new_at in (
        ("start", lead.start_at, merged.start),
        ("end", lead.end_at, merged.end),
    ):
        if old_at != new_at:
            diff[name] = [old_at.isoformat(), new_at.isoformat()]
    for name in _EDITABLE:
        old = _jsonable(getattr(lead, name))
        new = getattr(merged, name)
        new = new.strip() if isinstance(new, str) and name != "level" else new
        if (old or None) != (new or None):
            diff[name] = [old, new]
    return diff


def _apply(rows: list[Booking], merged: BookingInput, now: datetime) -> None:
    for row in rows:
        row.start_at = merged.start
        row.end_at = merged.end
        row.group_name = merged.group_name.strip()
        row.group_size = merged.group_size or row.group_size
        row.learner_category = LearnerCategory(merged.learner_category or "")
        row.level = Level(merged.level) if merged.level else None
        row.purpose = (merged.purpose or "").strip()
        row.notes = (merged.notes or "").strip()
        row.version += 1
        row.updated_at = now
