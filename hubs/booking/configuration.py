"""How a hub takes bookings: its settings, per-resource approval and its named periods."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from hubs.access import Principal
from hubs.booking.models import HubBookingSettings, ResourceApproval, Slot
from hubs.db import transactional
from hubs.errors import InvalidInput, NotAllowed
from hubs.extensions import db
from hubs.locations.models import Resource
from hubs.organisations.models import HolidayRegion


@dataclass
class SettingsInput:
    uses_slots: bool
    approval_required: bool
    cancel_deadline_hours: int
    request_expiry_hours: int
    close_on_school_holidays: bool
    holiday_region: str
    approval_resource_ids: list[int]


def _require(hub_id: int, actor: Principal) -> None:
    if not actor.coordinates(hub_id):
        raise NotAllowed(_l("Only the hub's coordinators change its booking settings."))


@transactional
def save_settings(hub_id: int, data: SettingsInput, actor: Principal) -> HubBookingSettings:
    """Store the hub's booking settings and which of its resources need approval."""
    _require(hub_id, actor)
    errors = {}
    if not 0 <= data.cancel_deadline_hours <= 720:
        errors["cancel_deadline_hours"] = [_l("Between 0 and 720 hours.")]
    if not 1 <= data.request_expiry_hours <= 720:
        errors["request_expiry_hours"] = [_l("Between 1 and 720 hours.")]
    if data.holiday_region not in {r.value for r in HolidayRegion}:
        errors["holiday_region"] = [_l("Choose north, middle or south.")]
    if errors:
        raise InvalidInput(fields=errors)
    row = db.session.get(HubBookingSettings, hub_id) or HubBookingSettings(hub_id=hub_id)
    row.uses_slots = data.uses_slots
    row.approval_required = data.approval_required
    row.cancel_deadline_hours = data.cancel_deadline_hours
    row.request_expiry_hours = data.request_expiry_hours
    row.close_on_school_holidays = data.close_on_school_holidays
    row.holiday_region = HolidayRegion(data.holiday_region)
    db.session.add(row)
    _set_approvals(hub_id, data.approval_resource_ids)
    db.session.flush()
    return row


def _set_approvals(hub_id: int, resource_ids: list[int]) -> None:
    hub_resources = set(db.session.scalars(select(Resource.id).where(Resource.hub_id == hub_id)))
    wanted = set(resource_ids) & hub_resources
    db.session.execute(
        delete(ResourceApproval).where(ResourceApproval.resource_id.in_(hub_resources - wanted))
    )
    existing = set(
        db.session.scalars(
            select(ResourceApproval.resource_id).where(ResourceApproval.resource_id.in_(wanted))
        )
    )
    for resource_id in sorted(wanted - existing):
        db.session.add(ResourceApproval(resource_id=resource_id))


def approval_resource_ids(hub_id: int) -> list[int]:
    return list(
        db.session.scalars(
            select(ResourceApproval.resource_id)
            .join(Resource, Resource.id == ResourceApproval.resource_id)
            .where(Resource.hub_id == hub_id)
        )
    )


@transactional
def add_slots(
    hub_id: int, weekdays: list[int], name: str, starts_at: time, ends_at: time, actor: Principal
) -> list[Slot]:
    """Add a named period on each of the given weekdays; periods of a day never overlap."""
    _require(hub_id, actor)
    name = (name or "").strip()
    if not name:
        raise InvalidInput(_l("Give the period a name, e.g. 1e uur."), field="name")
    if ends_at <= starts_at:
        raise InvalidInput(_l("The end must be after the start."), field="ends_at")
    days = sorted({d for d in weekdays if 0 <= d <= 6})
    if not days:
        raise InvalidInput(_l("Choose at least one day."), field="weekdays")
    existing = db.session.scalars(
        select(Slot).where(Slot.hub_id == hub_id, Slot.weekday.in_(days))
    ).all()
    for slot in existing:
        if slot.starts_at < ends_at and starts_at < slot.ends_at:
            raise InvalidInput(
                _l(
                    "This overlaps %(name)s (%(start)s–%(end)s).",
                    name=slot.name,
                    start=slot.starts_at.strftime("%H:%M"),
                    end=slot.ends_at.strftime("%H:%M"),
                ),
                field="starts_at",
            )
    slots = [
        Slot(hub_id=hub_id, weekday=d, name=name[:60], starts_at=starts_at, ends_at=ends_at)
        for d in days
    ]
    db.session.add_all(slots)
    db.session.flush()
    return slots


@transactional
def delete_slot(slot_id: int, actor: Principal) -> None:
    slot = db.session.get(Slot, slot_id)
    if slot is None:
        return
    _require(slot.hub_id, actor)
    db.session.delete(slot)
