"""Who may see attendance records: whoever may see the booking they belong to."""

from __future__ import annotations

from sqlalchemy import ColumnElement, select, true

from hubs.access import Principal, scope, visible
from hubs.attendance.models import Attendance
from hubs.booking.models import Booking


@scope(Attendance)
def _attendance(p: Principal) -> ColumnElement[bool]:
    if p.is_manager:
        return true()
    return Attendance.booking_id.in_(select(Booking.id).where(visible(Booking, p)))
