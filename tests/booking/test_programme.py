"""A booking names the hub's programme it is part of (form and API), or derives it."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from hubs.booking.models import Booking
from hubs.db import write_transaction
from hubs.extensions import db
from hubs.learners.models import Programme
from tests.booking.helpers import at, raw_booking
from tests.helpers import login_through_form
from tests.learners.conftest import learn  # noqa: F401


def _body(world, **overrides):
    body = {
        "resource_ids": [world.room.id, world.laser.id],
        "start": "2026-03-03T09:00:00+01:00",
        "end": "2026-03-03T11:00:00+01:00",
        "group_name": "3K-PIE",
        "group_size": 4,
        "learner_category": "vo",
        "level": "vmbo-kb",
    }
    body.update(overrides)
    return body


def _programmes(app, booking_id):
    with app.app_context():
        lead = db.session.get(Booking, booking_id)
        rows = db.session.scalars(select(Booking).where(Booking.bundle_id == lead.bundle_id))
        return {row.programme_id for row in rows}


def test_the_api_books_for_a_programme_of_the_hub(app, world, learn, api_headers):  # noqa: F811
    programme = learn.programme(world.hub, "Techniek onderbouw")
    response = app.test_client().post(
        "/api/v1/bookings",
        json=_body(world, programme_id=programme.id),
        headers=api_headers(world.booker),
    )
    assert response.status_code == 201, response.json
    assert response.json["programme_id"] == programme.id
    assert _programmes(app, response.json["id"]) == {programme.id}  # every row of the bundle


def test_a_programme_of_another_hub_or_ended_is_refused_naming_the_field(
    app,
    world,
    learn,  # noqa: F811
    make,
    api_headers,
):
    elsewhere = learn.programme(make.hub(name="Andere hub"), "Elders")
    ended = learn.programme(world.hub, "Gestopt", active=False)
    client = app.test_client()
    for programme_id in (elsewhere.id, ended.id, 999999):
        response = client.post(
            "/api/v1/bookings",
            json=_body(world, programme_id=programme_id),
            headers=api_headers(world.booker),
        )
        assert response.status_code == 422, response.json
        assert "huidige opleidingen" in response.json["fields"]["programme_id"][0]
    with app.app_context():
        assert db.session.scalar(select(Booking.id)) is None  # nothing written


def test_the_only_programme_the_school_is_enrolled_in_is_taken(app, world, learn, api_headers):  # noqa: F811
    programme = learn.programme(world.hub, "Dagelijks techniekonderwijs")
    learn.group(programme, world.org, 24, date(2025, 8, 1), date(2026, 7, 31))
    client = app.test_client()
    one = client.post("/api/v1/bookings", json=_body(world), headers=api_headers(world.booker))
    assert one.status_code == 201 and one.json["programme_id"] == programme.id
    second = learn.programme(world.hub, "Tweede programma")
    learn.group(second, world.org, 20, date(2025, 8, 1), date(2026, 7, 31))
    two = client.post(
        "/api/v1/bookings",
        json=_body(world, start="2026-03-04T09:00:00+01:00", end="2026-03-04T10:00:00+01:00"),
        headers=api_headers(world.booker),
    )
    assert two.status_code == 201 and two.json["programme_id"] is None  # two: not guessed


def test_an_explicit_null_books_outside_any_programme(app, world, learn, api_headers):  # noqa: F811
    programme = learn.programme(world.hub, "Dagelijks techniekonderwijs")
    learn.group(programme, world.org, 24, date(2025, 8, 1), date(2026, 7, 31))
    response = app.test_client().post(
        "/api/v1/bookings", json=_body(world, programme_id=None), headers=api_headers(world.booker)
    )
    assert response.status_code == 201 and response.json["programme_id"] is None


def test_a_programme_must_serve_the_group(app, world, learn, api_headers):  # noqa: F811
    pupils = learn.programme(world.hub, "Voor leerlingen", categories=("vo",))
    learn.group(pupils, world.org, 24, date(2025, 8, 1), date(2026, 7, 31))
    client = app.test_client()
    headers = api_headers(world.booker)
    employees = _body(world, learner_category="employee", level=None)
    refused = client.post(
        "/api/v1/bookings", json={**employees, "programme_id": pupils.id}, headers=headers
    )
    assert refused.status_code == 422, refused.json
    assert "niet voor de deelnemers" in refused.json["fields"]["programme_id"][0]
    # Nor is it taken for them by default: the school's only programme is for pupils.
    derived = client.post("/api/v1/bookings", json=employees, headers=headers)
    assert derived.status_code == 201 and derived.json["programme_id"] is None


def test_patch_sets_and_clears_the_programme(app, world, learn, api_headers):  # noqa: F811
    programme = learn.programme(world.hub, "Techniek")
    client = app.test_client()
    headers = api_headers(world.booker)
    booking_id = client.post("/api/v1/bookings", json=_body(world), headers=headers).json["id"]
    response = client.patch(
        f"/api/v1/bookings/{booking_id}", json={"programme_id": programme.id}, headers=headers
    )
    assert response.status_code == 200 and response.json["programme_id"] == programme.id
    assert _programmes(app, booking_id) == {programme.id}
    bad = client.patch(f"/api/v1/bookings/{booking_id}", json={"programme_id": 0}, headers=headers)
    assert bad.status_code == 422
    cleared = client.patch(
        f"/api/v1/bookings/{booking_id}", json={"programme_id": None}, headers=headers
    )
    assert cleared.status_code == 200 and cleared.json["programme_id"] is None
    assert _programmes(app, booking_id) == {None}


def test_the_booking_form_offers_the_hubs_programmes(client, world, learn, make):  # noqa: F811
    programme = learn.programme(world.hub, "Techniek onderbouw")
    elsewhere = learn.programme(make.hub(name="Andere hub"), "Elders")
    login_through_form(client, world.booker)
    page = client.get(f"/hubs/{world.hub.id}/book").get_data(as_text=True)
    assert 'name="programme_id"' in page and "Techniek onderbouw" in page
    assert "Elders" not in page
    fields = {
        "resource_ids": str(world.laser.id),
        "date": "2026-03-03",
        "start": "09:00",
        "end": "10:00",
        "group_name": "3K-PIE",
        "group_size": "4",
        "learner_category": "vo",
        "level": "vmbo-kb",
        "organisation_id": str(world.org.id),
    }
    refused = client.post_form(
        f"/hubs/{world.hub.id}/book", {**fields, "programme_id": str(elsewhere.id)}
    )
    assert refused.status_code == 422
    assert "Kies een van de huidige opleidingen" in refused.get_data(as_text=True)
    booked = client.post_form(
        f"/hubs/{world.hub.id}/book", {**fields, "programme_id": str(programme.id)}
    )
    assert booked.status_code == 302
    with client.application.app_context():
        assert db.session.scalar(select(Booking.programme_id)) == programme.id
    nonsense = client.post_form(
        f"/hubs/{world.hub.id}/book", {**fields, "date": "2026-03-04", "programme_id": "abc"}
    )
    assert nonsense.status_code == 422
    learn.group(programme, world.org, 24, date(2025, 8, 1), date(2026, 7, 31))
    outside = client.post_form(
        f"/hubs/{world.hub.id}/book", {**fields, "date": "2026-03-05", "programme_id": "none"}
    )
    assert outside.status_code == 302
    automatic = client.post_form(
        f"/hubs/{world.hub.id}/book", {**fields, "date": "2026-03-06", "programme_id": ""}
    )
    assert automatic.status_code == 302
    with client.application.app_context():
        rows = db.session.execute(select(Booking.start_at, Booking.programme_id)).all()
        by_day = {start.date().day: programme_id for start, programme_id in rows}
        assert by_day == {3: programme.id, 5: None, 6: programme.id}  # nothing on the 4th


def test_a_series_passes_its_programme_to_every_date(app, world, learn, api_headers):  # noqa: F811
    programme = learn.programme(world.hub, "Techniek")
    response = app.test_client().post(
        "/api/v1/series",
        json={
            "resource_ids": [world.laser.id],
            "first_start": "2026-03-03T09:00:00+01:00",
            "first_end": "2026-03-03T10:00:00+01:00",
            "until": "2026-03-24",
            "group_name": "3K",
            "group_size": 4,
            "learner_category": "vo",
            "programme_id": programme.id,
        },
        headers=api_headers(world.booker),
    )
    assert response.status_code == 201, response.json
    assert response.json["programme_id"] == programme.id
    with app.app_context():
        found = list(db.session.scalars(select(Booking.programme_id)))
    assert len(found) == 4 and set(found) == {programme.id}


def test_the_database_keeps_the_programme_link_sound(app, world, learn):  # noqa: F811
    """The foreign key exists on both databases (0014 adds it by hand on SQLite)."""
    programme = learn.programme(world.hub, "Kortlopend")
    booking_id = raw_booking(
        app,
        world.laser,
        world.org,
        at("2026-03-03", "09:00"),
        at("2026-03-03", "10:00"),
        programme_id=programme.id,
    )
    with app.app_context():
        with pytest.raises(IntegrityError), write_transaction():
            db.session.execute(
                update(Booking).where(Booking.id == booking_id).values(programme_id=999999)
            )
        with write_transaction():
            db.session.execute(delete(Programme).where(Programme.id == programme.id))
        assert db.session.get(Booking, booking_id).programme_id is None  # ON DELETE SET NULL


def test_the_change_form_shows_changes_and_clears_the_programme(client, world, learn):  # noqa: F811
    programme = learn.programme(world.hub, "Techniek bovenbouw")
    booking_id = raw_booking(
        client.application,
        world.laser,
        world.org,
        at("2026-03-03", "09:00"),
        at("2026-03-03", "10:00"),
        programme_id=programme.id,
        group_size=4,
    )
    login_through_form(client, world.booker)
    detail = client.get(f"/bookings/{booking_id}").get_data(as_text=True)
    assert "Techniek bovenbouw" in detail
    page = client.get(f"/bookings/{booking_id}/change").get_data(as_text=True)
    assert f'<option selected value="{programme.id}">' in page or (
        f'value="{programme.id}" selected' in page
    )
    fields = {
        "resource_ids": str(world.laser.id),
        "date": "2026-03-03",
        "start": "09:00",
        "end": "10:00",
        "group_name": "2B",
        "group_size": "4",
        "learner_category": "vo",
        "level": "",
        "programme_id": "",
    }
    response = client.post_form(f"/bookings/{booking_id}/change", fields)
    assert response.status_code == 302
    with client.application.app_context():
        assert db.session.get(Booking, booking_id).programme_id is None
