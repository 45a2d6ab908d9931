"""Book one resource or a bundle, all or nothing."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from hubs.access import Principal
from hubs.booking import calendar, idempotency, programmes, rules
from hubs.booking.models import (
    Booking,
    BookingStatus,
    LearnerCategory,
    Level,
)
from hubs.booking.notify import notify
from hubs.booking.services.common import (
    Overlap,
    allocate_id,
    check_when,
    expiry,
    flush,
    record,
    with_conflicts,
)
from hubs.db import transactional, utcnow
from hubs.errors import InvalidInput
from hubs.extensions import db
from hubs.licences import checks
from hubs.locations.models import Hub

BookingInput = rules.BookingInput


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
        raise with_conflicts(data.resource_ids, data.start, data.end, actor) from None


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
    errors.update(programmes.programme_errors(data.programme_id, hub.id))
    if errors:
        raise InvalidInput(fields=errors)
    organisation = rules.resolve_organisation(
        actor, hub, data.organisation_id, data.start, data.end
    )
    programme_id = data.programme_id or programmes.derived_programme(
        organisation.id, hub.id, data.start
    )
    days = checks.booking_days(data.start, data.end, rules.calendar_tz(hub))
    plan = checks.plan_for(
        data, resources, organisation.id, days, by_hub_staff=actor.coordinates(hub.id)
    )
    settings = calendar.hub_settings(hub.id)
    check_when(hub, settings, resources, data.start, data.end)
    conflicts = rules.find_conflicts([r.id for r in resources], data.start, data.end)
    if conflicts:
        raise rules.slot_taken(rules.describe_conflicts(conflicts, actor), rules.calendar_tz(hub))
    coordinator = actor.coordinates(hub.id)
    # The instructor's supervision of a class is confirmed by a coordinator: a request.
    requested = (rules.needs_approval(settings, resources) or plan.supervised) and not coordinator
    status = BookingStatus.REQUESTED if requested else BookingStatus.CONFIRMED
    expires = expiry(settings, now, data.start) if requested else None
    rows = [_new_row(data, hub, r.id, organisation.id, actor, status, expires) for r in resources]
    for row in rows:
        row.programme_id = programme_id
    lead = rows[0]
    lead.id = lead.bundle_id = allocate_id()
    for row in rows[1:]:
        row.bundle_id = lead.id
    db.session.add_all(rows)
    flush()
    checks.record_plan(lead.id, plan, confirmed_by=actor.user_id if coordinator else None)
    created = _created(lead, rows) | plan_changes(plan)
    record(lead, actor.user_id, "requested" if requested else "booked", created)
    notify(lead, "requested" if requested else "confirmed", rows=rows)
    if claim is not None:
        idempotency.complete(claim, 201, lead)
    return lead


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
