"""The booking demo: a realistic term around "today" at every hub."""

from __future__ import annotations

from datetime import UTC, date, datetime

import time_machine
from sqlalchemy import func, select

from hubs.booking import closures as closure_service
from hubs.booking.calendar import school_holidays
from hubs.booking.clock import zone
from hubs.booking.models import Booking, BookingStatus, Closure
from hubs.extensions import db
from hubs.locations.models import Hub


def test_the_demo_has_a_term_at_every_hub(app):
    from hubs.demo.cli import load_demo

    today = datetime(2026, 10, 1, 8, tzinfo=UTC)  # the autumn holiday lies ahead
    with time_machine.travel(today, tick=False), app.app_context():
        load_demo()
        for hub in db.session.scalars(select(Hub)):
            starts = db.session.scalars(
                select(Booking.start_at).where(Booking.hub_id == hub.id)
            ).all()
            assert min(starts) < today < max(starts), hub.name
        counts = dict(
            db.session.execute(select(Booking.status, func.count()).group_by(Booking.status)).all()
        )
        assert counts[BookingStatus.CONFIRMED] > 150
        assert counts[BookingStatus.REQUESTED] >= 3 and counts[BookingStatus.CANCELLED] >= 2
        assert (
            db.session.scalar(
                select(func.count()).select_from(Closure).where(Closure.resource_id.is_not(None))
            )
            == 2
        )
        # Autumn holiday: TechnoHUB closes for the school holidays, MAKE has an explicit closure.
        autumn = [
            d
            for d, name in school_holidays("midden", date(2026, 10, 1), date(2026, 11, 1)).items()
            if "erfst" in name
        ]
        technohub = db.session.scalar(select(Hub).where(Hub.town == "Woerden"))
        local_days = {
            s.astimezone(zone("Europe/Amsterdam")).date()
            for s in db.session.scalars(
                select(Booking.start_at).where(Booking.hub_id == technohub.id)
            )
        }
        assert autumn and not (set(autumn) & local_days)
        assert db.session.scalar(select(Closure.id).where(Closure.reason == "Herfstvakantie MBO"))
        # The study day hits a class visit: the coordinator sees it on their day.
        hits = closure_service.hub_conflicts(technohub)
        assert [h.text for c in hits for h in c.hits] == ["Sluiting: Studiedag docenten"]
