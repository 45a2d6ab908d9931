"""Bookings under the privacy rules (scrub on erasure, export, purge old notes) and the
housekeeping command for Idempotency-Keys; a coordinator booking on behalf of a member."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from hubs.booking import services
from hubs.booking.models import Booking, BookingEvent, IdempotencyKey
from hubs.db import write_transaction
from hubs.extensions import db
from hubs.privacy import Subject, erasers, exporters, needles_for, purgers
from tests.booking.helpers import NOW, at, booking_input, principal, raw_booking
from tests.helpers import PASSWORD

NAME = "Quirijntje Zevenhuizen"


def test_erasure_scrubs_a_name_from_bookings_and_their_history(ctx, world):
    lead = services.book(
        booking_input(
            [world.room],
            at("2026-03-10", "09:00"),
            at("2026-03-10", "10:00"),
            notes=f"{NAME} komt in een rolstoel",
        ),
        principal(world.booker),
    )
    services.cancel_booking(lead.id, principal(world.booker), f"{NAME} is ziek")
    subject = Subject(learner_id=0, needles=needles_for(NAME))
    exported = exporters()["bookings"](subject)
    assert [e["id"] for e in exported] == [lead.id] and NAME in exported[0]["notes"]
    with write_transaction():
        assert erasers()["bookings"](subject) == 2
    db.session.expire_all()
    booking = db.session.get(Booking, lead.id)
    assert NAME not in booking.notes + booking.cancel_reason and "[verwijderd]" in booking.notes
    notes = db.session.scalars(select(BookingEvent.note)).all()
    assert not any(NAME in n for n in notes)


def test_purge_clears_notes_of_bookings_past_retention(ctx, world):
    old = raw_booking(
        ctx,
        world.laser,
        world.org,
        NOW - timedelta(days=800),
        NOW - timedelta(days=800) + timedelta(hours=1),
        notes="Let op: Jan",
    )
    recent = raw_booking(
        ctx,
        world.laser,
        world.org,
        NOW - timedelta(days=30),
        NOW - timedelta(days=30) + timedelta(hours=1),
        notes="Let op: Piet",
    )
    with write_transaction():
        assert purgers()["bookings"](date(2026, 3, 2)) == 1
    db.session.expire_all()
    assert (
        db.session.get(Booking, old).notes == ""
        and db.session.get(Booking, recent).notes == "Let op: Piet"
    )


def test_old_idempotency_keys_are_forgotten(app, world, api_headers, clock):
    body = {
        "resource_ids": [world.laser.id],
        "start": "2026-03-03T09:00:00+01:00",
        "end": "2026-03-03T10:00:00+01:00",
        "group_name": "3K-PIE",
        "group_size": 2,
        "learner_category": "vo",
    }
    headers = {**api_headers(world.booker), "Idempotency-Key": "k-1"}
    assert app.test_client().post("/api/v1/bookings", json=body, headers=headers).status_code == 201
    runner = app.test_cli_runner()
    assert "purged 0" in runner.invoke(args=["booking", "purge-keys"]).output
    clock.shift(timedelta(hours=25))
    assert "purged 1" in runner.invoke(args=["booking", "purge-keys"]).output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(IdempotencyKey)) == 0


def test_a_coordinator_books_for_a_member_through_the_form(app, world, login):
    client = app.test_client()
    login(client, world.coordinator, PASSWORD)
    form = client.get(f"/hubs/{world.hub.id}/book").get_data(as_text=True)
    assert "Kies de organisatie" in form and "Kromwijk Machinebouw" in form
    assert "Buiten B.V." not in form  # not a member
    data = {
        "resource_ids": world.laser.id,
        "date": "2026-03-04",
        "start": "13:00",
        "end": "15:00",
        "group_name": "Team frezen",
        "group_size": 2,
        "learner_category": "employee",
        "level": "",
    }
    missing = client.post_form(f"/hubs/{world.hub.id}/book", data)
    assert (
        missing.status_code == 422
        and "Kies de organisatie waarvoor u boekt." in missing.get_data(as_text=True)
    )
    done = client.post_form(
        f"/hubs/{world.hub.id}/book", {**data, "organisation_id": world.other_org.id}
    )
    assert done.status_code == 302
    with app.app_context():
        booking = db.session.scalars(select(Booking)).one()
        assert (booking.organisation_id, booking.booked_by_id) == (
            world.other_org.id,
            world.coordinator.id,
        )
