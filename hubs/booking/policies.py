"""Who may see bookings, closures and slots (registered with :mod:`hubs.access`).

A booking is visible in full to its own organisation's bookers and to the coordinators of
its hub. Everyone else sees, in the week view, only that the time is taken ("bezet"):
that view never loads other organisations' details, and their bookings are a 404 here.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, or_, true

from hubs.access import Principal, scope
from hubs.booking.models import Booking, Closure, Slot


@scope(Booking)
def _bookings(p: Principal) -> ColumnElement[bool]:
    if p.is_manager:
        return true()
    return or_(
        Booking.hub_id.in_(p.coordinator_hub_ids),
        Booking.organisation_id.in_(p.booker_org_ids),
    )


@scope(Closure)
def _closures(p: Principal) -> ColumnElement[bool]:
    # Closures are shown to everyone in the week view; by id only to those who run the hub.
    if p.is_manager:
        return true()
    return Closure.hub_id.in_(p.coordinator_hub_ids) if p.is_coordinator else false()


@scope(Slot)
def _slots(p: Principal) -> ColumnElement[bool]:
    if p.is_manager:
        return true()
    return Slot.hub_id.in_(p.coordinator_hub_ids) if p.is_coordinator else false()
