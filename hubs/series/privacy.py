"""What a series holds on a person: free text only (a group name or purpose that names a
pupil, a closure's reason copied to a skipped date). Erasure scrubs it; the dates' notes
are the bookings' own (hubs.booking.privacy)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from hubs.extensions import db
from hubs.privacy import Subject, register_eraser, register_exporter
from hubs.privacy.text import matching, scrub
from hubs.series.models import BookingSeries, SeriesOccurrence

SERIES_TEXT = ["group_name", "purpose"]
OCCURRENCE_TEXT = ["reason"]


def erase(subject: Subject) -> int:
    """Replace the person's name wherever a series or one of its dates mentions it."""
    return len(scrub(BookingSeries, SERIES_TEXT, subject.needles)) + len(
        scrub(SeriesOccurrence, OCCURRENCE_TEXT, subject.needles)
    )


def export(subject: Subject) -> list[dict[str, Any]]:
    """Series whose text mentions the person."""
    if not subject.needles:
        return []
    columns = [getattr(BookingSeries, name) for name in SERIES_TEXT]
    rows = db.session.scalars(
        select(BookingSeries)
        .where(matching(BookingSeries, columns, subject.needles))
        .order_by(BookingSeries.id)
    )
    return [
        {"id": s.id, "rule": s.rule, **{name: getattr(s, name) for name in SERIES_TEXT}}
        for s in rows
    ]


register_eraser("booking_series", erase)
register_exporter("booking_series", export)
