"""``/api/v1/bookings/{id}/attendance``: read and record who came to a visit."""

from __future__ import annotations

from typing import Any

from hubs.access import current_principal, get_or_404
from hubs.api.common import Blueprint
from hubs.attendance import register as reg
from hubs.attendance import services
from hubs.attendance.schemas import AttendanceInputSchema, AttendanceSchema
from hubs.booking.models import Booking
from hubs.booking.services import bundle_rows
from hubs.db import local_today
from hubs.errors import NotAllowed

blp = Blueprint("api_attendance", __name__, description="Attendance of booked visits")


def _dump(entry: reg.Visit) -> dict[str, Any]:
    record = entry.attendance
    return {
        "booking_id": entry.lead.id,
        "recorded": record is not None,
        "present": record.present if record else None,
        "no_show": record.is_no_show if record else None,
        "group_size": entry.lead.group_size,
        "listed": bool(entry.roster),
        "expected": [e.learner_id for e in entry.roster],
        "learner_ids": record.learner_ids if record else [],
        "recorded_by_id": record.recorded_by_id if record else None,
        "updated_at": record.updated_at if record else None,
    }


@blp.get("/bookings/<int:booking_id>/attendance")
@blp.response(200, AttendanceSchema)
def get_attendance(booking_id: int) -> dict[str, Any]:
    """Who came to the visit this booking belongs to (``recorded`` false: not yet)."""
    booking = get_or_404(Booking, booking_id)
    lead = bundle_rows(booking.id)[0]
    return _dump(reg.visit_of(current_principal(), lead, local_today()))


@blp.put("/bookings/<int:booking_id>/attendance")
@blp.arguments(AttendanceInputSchema)
@blp.response(200, AttendanceSchema)
def put_attendance(data: dict[str, Any], booking_id: int) -> dict[str, Any]:
    """Coordinators: record (or correct) the number present, or ``learner_ids`` for a
    visit with a list of names; from the day of the visit on. 422 names the field."""
    p = current_principal()
    booking = get_or_404(Booking, booking_id)
    if not p.coordinates(booking.hub_id):
        raise NotAllowed("Only the hub's coordinators record attendance.")
    services.record_attendance(p, booking.id, services.AttendanceInput(**data))
    lead = bundle_rows(booking.id)[0]
    return _dump(reg.visit_of(p, lead, local_today()))
