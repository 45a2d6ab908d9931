"""What bookings hold on a person: free text only (a group name, purpose, notes or a
reason that names a pupil). Erasure scrubs it; retention clears notes of old bookings.

Bookings record organisations, groups and headcounts, not people; the person who booked
is a user id (the account's own lifecycle applies) and the audit trail uses ids.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from dateutil.relativedelta import relativedelta
from flask import current_app
from sqlalchemy import select, update

from hubs.booking.clock import zone
from hubs.booking.models import Booking, BookingEvent, LearnerCategory
from hubs.extensions import db
from hubs.privacy import Subject, register_eraser, register_exporter, register_purger
from hubs.privacy.text import matching, scrub

BOOKING_TEXT = ["group_name", "purpose", "notes", "cancel_reason"]
EVENT_TEXT = ["note", "changes"]


def erase(subject: Subject) -> int:
    """Replace the person's name wherever a booking or its history mentions it."""
    return len(scrub(Booking, BOOKING_TEXT, subject.needles)) + len(
        scrub(BookingEvent, EVENT_TEXT, subject.needles)
    )


def export(subject: Subject) -> list[dict[str, Any]]:
    """Bookings whose text mentions the person."""
    if not subject.needles:
        return []
    columns = [getattr(Booking, name) for name in BOOKING_TEXT]
    rows = db.session.scalars(
        select(Booking).where(matching(Booking, columns, subject.needles)).order_by(Booking.id)
    )
    return [
        {
            "id": b.id,
            "start": b.start_at.isoformat(),
            "end": b.end_at.isoformat(),
            **{name: getattr(b, name) for name in BOOKING_TEXT},
        }
        for b in rows
    ]


def purge(today: date) -> int:
    """Clear the notes of bookings (and their history's notes) past the retention period
    of the learners they were for."""
    touched = 0
    years = current_app.config["RETENTION_YEARS"]
    for category in LearnerCategory:
        cutoff = datetime.combine(
            today - relativedelta(years=int(years[category.value])), time(0), tzinfo=zone(None)
        )
        old = select(Booking.id).where(
            Booking.learner_category == category, Booking.end_at < cutoff
        )
        cleared = db.session.execute(
            update(Booking)
            .where(Booking.id.in_(old), Booking.notes != "")
            .values(notes="")
            .execution_options(synchronize_session=False)
        )
        events = db.session.execute(
            update(BookingEvent)
            .where(BookingEvent.booking_id.in_(old), BookingEvent.note != "")
            .values(note="")
            .execution_options(synchronize_session=False)
        )
        touched += int(cleared.rowcount or 0) + int(events.rowcount or 0)  # type: ignore[attr-defined]
    return touched


register_eraser("bookings", erase)
register_exporter("bookings", export)
register_purger("bookings", purge)
