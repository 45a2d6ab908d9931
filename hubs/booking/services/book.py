"""Book one resource or a bundle, all or nothing."""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cache
from typing import Any, cast

from sqlalchemy import Table
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from hubs.access import Principal
from hubs.booking import idempotency, programmes, rules
from hubs.booking.clock import check_offset
from hubs.booking.models import (
    Booking,
    BookingStatus,
    LearnerCategory,
    Level,
)
from hubs.booking.notify import notify
from hubs.booking.services.common import (
    Overlap,
    check_when,
    expiry,
    is_overlap,
    lock_and_allocate,
    record_now,
    with_conflicts,
)
from hubs.db import in_write_transaction, insert_rows, together, transactional, utcnow
from hubs.errors import InvalidInput
from hubs.extensions import db
from hubs.licences import checks
from hubs.locations.models import Hub
from hubs.organisations.models import Organisation

BookingInput = rules.BookingInput


# --- book ------------------------------------------------------------------------------


def book(data: BookingInput, actor: Principal, claim: idempotency.Claim | None = None) -> Booking:
    """Book one resource or a bundle, all or nothing. Returns the lead row.

    Raises InvalidInput (422: fields), NotAllowed (403) or SlotTaken (409: conflicts).
    With an idempotency ``claim`` the key is stored in the same unit of work (raises
    idempotency.KeyInUse when a twin request claimed it first).

    Every rule but the overlap is checked first, by reads that do not take the write lock
    (on SQLite a writer holds it for the whole unit of work, so the workers would take
    turns); the unit of work then holds only the writes. The database refuses an overlap
    (bench/: row 1), and the refusal is answered with what holds the slot.
    """
    draft = _check(data, actor)
    # Inside a caller's unit of work (a course books its sessions) a refused INSERT must
    # not abort that transaction: the rows go in under a savepoint then.
    draft.savepoint = in_write_transaction()
    try:
        return _write(draft, actor, claim)
    except Overlap:
        raise with_conflicts(data.resource_ids, data.start, data.end, actor) from None


@dataclass
class _Draft:
    """A booking that passed every rule but the overlap: what ``_write`` stores."""

    data: BookingInput
    place: rules.Place
    organisation: Organisation
    plan: checks.LicencePlan
    coordinator: bool
    requested: bool
    now: datetime
    programme_id: int | None
    savepoint: bool = False


def _check(data: BookingInput, actor: Principal) -> _Draft:
    now = utcnow()
    place = rules.load_place(data.resource_ids)
    resources, hub, settings = place.resources, place.hub, place.settings
    errors: dict[str, list[Any]] = {}
    if data.client_offsets:
        data, errors = _utc_times(data, rules.calendar_tz(hub))
    try:
        if not errors:
            rules.check_times(data.start, data.end, now)
    except InvalidInput as exc:
        errors.update(exc.fields)
    errors.update(rules.group_errors(data, resources))
    errors.update(programmes.programme_errors(data.programme_id, hub.id, data.learner_category))
    if errors:
        raise InvalidInput(fields=errors)
    # Without a programme named (and unless told none), the organisation's only one.
    derive = data.programme_id is None and data.derive_programme
    organisation, derived = rules.resolve_organisation_and_programme(
        actor, hub, data.organisation_id, data.start, data.end, derive, data.learner_category
    )
    programme_id = data.programme_id if data.programme_id is not None else derived
    coordinator = actor.coordinates(hub.id)
    days = checks.booking_days(data.start, data.end, rules.calendar_tz(hub))
    plan = checks.plan_for(data, resources, organisation.id, days, by_hub_staff=coordinator)
    check_when(hub, settings, resources, data.start, data.end)
    # The instructor's supervision of a class is confirmed by a coordinator: a request.
    approval = rules.needs_approval(settings, resources, place.approval_ids)
    requested = (approval or plan.supervised) and not coordinator
    return _Draft(data, place, organisation, plan, coordinator, requested, now, programme_id)


def _utc_times(data: BookingInput, tz: Any) -> tuple[BookingInput, dict[str, list[Any]]]:
    """The client's start and end in UTC, or the fields whose offset is not the hub's."""
    errors: dict[str, list[Any]] = {}
    times = {}
    for name in ("start", "end"):
        try:
            times[name] = check_offset(getattr(data, name), tz, name)
        except InvalidInput as exc:
            errors.update(exc.fields)
    if errors:
        return data, errors
    return replace(data, start=times["start"], end=times["end"], client_offsets=False), {}


@transactional
def _write(draft: _Draft, actor: Principal, claim: idempotency.Claim | None) -> Booking:
    resources = draft.place.resources
    # Bookings of these resources queue behind each other (PostgreSQL; see
    # lock_resources), then the rows get their ids.
    ids = lock_and_allocate([r.id for r in resources], len(resources))
    rows = _rows(draft, actor, ids)
    lead = rows[0]
    plan = draft.plan
    action = "requested" if draft.requested else "booked"
    # The key, the rows, the audit event and the mail's recipe: on PostgreSQL one round
    # trip (hubs.db.together). No probe for a conflict first: the INSERT is refused on an
    # overlap (the exclusion constraint, SQLite's triggers), and ``book`` then lists what
    # holds the slot.
    try:
        with _savepoint(draft.savepoint), together():
            if claim is not None:
                # The answer is known before the INSERTs: the key is stored with it, once.
                # First, so a replay is refused on the key before anything else.
                idempotency.claim(claim, 201, lead)
            _insert(rows)
            record_now(lead, actor.user_id, action, _created(lead, rows) | plan_changes(plan))
            notify(lead, "requested" if draft.requested else "confirmed", rows=rows)
    except IntegrityError as exc:
        if is_overlap(exc):
            raise Overlap() from exc
        if claim is not None and idempotency.is_key_taken(exc):
            raise idempotency.KeyInUse(claim.key) from exc
        raise
    _attach(rows)
    # ORM rows that refer to the bookings: flushed at commit, after them.
    checks.record_plan(lead.id, plan, confirmed_by=actor.user_id if draft.coordinator else None)
    return lead


def _savepoint(inside_a_caller: bool) -> AbstractContextManager[Any]:
    """Inside a caller's unit of work a refused INSERT must not abort its transaction."""
    return db.session.begin_nested() if inside_a_caller else nullcontext()


def _insert(rows: list[Booking]) -> None:
    """INSERT the rows in one plain statement (the unit of work's flush costs more than
    the rest of the booking; bench/: row 1). The database refuses an overlap here (or,
    on PostgreSQL, when ``together`` sends it): Overlap."""
    columns = _columns()
    values = [
        {col: row.__dict__[key] for key, col in columns if key in row.__dict__} for row in rows
    ]
    try:
        insert_rows(_BOOKINGS, values)
    except IntegrityError as exc:
        if is_overlap(exc):
            raise Overlap() from exc
        raise


def _attach(rows: list[Booking]) -> None:
    """Put the rows, now in the database, in the session as loaded: what follows reads
    them without SQL, and ORM rows may refer to them."""
    for row in rows:
        make_transient_to_detached(row)
        db.session.add(row)


@cache
def _columns() -> list[tuple[str, str]]:
    return [(a.key, a.columns[0].key) for a in sa_inspect(Booking).column_attrs]


_BOOKINGS = cast(Table, Booking.__table__)


def _rows(draft: _Draft, actor: Principal, ids: list[int]) -> list[Booking]:
    """The bundle's rows, ids and bundle id set, ``lead.members`` filled (the answer is
    built from them without reading them back)."""
    status = BookingStatus.REQUESTED if draft.requested else BookingStatus.CONFIRMED
    settings = draft.place.settings
    expires = expiry(settings, draft.now, draft.data.start) if draft.requested else None
    rows = [
        _new_row(draft.data, draft.place.hub, r.id, draft.organisation.id, actor, status, expires)
        for r in draft.place.resources
    ]
    for row in rows:
        row.programme_id = draft.programme_id
    lead = rows[0]
    for row, row_id in zip(rows, ids, strict=True):
        row.id, row.bundle_id = row_id, ids[0]
    for row, resource in zip(rows, draft.place.resources, strict=True):
        set_committed_value(row, "resource", resource)
        set_committed_value(row, "hub", draft.place.hub)
        set_committed_value(row, "organisation", draft.organisation)
        set_committed_value(row, "lead", lead)
    set_committed_value(lead, "members", rows)
    return rows


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
        cancel_reason="",
        version=1,
        created_at=now,
        updated_at=now,
    )


def plan_changes(plan: checks.LicencePlan) -> dict[str, Any]:
    if not plan.kinds:
        return {}
    return {
        "licence_kinds": plan.kinds,
        "learner_ids": plan.learner_ids,
        "supervised": plan.supervised,
    }


def _created(lead: Booking, rows: list[Booking]) -> dict[str, Any]:
    return {
        "resource_ids": [r.resource_id for r in rows],
        "organisation_id": lead.organisation_id,
        "start": lead.start_at.isoformat(),
        "end": lead.end_at.isoformat(),
        "group_name": lead.group_name,
        "group_size": lead.group_size,
        "status": lead.status.value,
        "programme_id": lead.programme_id,
    }
