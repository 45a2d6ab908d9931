"""The series demo: a term of weekly lessons with holidays skipped, and a series request."""

from __future__ import annotations

from datetime import UTC, datetime

import time_machine
from sqlalchemy import select

from hubs.booking.models import BookingStatus
from hubs.extensions import db
from hubs.series.models import BookingSeries, OccurrenceState
from hubs.series.queries import rows


def test_the_demo_has_a_term_of_lessons_and_a_series_request(app):
    from hubs.demo.cli import load_demo

    # Early December: the Christmas holiday falls inside the coming term.
    now = datetime(2026, 12, 1, 8, tzinfo=UTC)
    with time_machine.travel(now, tick=False), app.app_context():
        load_demo()
        series = db.session.scalars(select(BookingSeries).order_by(BookingSeries.id)).all()
        assert [s.group_name for s in series] == ["3H-O&O", "MT3B"]
        lessons = rows(series[0])
        booked = [r for r in lessons if r.occurrence.state == OccurrenceState.BOOKED]
        skipped = [r.occurrence.reason for r in lessons if r.occurrence.state == "skipped"]
        assert len(booked) >= 10
        assert any("Kerstvakantie" in reason for reason in skipped), skipped
        statuses = {r.booking.status for r in rows(series[1]) if r.booking is not None}
        assert statuses == {BookingStatus.REQUESTED}
