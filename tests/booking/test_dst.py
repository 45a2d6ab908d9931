"""Clock changes, on a resource open around the clock (Europe/Amsterdam, 2026).

29 March 2026: 02:00 jumps to 03:00, so 02:30 does not exist.
25 October 2026: 03:00 goes back to 02:00, so 02:30 happens twice.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from hubs.booking import services
from hubs.booking.clock import local_instant, zone
from hubs.booking.models import Booking
from hubs.errors import InvalidInput
from hubs.extensions import db
from tests.booking.helpers import booking_input, build_world, principal
from tests.helpers import PASSWORD

AMS = zone("Europe/Amsterdam")
AROUND_THE_CLOCK = {d: [(time(0), time(23, 59))] for d in range(7)}


@pytest.fixture
def night(app, make, clock):
    return build_world(make, hours=AROUND_THE_CLOCK)


def test_a_time_that_does_not_exist_is_refused_with_a_message_saying_so(ctx):
    with pytest.raises(InvalidInput) as refused:
        local_instant(date(2026, 3, 29), "02:30", AMS, "start")
    message = str(refused.value.message)
    assert "02:30" in message and "bestaat niet" in message and "vooruit" in message
    assert refused.value.field == "start"


def test_a_time_that_occurs_twice_needs_its_offset(ctx):
    with pytest.raises(InvalidInput) as refused:
        local_instant(date(2026, 10, 25), "02:30", AMS, "start")
    message = str(refused.value.message)
    assert "twee keer" in message and "02:30+02:00" in message and "02:30+01:00" in message
    summer = local_instant(date(2026, 10, 25), "02:30+02:00", AMS, "start")
    winter = local_instant(date(2026, 10, 25), "02:30+01:00", AMS, "start")
    assert summer == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert winter == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
    with pytest.raises(InvalidInput, match="geen tijd in Nederland"):
        local_instant(date(2026, 10, 25), "04:30+02:00", AMS, "start")


def test_the_booking_form_refuses_both_and_books_with_an_offset(app, night, login):
    client = app.test_client()
    login(client, night.booker, PASSWORD)
    url = f"/hubs/{night.hub.id}/book"
    base = {
        "organisation_id": night.org.id,
        "resource_ids": night.laser.id,
        "group_name": "Nachtploeg",
        "group_size": 2,
        "learner_category": "employee",
        "level": "",
    }
    gap = client.post_form(url, {**base, "date": "2026-03-29", "start": "02:30", "end": "03:30"})
    assert gap.status_code == 422
    assert "02:30 op 29 maart 2026 bestaat niet" in gap.get_data(as_text=True)
    twice = client.post_form(url, {**base, "date": "2026-10-25", "start": "02:30", "end": "03:30"})
    assert twice.status_code == 422 and "twee keer" in twice.get_data(as_text=True)
    ok = client.post_form(
        url, {**base, "date": "2026-10-25", "start": "02:30+01:00", "end": "03:30"}
    )
    assert ok.status_code == 302, ok.get_data(as_text=True)
    with app.app_context():
        booking = db.session.scalars(select(Booking)).one()
        assert booking.start_at == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
        assert booking.end_at - booking.start_at == timedelta(hours=1)


def test_a_booking_across_the_october_change_keeps_its_real_duration(ctx, night):
    # 01:00 summer time until 04:00 winter time: the wall clock says 3 hours, 4 pass.
    start = local_instant(date(2026, 10, 25), "01:00", AMS, "start")
    end = local_instant(date(2026, 10, 25), "04:00", AMS, "end")
    lead = services.book(
        booking_input([night.laser], start, end, group_size=2), principal(night.booker)
    )
    db.session.expire_all()
    stored = db.session.get(Booking, lead.id)
    assert stored.end_at - stored.start_at == timedelta(hours=4)
    assert stored.start_at == datetime(2026, 10, 24, 23, 0, tzinfo=UTC)
    assert stored.end_at == datetime(2026, 10, 25, 3, 0, tzinfo=UTC)
    # And across the March change: 01:00–04:00 on the wall is 2 real hours.
    start = local_instant(date(2026, 3, 29), "01:00", AMS, "start")
    end = local_instant(date(2026, 3, 29), "04:00", AMS, "end")
    lead = services.book(
        booking_input([night.laser], start, end, group_size=2), principal(night.booker)
    )
    assert lead.end_at - lead.start_at == timedelta(hours=2)


def test_the_api_refuses_naive_and_impossible_times(app, night, api_headers):
    headers = api_headers(night.booker)
    client = app.test_client()
    body = {
        "resource_ids": [night.laser.id],
        "group_name": "Nachtploeg",
        "group_size": 2,
        "learner_category": "employee",
    }
    naive = client.post(
        "/api/v1/bookings",
        json={**body, "start": "2026-03-29T01:00:00", "end": "2026-03-29T04:00:00"},
        headers=headers,
    )
    assert naive.status_code == 422 and set(naive.json["fields"]) == {"start", "end"}
    gap = client.post(
        "/api/v1/bookings",
        json={**body, "start": "2026-03-29T02:30:00+01:00", "end": "2026-03-29T04:00:00+02:00"},
        headers=headers,
    )
    assert gap.status_code == 422 and "start" in gap.json["fields"]
    assert "02:30" in gap.json["fields"]["start"][0]
    twice = client.post(
        "/api/v1/bookings",
        json={**body, "start": "2026-10-25T02:30:00+02:00", "end": "2026-10-25T02:30:00+01:00"},
        headers=headers,
    )
    assert twice.status_code == 201, twice.json
    assert twice.json["start"] == "2026-10-25T02:30:00+02:00"
    assert twice.json["end"] == "2026-10-25T02:30:00+01:00"
    with app.app_context():
        booking = db.session.get(Booking, twice.json["id"])
        assert booking.end_at - booking.start_at == timedelta(hours=1)
