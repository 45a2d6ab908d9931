"""The licence demo: licences around "today" (some expiring soon), the people named on
company bookings of licensed machines, supervision of school classes, and every licensed
upcoming booking consistent with the rule."""

from __future__ import annotations

from datetime import UTC, date, datetime

import time_machine
from sqlalchemy import func, select

from hubs.booking.models import Booking
from hubs.extensions import db
from hubs.licences import services
from hubs.licences.models import BookingLicenceHolder, BookingSupervision, Licence
from hubs.locations.models import Resource


def test_the_demo_has_expiring_licences_and_licensed_bookings(app):
    from hubs.demo.cli import load_demo

    now = datetime(2026, 10, 1, 8, tzinfo=UTC)
    with time_machine.travel(now, tick=False), app.app_context():
        load_demo()
        today = date(2026, 10, 1)
        expiring = db.session.scalars(services.expiring_statement(today)).all()
        assert len(expiring) >= 3
        assert db.session.scalar(select(func.count()).select_from(BookingSupervision)) > 0
        holders = db.session.execute(
            select(BookingLicenceHolder.learner_id, Booking.start_at, Resource.licence_type)
            .join(Booking, Booking.id == BookingLicenceHolder.booking_id)
            .join(Resource, Resource.id == Booking.resource_id)
            .where(Booking.start_at > now)
        ).all()
        assert holders
        for learner_id, start, kind in holders:
            day = start.date()
            assert services.valid_licences([learner_id], kind, [day]) == {learner_id}
        assert (
            db.session.scalar(
                select(func.count()).select_from(Licence).where(Licence.revoked_at.is_not(None))
            )
            == 1
        )
