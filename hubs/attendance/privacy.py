"""What attendance holds on a person: that a learner was present at a visit (lists of
names, e.g. course sessions). No free text.

Erasure keeps the records: they point at the learner row, which the learners feature
anonymises, and contact hours in reports depend on them. The access export lists them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from hubs.attendance.models import Attendance, AttendanceLearner
from hubs.booking.models import Booking
from hubs.extensions import db
from hubs.privacy import Subject, register_eraser, register_exporter


def export(subject: Subject) -> list[dict[str, Any]]:
    """The visits the learner was recorded present at."""
    rows = db.session.execute(
        select(Booking, Attendance.updated_at)
        .join(Attendance, Attendance.booking_id == Booking.id)
        .join(AttendanceLearner, AttendanceLearner.attendance_id == Attendance.id)
        .where(AttendanceLearner.learner_id == subject.learner_id)
        .order_by(Booking.start_at)
    ).all()
    return [
        {
            "booking_id": booking.id,
            "start": booking.start_at.isoformat(),
            "end": booking.end_at.isoformat(),
            "hub_id": booking.hub_id,
            "recorded_at": recorded.isoformat(),
        }
        for booking, recorded in rows
    ]


def erase(subject: Subject) -> int:
    """Nothing to remove: the records name the (anonymised) learner by id only."""
    return 0


register_exporter("attendance", export)
register_eraser("attendance", erase)
