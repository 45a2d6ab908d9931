from __future__ import annotations

from datetime import date, time

from hubs.db import write_transaction
from hubs.extensions import db
from hubs.locations.models import OpeningException
from hubs.locations.services import opening_intervals


def test_weekday_hours_and_date_exceptions(ctx, make):
    hub = make.hub(hours={0: [(time(8), time(12)), (time(13), time(17))], 1: [(time(9), time(17))]})
    with write_transaction():
        # Tuesday 7 Oct: an evening course on top of the day.
        db.session.add(
            OpeningException(
                hub_id=hub.id, on_date=date(2025, 10, 7), opens_at=time(8), closes_at=time(17)
            )
        )
        db.session.add(
            OpeningException(
                hub_id=hub.id, on_date=date(2025, 10, 7), opens_at=time(19), closes_at=time(22)
            )
        )
        # Monday 13 Oct: closed (study day).
        db.session.add(OpeningException(hub_id=hub.id, on_date=date(2025, 10, 13)))
        # Saturday 11 Oct: open day on a normally closed day.
        db.session.add(
            OpeningException(
                hub_id=hub.id, on_date=date(2025, 10, 11), opens_at=time(10), closes_at=time(14)
            )
        )
    days = opening_intervals(hub.id, date(2025, 10, 6), date(2025, 10, 13))
    assert days[date(2025, 10, 6)] == [(time(8), time(12)), (time(13), time(17))]
    assert days[date(2025, 10, 7)] == [(time(8), time(17)), (time(19), time(22))]
    assert days[date(2025, 10, 8)] == []  # Wednesday: no weekday hours
    assert days[date(2025, 10, 11)] == [(time(10), time(14))]
    assert days[date(2025, 10, 12)] == []
    assert days[date(2025, 10, 13)] == []
    assert len(days) == 8
