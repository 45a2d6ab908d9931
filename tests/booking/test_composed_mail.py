"""A booking's mail is queued as a recipe and composed by the outbox worker.

Rendering the message and its calendar attachment cost more than the rest of a booking
(bench/: row 1), so the booking's transaction stores only what the message is about; the
worker composes it, in the booker's language, before it sends it.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from hubs.booking import configuration, services
from hubs.db import utcnow, write_transaction
from hubs.extensions import db
from hubs.mail.models import OutboxMessage, OutboxStatus
from hubs.mail.privacy import erase, export
from hubs.mail.services import (
    compose_pending,
    deliver_pending,
    queue_composed,
    register_composer,
    set_opt_outs,
)
from hubs.privacy import Subject
from tests.booking.helpers import at, booking_input, principal
from tests.smtp import text_body

TUE = "2026-03-03"


def _book(world, booker=None):
    booker = booker or world.booker
    return services.book(
        booking_input([world.laser, world.room], at(TUE, "09:00"), at(TUE, "10:00")),
        principal(booker),
    )


def _messages():
    db.session.rollback()  # read what is committed now
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_the_booking_stores_a_recipe_and_the_worker_sends_the_composed_message(
    ctx, world, smtp_server
):
    lead = _book(world)
    (queued,) = _messages()
    assert queued.kind == "booking.confirmed" and queued.to_address == world.booker.email
    assert queued.body_text == "" and queued.attachments == []
    assert queued.recipe["composer"] == "booking"
    assert queued.recipe["args"]["rows"] == [lead.id, lead.members[1].id]

    assert deliver_pending().sent == 1
    (sent,) = smtp_server.to(world.booker.email)
    subject = "Boeking bevestigd: Lasersnijder 1, Lokaal Techniek 1, 03-03-2026 09:00"
    assert sent["Subject"].strip() == subject
    body = text_body(sent)
    assert "Groene Hart College" in body and f"/bookings/{lead.id}" in body
    (calendar,) = [p for p in sent.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert calendar.get_param("method") == "PUBLISH"
    assert f"booking-{lead.id}@" in calendar.get_content()
    # What was sent is kept as sent; the recipe is gone.
    (stored,) = _messages()
    assert stored.status == OutboxStatus.SENT and stored.recipe is None
    assert stored.subject == subject and "Groene Hart College" in stored.body_text
    assert stored.attachments[0]["content_type"] == "text/calendar; method=PUBLISH"


def test_it_is_composed_in_the_bookers_language(ctx, world, make, smtp_server):
    english = make.user(("booker", world.org), locale="en")
    _book(world, booker=english)
    assert deliver_pending().sent == 1
    (sent,) = smtp_server.to(english.email)
    assert sent["Subject"].strip().startswith("Booking confirmed: Lasersnijder 1")
    assert "Your booking is confirmed." in text_body(sent)


def test_a_moved_booking_is_described_as_it_is_when_composed(ctx, world):
    lead = _book(world)
    services.change_booking(
        lead.id,
        services.BookingChange(start=at(TUE, "13:00"), end=at(TUE, "14:00")),
        principal(world.booker),
    )
    assert compose_pending() == 2
    confirmed, moved = _messages()
    assert moved.kind == "booking.moved" and "13:00" in moved.subject
    # Both say when the booking is now: a calendar never gets the old time back.
    assert "13:00" in confirmed.subject and "13:00" in confirmed.body_text
    assert compose_pending() == 0  # composed once


def test_a_recipe_that_cannot_be_composed_is_not_sent_and_stops_nothing_else(
    ctx, world, smtp_server
):
    with write_transaction():
        queue_composed(
            to=world.booker,
            kind="booking.confirmed",
            composer="booking",
            notice="confirmed",
            rows=[987654],
            extra={},
        )
        queue_composed(
            to=world.booker, kind="booking.confirmed", composer="booking", notice="confirmed"
        )
    _book(world)
    assert deliver_pending().sent == 1
    gone, bad, good = _messages()
    assert gone.status == OutboxStatus.FAILED and "nothing to say" in gone.last_error
    assert bad.status == OutboxStatus.FAILED
    assert "could not be composed" in bad.last_error and "KeyError" in bad.last_error
    assert good.status == OutboxStatus.SENT
    assert len(smtp_server.to(world.booker.email)) == 1


def test_an_erasure_request_reaches_a_message_not_yet_composed(ctx, world):
    lead = _book(world)
    services.cancel_booking(lead.id, principal(world.booker), "Anouk de Vries is ziek")
    subject = Subject(learner_id=0, needles=("Anouk de Vries",))
    (exported,) = export(subject)
    assert exported["recipe"]["args"]["extra"]["reason"] == "Anouk de Vries is ziek"
    with write_transaction():
        assert erase(subject) == 1
    _, cancelled = _messages()
    assert cancelled.status == OutboxStatus.FAILED and cancelled.recipe is None
    assert "erased on request" in cancelled.last_error
    assert cancelled.next_attempt_at <= utcnow()  # purged with the other failures


def test_a_request_decided_before_its_message_was_composed_is_not_announced(
    ctx, world, smtp_server
):
    configuration.save_settings(
        world.hub.id,
        configuration.SettingsInput(False, True, 24, 72, False, "midden", []),
        principal(world.coordinator),
    )
    lead = _book(world)
    services.approve(lead.id, principal(world.coordinator), "Tot dan!")
    assert deliver_pending().sent == 1
    requested, approved = _messages()
    assert requested.status == OutboxStatus.FAILED and requested.recipe is None
    assert requested.last_error == "no longer true: the booking is confirmed now"
    assert approved.status == OutboxStatus.SENT
    (sent,) = smtp_server.to(world.booker.email)
    assert sent["Subject"].strip().startswith("Aanvraag goedgekeurd")


def test_a_confirmation_still_goes_when_the_booking_was_cancelled_since(ctx, world):
    lead = _book(world)
    services.cancel_booking(lead.id, principal(world.booker), "Toch niet")
    assert compose_pending() == 2
    confirmed, cancelled = _messages()
    assert confirmed.body_text and cancelled.body_text  # as when rendered at once
    assert "STATUS:CANCELLED" in confirmed.attachments[0]["content"]


def test_an_inactive_booker_gets_no_mail(ctx, world):
    _book(world)
    with write_transaction():
        db.session.get(type(world.booker), world.booker.id).active = False
    compose_pending()
    assert _messages() == []


def test_a_recipe_is_not_due_before_it_is_composed(ctx, world):
    """A worker of the code before recipes (claiming what is pending and due) never
    takes one for an empty message while the new code is being deployed."""
    _book(world)
    due = select(OutboxMessage).where(
        OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= utcnow()
    )
    assert db.session.scalars(due).all() == []
    compose_pending()
    (message,) = db.session.scalars(due).all()
    assert message.body_text and message.recipe is None


def test_a_database_error_while_composing_leaves_the_recipe_for_later(ctx, world, smtp_server):
    calls = []

    def flaky(args, locale):
        calls.append(args)
        raise OperationalError("SELECT 1", {}, Exception("connection lost"))

    register_composer("flaky", flaky)
    with write_transaction():
        queue_composed(to=world.booker, kind="booking.confirmed", composer="flaky")
    _book(world)
    assert deliver_pending().sent == 1  # the booking's message still goes
    waiting, sent = _messages()
    assert waiting.status == OutboxStatus.PENDING and waiting.recipe["composer"] == "flaky"
    assert sent.status == OutboxStatus.SENT and calls  # tried, and tried again next round


def test_a_booker_who_switched_booking_mail_off_gets_none(ctx, world):
    set_opt_outs(world.booker.id, {"booking"})
    _book(world)
    services.book(
        booking_input([world.laser2], at(TUE, "11:00"), at(TUE, "12:00")),
        principal(world.other_booker),
    )
    assert len(_messages()) == 2  # queued; the choice applies when composed
    assert compose_pending() == 1
    (left,) = _messages()
    assert left.to_address == world.other_booker.email and left.body_text
