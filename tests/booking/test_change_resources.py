"""PATCH /api/v1/bookings/{id} with ``resource_ids``: another room or machine, checked like
a new booking (hub, capacity, conflicts, licences): 200, or 409 listing the conflicts, or
422 naming the field, and nothing changes."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from hubs.booking.models import Booking, BookingStatus
from hubs.extensions import db
from tests.booking.helpers import at, raw_booking
from tests.licences.conftest import give, lw

__all__ = ["lw"]

START, END = "2026-03-03T09:00:00+01:00", "2026-03-03T10:00:00+01:00"


def _book(client, headers, resource_ids, **extra):
    body = {
        "resource_ids": resource_ids,
        "start": START,
        "end": END,
        "group_name": "3K-PIE",
        "group_size": 4,
        "learner_category": "vo",
        **extra,
    }
    answer = client.post("/api/v1/bookings", json=body, headers=headers)
    assert answer.status_code == 201, answer.json
    return answer.json["id"]


def _resources(app, lead_id):
    with app.app_context():
        rows = db.session.scalars(
            select(Booking).where(Booking.bundle_id == lead_id).order_by(Booking.id)
        ).all()
        return [(r.resource_id, r.status) for r in rows]


def test_swapping_the_machine_and_adding_a_room_frees_the_old_machine(app, world, api_headers):
    client = app.test_client()
    booker = api_headers(world.booker)
    lead = _book(client, booker, [world.laser.id])
    answer = client.patch(
        f"/api/v1/bookings/{lead}",
        json={"resource_ids": [world.room.id, world.laser2.id]},
        headers=booker,
    )
    assert answer.status_code == 200, answer.json
    assert sorted(answer.json["resource_ids"]) == sorted([world.room.id, world.laser2.id])
    assert answer.json["id"] == lead and answer.json["bundle_id"] == lead
    confirmed = BookingStatus.CONFIRMED
    assert sorted(_resources(app, lead)) == sorted(
        [(world.room.id, confirmed), (world.laser2.id, confirmed)]
    )
    # The first laser is free again at once.
    _book(client, api_headers(world.other_booker), [world.laser.id], learner_category="employee")
    with app.app_context():
        other_row = db.session.scalars(
            select(Booking.id).where(Booking.bundle_id == lead, Booking.id != lead)
        ).one()
    # Back to the laser alone: one row leaves the bundle, the lead stays.
    back = client.patch(
        f"/api/v1/bookings/{lead}", json={"resource_ids": [world.laser2.id]}, headers=booker
    )
    assert back.status_code == 200, back.json
    assert _resources(app, lead) == [(world.laser2.id, confirmed)]
    # That row is cancelled, not deleted: its id (and calendar UID) is never reused.
    with app.app_context():
        gone = db.session.get(Booking, other_row)
        assert gone is not None and gone.status is BookingStatus.CANCELLED
        assert gone.bundle_id == other_row
    with app.app_context():
        trail = db.session.scalars(select(Booking).where(Booking.id == lead)).one()
        assert trail.version >= 3


def test_a_taken_machine_is_409_listing_the_conflict_and_nothing_changes(app, world, api_headers):
    client = app.test_client()
    booker = api_headers(world.booker)
    lead = _book(client, booker, [world.laser.id])
    raw_booking(
        app, world.laser2, world.other_org, at("2026-03-03", "09:30"), at("2026-03-03", "10:30")
    )
    answer = client.patch(
        f"/api/v1/bookings/{lead}", json={"resource_ids": [world.laser2.id]}, headers=booker
    )
    assert answer.status_code == 409, answer.json
    assert answer.json["code"] == "slot_taken" and answer.json["conflicts"]
    assert _resources(app, lead) == [(world.laser.id, BookingStatus.CONFIRMED)]


def test_bad_resources_are_422_naming_the_field(app, world, make, api_headers):
    client = app.test_client()
    booker = api_headers(world.booker)
    elsewhere = make.resource(make.hub(name="TechnoHUB Woerden"), name="Lasersnijder W")
    lead = _book(client, booker, [world.room.id], group_size=20)
    for body, field in (
        ({"resource_ids": []}, "resource_ids"),
        ({"resource_ids": [999999]}, "resource_ids"),
        ({"resource_ids": ["x"]}, "resource_ids"),
        ({"resource_ids": [elsewhere.id]}, "resource_ids"),
        ({"resource_ids": [world.room.id, elsewhere.id]}, "resource_ids"),
        ({"resource_ids": [world.laser.id]}, "group_size"),  # 20 people, a laser takes 4
    ):
        answer = client.patch(f"/api/v1/bookings/{lead}", json=body, headers=booker)
        assert answer.status_code == 422, (body, answer.json)
        assert field in answer.json["fields"], (body, answer.json)
    assert _resources(app, lead) == [(world.room.id, BookingStatus.CONFIRMED)]


def test_moving_to_a_licensed_machine_names_licensed_people(app, lw, api_headers):
    give(lw.anna, "cnc", date(2025, 6, 1), None, app)
    client = app.test_client()
    hr = api_headers(lw.base.other_booker)
    lead = _book(client, hr, [lw.base.laser.id], group_size=2, learner_category="employee")
    url = f"/api/v1/bookings/{lead}"
    nobody = client.patch(url, json={"resource_ids": [lw.cnc.id]}, headers=hr)
    assert nobody.status_code == 422 and "learner_ids" in nobody.json["fields"]
    unlicensed = client.patch(
        url, json={"resource_ids": [lw.cnc.id], "learner_ids": [lw.bert.id]}, headers=hr
    )
    assert unlicensed.status_code == 422, unlicensed.json
    assert "Bert Bos" in unlicensed.json["fields"]["learner_ids"][0]
    assert _resources(app, lead) == [(lw.base.laser.id, BookingStatus.CONFIRMED)]
    licensed = client.patch(
        url, json={"resource_ids": [lw.cnc.id], "learner_ids": [lw.anna.id]}, headers=hr
    )
    assert licensed.status_code == 200, licensed.json
    from hubs.licences.models import BookingLicenceHolder

    with app.app_context():
        holders = db.session.scalars(
            select(BookingLicenceHolder.learner_id).where(BookingLicenceHolder.booking_id == lead)
        ).all()
        assert holders == [lw.anna.id]


def _change_form(world, **extra):
    return {
        "date": "2026-03-03",
        "start": "09:00",
        "end": "10:00",
        "group_name": "3K-PIE",
        "group_size": "4",
        "learner_category": "vo",
        "level": "",
        "purpose": "",
        "notes": "",
        **extra,
    }


def test_the_change_form_swaps_the_machine(app, world, api_headers, login):
    client = app.test_client()
    lead = _book(client, api_headers(world.booker), [world.laser.id])
    login(client, world.booker)
    page = client.get(f"/bookings/{lead}/change")
    assert page.status_code == 200
    boxes = re.findall(r'<input[^>]*name="resource_ids"[^>]*>', page.text)
    checked = [b for b in boxes if "checked" in b]
    assert len(boxes) == 3 and len(checked) == 1, boxes
    assert f'value="{world.laser.id}"' in checked[0]
    assert "Lasersnijder 2" in page.text
    answer = client.post_form(
        f"/bookings/{lead}/change", _change_form(world, resource_ids=[world.laser2.id])
    )
    assert answer.status_code == 302, answer.text[-2000:]
    assert _resources(app, lead) == [(world.laser2.id, BookingStatus.CONFIRMED)]
    detail = client.get(f"/bookings/{lead}")
    assert "Lasersnijder 2" in detail.text


def test_the_change_form_shows_bad_resources_at_the_field(app, world, api_headers, login):
    client = app.test_client()
    lead = _book(client, api_headers(world.booker), [world.room.id], group_size=20)
    login(client, world.booker)
    for resources, field in (([], "resource_ids"), ([world.laser.id], "group_size")):
        answer = client.post_form(
            f"/bookings/{lead}/change",
            _change_form(world, resource_ids=resources, group_size="20"),
        )
        assert answer.status_code == 422, answer.text[-2000:]
        assert 'class="error-summary"' in answer.text
        assert f'id="{field}-error"' in answer.text, field
    assert _resources(app, lead) == [(world.room.id, BookingStatus.CONFIRMED)]


def test_a_class_moving_to_a_licensed_machine_asks_for_supervision(app, lw, api_headers):
    from hubs.licences.models import BookingSupervision

    client = app.test_client()
    teacher = api_headers(lw.base.booker)
    lead = _book(client, teacher, [lw.base.laser.id], group_size=2)
    answer = client.patch(
        f"/api/v1/bookings/{lead}", json={"resource_ids": [lw.cnc.id]}, headers=teacher
    )
    assert answer.status_code == 200, answer.json
    assert answer.json["status"] == "requested"
    with app.app_context():
        supervision = db.session.get(BookingSupervision, lead)
        assert supervision is not None and not supervision.is_confirmed
