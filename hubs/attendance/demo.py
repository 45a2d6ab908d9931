"""Demo attendance: the register filled in for the demo's past visits.

Most groups come nearly complete, a few visits were no-shows, and the visits of the last
two days are not recorded yet (the coordinator's day points at them).
"""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import select

from hubs.attendance.models import Attendance
from hubs.booking.clock import day_bounds, zone
from hubs.booking.demo import COORDINATORS
from hubs.booking.models import Booking, BookingStatus
from hubs.demo import DemoContext
from hubs.extensions import db

ABSENT = [0, 0, 0, 1, 1, 2, 3]  # people missing from a group, drawn per visit
NO_SHOW = 0.04


def load(ctx: DemoContext) -> None:
    rng = random.Random(5)
    tz = zone(None)
    unrecorded_from = day_bounds(ctx.today - timedelta(days=2), tz)[0]
    coordinators = {ctx.hubs[key].id: ctx.users[user].id for key, user in COORDINATORS.items()}
    leads = db.session.scalars(
        select(Booking)
        .where(
            Booking.id == Booking.bundle_id,
            Booking.status == BookingStatus.CONFIRMED,
            Booking.start_at < unrecorded_from,
        )
        .order_by(Booking.start_at, Booking.id)
    )
    for lead in leads:
        no_show = rng.random() < NO_SHOW
        present = 0 if no_show else max(1, lead.group_size - rng.choice(ABSENT))
        db.session.add(
            Attendance(
                booking_id=lead.id,
                present=present,
                recorded_by_id=coordinators.get(lead.hub_id),
                recorded_at=lead.start_at + timedelta(minutes=10),
                updated_at=lead.start_at + timedelta(minutes=10),
            )
        )
    db.session.flush()
