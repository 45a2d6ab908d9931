"""Changing a bundle's rooms and machines (PATCH ``resource_ids``, the change form).

The new set is checked like a new booking's: one hub (the booking's own: another hub is
a new booking), active resources, capacity, opening hours and closures, other bookings
(the database's guarantee holds) and the licence rule for the new machines, with the
people recorded before unless new ones are named. The lead row always stays (courses,
series, the register and the audit trail point at it); rows are reassigned, added or
removed, deletions first so no two rows of the bundle ever hold one resource.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l

from hubs.access import Principal
from hubs.booking import rules
from hubs.booking.errors import NotBookable
from hubs.booking.models import Booking, BookingStatus
from hubs.booking.services.common import flush
from hubs.extensions import db
from hubs.licences import checks
from hubs.locations.models import Hub, Resource


def new_resources(
    lead: Booking, rows: list[Booking], resource_ids: list[int] | None
) -> list[Resource] | None:
    """The bundle's new resources, checked (None: unchanged or not asked)."""
    if resource_ids is None:
        return None
    resources = rules.load_resources(resource_ids)
    if resources[0].hub_id != lead.hub_id:
        raise NotBookable(
            _l("Choose rooms and machines of this booking's hub (for another hub, book anew)."),
            field="resource_ids",
        )
    if {r.id for r in resources} == {row.resource_id for row in rows}:
        return None
    return resources


def plan(
    lead: Booking,
    change: Any,
    merged: rules.BookingInput,
    resources: list[Resource],
    hub: Hub,
    actor: Principal,
) -> checks.LicencePlan:
    """The licence rule for the bundle's (new) machines: the people named now, else those
    recorded; raises on ``learner_ids`` / ``supervised`` like a new booking."""
    people, supervision = checks.plan_of(lead.id)
    learner_ids = change.learner_ids
    if learner_ids is None:
        named = change.learner_references is not None
        learner_ids = [] if named else [p.id for p in people]
    supervised = change.supervised
    if supervised is None:
        supervised = supervision is not None
    data = replace(
        merged,
        learner_ids=learner_ids,
        learner_references=change.learner_references,
        supervised=supervised,
    )
    days = checks.booking_days(merged.start, merged.end, rules.calendar_tz(hub))
    return checks.plan_for(
        data, resources, lead.organisation_id, days, by_hub_staff=actor.coordinates(hub.id)
    )


def plan_diff(lead: Booking, plan: checks.LicencePlan) -> dict[str, list[Any]]:
    """What the licence record changes (for the audit trail)."""
    people, supervision = checks.plan_of(lead.id)
    old_ids = sorted(p.id for p in people)
    diff: dict[str, list[Any]] = {}
    if old_ids != sorted(plan.learner_ids):
        diff["learner_ids"] = [old_ids, sorted(plan.learner_ids)]
    if (supervision is not None) != plan.supervised:
        diff["supervised"] = [supervision is not None, plan.supervised]
    return diff


def apply(
    lead: Booking, rows: list[Booking], resources: list[Resource], now: datetime
) -> list[Booking]:
    """Give the bundle exactly ``resources``; returns its rows, the lead first."""
    wanted = [r.id for r in resources]
    by_id = {r.id: r for r in resources}
    kept = [row for row in rows if row.resource_id in wanted]
    spare = [row for row in rows if row.resource_id not in wanted]
    missing = [i for i in wanted if i not in {row.resource_id for row in kept}]
    if lead in spare and not missing:
        # The lead's resource goes and nothing new comes: the lead takes over a kept row's
        # resource, that row goes.
        taken = next(row for row in kept if row is not lead)
        kept.remove(taken)
        spare.append(taken)
        missing = [taken.resource_id]
    spare.sort(key=lambda row: row is not lead)  # the lead is reassigned, never removed
    reassigned = list(zip(spare, missing, strict=False))
    for row in spare[len(reassigned) :]:
        # Cancelled, never deleted: its id (and the calendar UID built from it) stays
        # its own, and its history stays readable.
        row.status = BookingStatus.CANCELLED
        row.bundle_id = row.id
        row.updated_at = now
    flush()
    for row, resource_id in reassigned:
        row.resource = by_id[resource_id]
        row.updated_at = now
    flush()
    added = [_copy(lead, by_id[i], now) for i in missing[len(reassigned) :]]
    db.session.add_all(added)
    flush()
    result = kept + [row for row, _ in reassigned] + added
    return sorted(result, key=lambda row: (row is not lead, row.id))


def _copy(lead: Booking, resource: Resource, now: datetime) -> Booking:
    return Booking(
        hub_id=lead.hub_id,
        resource=resource,
        bundle_id=lead.id,
        organisation_id=lead.organisation_id,
        booked_by_id=lead.booked_by_id,
        start_at=lead.start_at,
        end_at=lead.end_at,
        status=lead.status,
        group_name=lead.group_name,
        group_size=lead.group_size,
        learner_category=lead.learner_category,
        level=lead.level,
        purpose=lead.purpose,
        notes=lead.notes,
        expires_at=lead.expires_at,
        cancel_reason="",
        created_at=now,
        updated_at=now,
    )


def record(lead: Booking, plan: checks.LicencePlan, actor: Principal) -> None:
    """Replace the bundle's licence record by ``plan``."""
    from sqlalchemy import delete

    from hubs.licences.models import BookingLicenceHolder, BookingSupervision

    for model in (BookingLicenceHolder, BookingSupervision):
        db.session.execute(
            delete(model)
            .where(model.booking_id == lead.id)
            .execution_options(synchronize_session=False)
        )
    coordinator = actor.coordinates(lead.hub_id)
    checks.record_plan(lead.id, plan, confirmed_by=actor.user_id if coordinator else None)
