"""Booking use cases: book, change (move or edit), cancel, approve, reject, expire.

Each runs in one unit of work. A bundle (several rows sharing ``bundle_id``) is always
handled as one: booked all-or-nothing, moved together, approved and cancelled together.
Status changes are compare-and-swap updates, so two coordinators clicking at once give one
transition. The database refuses overlapping active rows; we turn that refusal into
:class:`~hubs.booking.errors.SlotTaken` with the conflicts listed.
"""

from hubs.booking.rules import BookingInput
from hubs.booking.services.book import book
from hubs.booking.services.change import BookingChange, change_booking
from hubs.booking.services.common import (
    Overlap,
    allocate_id,
    bundle_rows,
    cancel_deadline,
    is_overlap,
    may_change,
    may_decide,
    record,
    refusal_to_change,
)
from hubs.booking.services.status import approve, cancel_booking, expire_requests, reject

__all__ = [
    "BookingChange",
    "BookingInput",
    "Overlap",
    "allocate_id",
    "approve",
    "book",
    "bundle_rows",
    "cancel_booking",
    "cancel_deadline",
    "change_booking",
    "expire_requests",
    "is_overlap",
    "may_change",
    "may_decide",
    "record",
    "refusal_to_change",
    "reject",
]
