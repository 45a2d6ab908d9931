"""``/api/v1/series``: preview (dry_run), 201 with every date, 409 when a date is taken and
``skip_conflicts`` is false, 422 naming the field, read one, cancel by scope."""

from __future__ import annotations

from sqlalchemy import func, select

from hubs.booking.models import Booking
from hubs.extensions import db
from tests.booking.helpers import at, raw_booking


def _body(world, **overrides):
    body = {
        "resource_ids": [world.room.id, world.laser.id],
        "first_start": "2026-03-24T09:00:00+01:00",
        "first_end": "2026-03-24T11:00:00+01:00",
        "until": "2026-05-05",
        "interval_weeks": 1,
        "weekdays": ["tue"],
        "group_name": "3K-PIE",
        "group_size": 4,
        "learner_category": "vo",
        "level": "vmbo-kb",
        "purpose": "Lasersnijden",
        "skip_conflicts": False,
    }
    body.update(overrides)
    return body


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Booking))


def _post(app, headers, body, query=""):
    return app.test_client().post(f"/api/v1/series{query}", json=body, headers=headers)


def test_dry_run_judges_every_date_and_books_nothing(app, world, api_headers):
    raw_booking(
        app, world.laser, world.other_org, at("2026-04-14", "10:00"), at("2026-04-14", "12:00")
    )
    response = _post(app, api_headers(world.booker), _body(world), "?dry_run=true")
    assert response.status_code == 200, response.json
    occurrences = response.json["occurrences"]
    states = {o["date"]: o["state"] for o in occurrences}
    assert states == {
        "2026-03-24": "free",
        "2026-03-31": "free",
        "2026-04-07": "free",
        "2026-04-14": "conflict",
        "2026-04-21": "free",
        "2026-04-28": "skipped",
        "2026-05-05": "free",
    }
    by_day = {o["date"]: o for o in occurrences}
    # Local 09:00 on both sides of the March clock change.
    assert by_day["2026-03-24"]["start"] == "2026-03-24T09:00:00+01:00"
    assert by_day["2026-03-31"]["start"] == "2026-03-31T09:00:00+02:00"
    assert by_day["2026-04-28"]["reason"]
    conflict = by_day["2026-04-14"]["conflicts"][0]
    assert conflict["resource"] == "Lasersnijder 1" and "group_name" not in conflict
    assert _count(app) == 1


def test_a_taken_date_is_a_409_listing_every_date(app, world, api_headers):
    raw_booking(
        app, world.laser, world.other_org, at("2026-04-14", "10:00"), at("2026-04-14", "12:00")
    )
    response = _post(app, api_headers(world.booker), _body(world))
    assert response.status_code == 409
    assert response.json["code"] == "series_conflict"
    assert len(response.json["occurrences"]) == 7
    assert _count(app) == 1


def test_skip_conflicts_books_the_free_dates_and_returns_201(app, world, api_headers):
    raw_booking(
        app, world.laser, world.other_org, at("2026-04-14", "10:00"), at("2026-04-14", "12:00")
    )
    headers = api_headers(world.booker)
    response = _post(app, headers, _body(world, skip_conflicts=True))
    assert response.status_code == 201, response.json
    series = response.json
    assert series["id"] and series["weekdays"] == ["tue"] and series["start_time"] == "09:00"
    states = [(o["date"], o["state"], o["status"]) for o in series["occurrences"]]
    assert ("2026-04-14", "conflict", None) in states
    assert ("2026-04-28", "skipped", None) in states
    assert [s for s in states if s[1] == "booked"] == [
        (d, "booked", "confirmed")
        for d in ["2026-03-24", "2026-03-31", "2026-04-07", "2026-04-21", "2026-05-05"]
    ]
    assert _count(app) == 1 + 5 * 2
    again = app.test_client().get(f"/api/v1/series/{series['id']}", headers=headers)
    assert again.status_code == 200 and again.json["occurrences"] == series["occurrences"]


def test_an_idempotency_key_replays_the_first_answer_and_books_once(app, world, api_headers):
    headers = {**api_headers(world.booker), "Idempotency-Key": "series-1"}
    first = _post(app, headers, _body(world))
    assert first.status_code == 201, first.json
    booked = _count(app)
    again = _post(app, headers, _body(world))
    assert again.status_code == 201 and again.json == first.json
    assert _count(app) == booked
    other_body = _post(app, headers, _body(world, group_size=3))
    assert other_body.status_code == 422
    assert _count(app) == booked


def test_cancel_this_and_following_through_the_api(app, world, api_headers):
    headers = api_headers(world.booker)
    series = _post(app, headers, _body(world, until="2026-04-14")).json
    booked = [o for o in series["occurrences"] if o["state"] == "booked"]
    response = app.test_client().post(
        f"/api/v1/series/{series['id']}/cancel",
        json={"scope": "following", "booking_id": booked[2]["booking_id"], "reason": "Klaar"},
        headers=headers,
    )
    assert response.status_code == 200, response.json
    assert response.json["cancelled"] == [booked[2]["booking_id"], booked[3]["booking_id"]]
    statuses = [o["status"] for o in response.json["series"]["occurrences"]]
    assert statuses == ["confirmed", "confirmed", "cancelled", "cancelled"]
    bad = app.test_client().post(
        f"/api/v1/series/{series['id']}/cancel", json={"scope": "some"}, headers=headers
    )
    assert bad.status_code == 422 and "scope" in str(bad.json)


def test_bad_input_is_a_422_naming_the_field(app, world, api_headers):
    headers = api_headers(world.booker)
    naive = _post(app, headers, _body(world, first_start="2026-03-24T09:00:00"))
    assert naive.status_code == 422 and "first_start" in str(naive.json)
    days = _post(app, headers, _body(world, weekdays=["tuesday"]))
    assert days.status_code == 422 and "weekdays" in str(days.json)
    late = _post(app, headers, _body(world, until="2026-03-01"))
    assert late.status_code == 422 and "until" in str(late.json)
    assert _count(app) == 0


def test_another_organisation_cannot_read_or_cancel_the_series(app, world, api_headers):
    series = _post(app, api_headers(world.booker), _body(world, until="2026-03-31")).json
    other = api_headers(world.other_booker)
    client = app.test_client()
    assert client.get(f"/api/v1/series/{series['id']}", headers=other).status_code == 404
    cancel = client.post(
        f"/api/v1/series/{series['id']}/cancel", json={"scope": "all"}, headers=other
    )
    assert cancel.status_code == 404
