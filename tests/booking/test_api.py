"""The JSON API: availability, create (201/409/422, Idempotency-Key), list, one, change,
cancel, approve, reject."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from hubs.booking import configuration
from hubs.booking.models import Booking, Closure
from hubs.db import write_transaction
from hubs.extensions import db
from tests.booking.helpers import at, principal, raw_booking

TUE = "2026-03-03"


def _body(world, **overrides):
    body = {
        "resource_ids": [world.laser.id],
        "start": "2026-03-03T09:00:00+01:00",
        "end": "2026-03-03T10:00:00+01:00",
        "group_name": "3K-PIE",
        "group_size": 4,
        "learner_category": "vo",
        "level": "vmbo-kb",
        "purpose": "Lasersnijden",
    }
    body.update(overrides)
    return body


def _count(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Booking))


def test_create_a_booking(app, world, api_headers):
    response = app.test_client().post(
        "/api/v1/bookings",
        json=_body(world, resource_ids=[world.room.id, world.laser.id]),
        headers=api_headers(world.booker),
    )
    assert response.status_code == 201, response.json
    body = response.json
    assert body["status"] == "confirmed"
    assert (
        body["start"] == "2026-03-03T09:00:00+01:00" and body["end"] == "2026-03-03T10:00:00+01:00"
    )
    assert body["resource_ids"] == [world.room.id, world.laser.id]
    assert body["organisation_id"] == world.org.id and body["bundle_id"] == body["id"]
    assert len(body["booking_ids"]) == 2 and body["level"] == "vmbo-kb" and body["notes"] == ""


def test_a_taken_slot_is_409_listing_the_conflicts(app, world, api_headers):
    raw_booking(app, world.laser, world.other_org, at(TUE, "09:30"), at(TUE, "10:30"))
    response = app.test_client().post(
        "/api/v1/bookings", json=_body(world), headers=api_headers(world.booker)
    )
    assert response.status_code == 409
    assert response.json["code"] == "slot_taken"
    assert response.json["conflicts"] == [
        {
            "resource_id": world.laser.id,
            "resource": "Lasersnijder 1",
            "start": "2026-03-03T09:30:00+01:00",
            "end": "2026-03-03T10:30:00+01:00",
        }
    ]
    assert _count(app) == 1


def test_bad_input_is_422_naming_the_fields_and_writes_nothing(app, world, api_headers):
    client, headers = app.test_client(), api_headers(world.booker)
    cases = {
        "start": _body(world, start="2026-03-02T07:00:00+01:00", end="2026-03-02T08:00:00+01:00"),
        "end": _body(world, end="2026-03-03T08:00:00+01:00"),
        "group_size": _body(world, group_size=12),
        "learner_category": _body(world, learner_category="pupil"),
        "level": _body(world, level="vmbo-xx"),
        "resource_ids": _body(world, resource_ids=[]),
        "organisation_id": _body(world, organisation_id=world.other_org.id),
        "colour": _body(world, colour="red"),
    }
    for field, body in cases.items():
        response = client.post("/api/v1/bookings", json=body, headers=headers)
        assert response.status_code in (403, 422), (field, response.json)
        if response.status_code == 422:
            assert field in response.json["fields"], (field, response.json)
        assert response.json["message"]
    outside = client.post(
        "/api/v1/bookings",
        json=_body(world, start="2026-03-03T18:00:00+01:00", end="2026-03-03T19:00:00+01:00"),
        headers=headers,
    )
    assert outside.status_code == 422 and outside.json["code"] == "outside_opening_hours"
    assert "08:00–17:00" in outside.json["fields"]["start"][0]
    _close_tuesday(app, world)
    closed = client.post("/api/v1/bookings", json=_body(world), headers=headers)
    assert closed.status_code == 422 and closed.json["code"] == "closed"
    outsider = client.post(
        "/api/v1/bookings",
        json=_body(world, start="2026-03-04T09:00:00+01:00", end="2026-03-04T10:00:00+01:00"),
        headers=api_headers(world.outsider_booker),
    )
    assert outsider.status_code == 422 and "organisation_id" in outsider.json["fields"]
    assert _count(app) == 0


def _close_tuesday(app, world):
    """A study day closes the hub on Tuesday 3 March."""
    with app.app_context(), write_transaction():
        db.session.add(
            Closure(
                hub_id=world.hub.id,
                starts_at=at(TUE, "00:00"),
                ends_at=at("2026-03-04", "00:00"),
                reason="Studiedag",
            )
        )


def test_an_idempotency_key_replays_the_first_answer(app, world, api_headers):
    client, headers = app.test_client(), {**api_headers(world.booker), "Idempotency-Key": "abc-123"}
    first = client.post("/api/v1/bookings", json=_body(world), headers=headers)
    again = client.post("/api/v1/bookings", json=_body(world), headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json == again.json
    assert _count(app) == 1
    other = client.post("/api/v1/bookings", json=_body(world, group_size=3), headers=headers)
    assert other.status_code == 422 and "Idempotency-Key" in other.json["fields"]
    # Another key books anew (and meets the taken slot).
    fresh = client.post(
        "/api/v1/bookings", json=_body(world), headers={**headers, "Idempotency-Key": "abc-124"}
    )
    assert fresh.status_code == 409


def test_a_replay_gets_the_first_answer_even_when_the_rules_would_refuse_it_now(
    app, world, api_headers
):
    client, headers = app.test_client(), {**api_headers(world.booker), "Idempotency-Key": "k-9"}
    first = client.post("/api/v1/bookings", json=_body(world), headers=headers)
    assert first.status_code == 201
    _close_tuesday(app, world)
    again = client.post("/api/v1/bookings", json=_body(world), headers=headers)
    assert again.status_code == 201 and again.json == first.json
    # Without the key the same request is refused: the hub is closed then.
    refused = client.post("/api/v1/bookings", json=_body(world), headers=api_headers(world.booker))
    assert refused.status_code == 422 and refused.json["code"] == "closed"
    assert _count(app) == 1


def test_racing_twins_with_one_key_book_once(app, world, api_headers):
    headers = {**api_headers(world.booker), "Idempotency-Key": "twin"}
    answers: list = []
    barrier = threading.Barrier(6)

    def post():
        client = app.test_client()
        barrier.wait()
        answers.append(client.post("/api/v1/bookings", json=_body(world), headers=headers))

    threads = [threading.Thread(target=post) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [a.status_code for a in answers] == [201] * 6
    assert len({a.json["id"] for a in answers}) == 1
    assert _count(app) == 1


def test_lists_are_scoped_filtered_and_paginated(app, world, api_headers):
    client = app.test_client()
    for hour in ("09:00", "10:00", "11:00"):
        client.post(
            "/api/v1/bookings",
            json=_body(
                world,
                start=f"2026-03-03T{hour}:00+01:00",
                end=f"2026-03-03T{int(hour[:2]) + 1:02d}:00:00+01:00",
            ),
            headers=api_headers(world.booker),
        )
    client.post(
        "/api/v1/bookings",
        json=_body(world, resource_ids=[world.laser2.id]),
        headers=api_headers(world.other_booker),
    )
    mine = client.get("/api/v1/bookings?per_page=2", headers=api_headers(world.booker)).json
    assert mine["total"] == 3 and mine["pages"] == 2 and len(mine["items"]) == 2
    assert {i["organisation_id"] for i in mine["items"]} == {world.org.id}
    everything = client.get("/api/v1/bookings", headers=api_headers(world.coordinator)).json
    assert everything["total"] == 4
    filtered = client.get(
        f"/api/v1/bookings?organisation_id={world.other_org.id}&status=confirmed",
        headers=api_headers(world.coordinator),
    ).json
    assert filtered["total"] == 1 and filtered["items"][0]["resource_ids"] == [world.laser2.id]
    window = client.get(
        "/api/v1/bookings?start=2026-03-03T10:30:00%2B01:00&end=2026-03-03T12:00:00%2B01:00",
        headers=api_headers(world.booker),
    ).json
    assert window["total"] == 2
    theirs = filtered["items"][0]["id"]
    assert (
        client.get(f"/api/v1/bookings/{theirs}", headers=api_headers(world.booker)).status_code
        == 404
    )
    assert (
        client.get(
            f"/api/v1/bookings/{theirs}", headers=api_headers(world.other_booker)
        ).status_code
        == 200
    )


def test_change_cancel_approve_and_reject(app, world, api_headers):
    client = app.test_client()
    booker = api_headers(world.booker)
    created = client.post("/api/v1/bookings", json=_body(world), headers=booker).json
    moved = client.patch(
        f"/api/v1/bookings/{created['id']}",
        json={
            "start": "2026-03-03T11:00:00+01:00",
            "end": "2026-03-03T12:30:00+01:00",
            "notes": "Graag brillen klaarleggen",
        },
        headers=booker,
    )
    assert moved.status_code == 200, moved.json
    assert (
        moved.json["start"] == "2026-03-03T11:00:00+01:00"
        and moved.json["notes"] == "Graag brillen klaarleggen"
    )
    assert moved.json["version"] == 2
    naive = client.patch(
        f"/api/v1/bookings/{created['id']}", json={"start": "2026-03-03T11:00:00"}, headers=booker
    )
    assert naive.status_code == 422 and "start" in naive.json["fields"]
    other = client.post(
        f"/api/v1/bookings/{created['id']}/cancel", json={}, headers=api_headers(world.other_booker)
    )
    assert other.status_code == 404
    cancelled = client.post(
        f"/api/v1/bookings/{created['id']}/cancel", json={"reason": "Ziek"}, headers=booker
    )
    assert cancelled.status_code == 200 and cancelled.json["status"] == "cancelled"
    assert cancelled.json["cancel_reason"] == "Ziek"
    assert (
        client.post(f"/api/v1/bookings/{created['id']}/cancel", json={}, headers=booker).status_code
        == 409
    )
    with app.app_context():
        configuration.save_settings(
            world.hub.id,
            configuration.SettingsInput(False, True, 24, 72, False, "midden", []),
            principal(world.coordinator),
        )
    request = client.post("/api/v1/bookings", json=_body(world), headers=booker).json
    assert request["status"] == "requested" and request["expires_at"]
    assert (
        client.post(
            f"/api/v1/bookings/{request['id']}/approve", json={}, headers=booker
        ).status_code
        == 403
    )
    coordinator = api_headers(world.coordinator)
    approved = client.post(
        f"/api/v1/bookings/{request['id']}/approve", json={}, headers=coordinator
    )
    assert approved.status_code == 200 and approved.json["status"] == "confirmed"
    late = client.post(f"/api/v1/bookings/{request['id']}/reject", json={}, headers=coordinator)
    assert late.status_code == 409 and late.json["code"] == "already_handled"


def test_availability_lists_free_intervals_with_offsets(app, world, api_headers):
    raw_booking(app, world.laser, world.other_org, at(TUE, "10:00"), at(TUE, "11:30"))
    with app.app_context(), write_transaction():
        db.session.add(
            Closure(
                hub_id=world.hub.id,
                resource_id=world.laser.id,
                starts_at=at(TUE, "14:00"),
                ends_at=at(TUE, "15:00"),
                reason="Onderhoud",
            )
        )
    response = app.test_client().get(
        f"/api/v1/resources/{world.laser.id}/availability?start=2026-03-03T00:00:00%2B01:00&end=2026-03-04T12:00:00%2B01:00",
        headers=api_headers(world.booker),
    )
    assert response.status_code == 200, response.json
    assert response.json["free"] == [
        {"start": "2026-03-03T08:00:00+01:00", "end": "2026-03-03T10:00:00+01:00"},
        {"start": "2026-03-03T11:30:00+01:00", "end": "2026-03-03T14:00:00+01:00"},
        {"start": "2026-03-03T15:00:00+01:00", "end": "2026-03-03T17:00:00+01:00"},
        {"start": "2026-03-04T08:00:00+01:00", "end": "2026-03-04T12:00:00+01:00"},
    ]
    naive = app.test_client().get(
        f"/api/v1/resources/{world.laser.id}/availability?start=2026-03-03T00:00:00&end=2026-03-04T00:00:00",
        headers=api_headers(world.booker),
    )
    assert naive.status_code == 422 and set(naive.json["fields"]) == {"start", "end"}
