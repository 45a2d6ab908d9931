"""After booking: approve or reject (compare-and-swap), expire, cancel, move and edit —
each mailed to the booker and written to the audit trail."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from hubs.booking import configuration, services
from hubs.booking.errors import AlreadyHandled, Closed, SlotTaken
from hubs.booking.models import Booking, BookingEvent, BookingStatus, Closure
from hubs.db import write_transaction
from hubs.errors import InvalidInput, NotAllowed
from hubs.extensions import db
from hubs.mail.models import OutboxMessage
from hubs.mail.services import compose_pending
from tests.booking.helpers import NOW, at, booking_input, principal

TUE = "2026-03-03"


def _require_approval(world, hours=72):
    configuration.save_settings(
        world.hub.id,
        configuration.SettingsInput(False, True, 24, hours, False, "midden", []),
        principal(world.coordinator),
    )


def _request(world, day="2026-03-10", resources=None):
    return services.book(
        booking_input(resources or [world.laser], at(day, "09:00"), at(day, "10:00")),
        principal(world.booker),
    )


def _kinds():
    return [m.kind for m in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]


def _actions(lead):
    return [
        e.action
        for e in db.session.scalars(
            select(BookingEvent).where(BookingEvent.booking_id == lead.id).order_by(BookingEvent.id)
        )
    ]


def test_approve_confirms_the_whole_bundle_once(ctx, world):
    _require_approval(world)
    lead = _request(world, resources=[world.room, world.laser])
    approved = services.approve(lead.id, principal(world.coordinator), "Tot dan!")
    assert approved.status == BookingStatus.CONFIRMED and approved.expires_at is None
    assert {r.status for r in services.bundle_rows(lead.id)} == {BookingStatus.CONFIRMED}
    with pytest.raises(AlreadyHandled, match="bevestigd"):
        services.approve(lead.id, principal(world.coordinator))
    with pytest.raises(AlreadyHandled):
        services.reject(lead.id, principal(world.coordinator))
    assert _kinds() == ["booking.requested", "booking.approved"]
    assert _actions(lead) == ["requested", "approved"]
    compose_pending()
    mail = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    assert "Tot dan!" in mail.body_text and "goedgekeurd" in mail.subject


def test_only_the_hubs_coordinators_decide(ctx, world, make):
    _require_approval(world)
    lead = _request(world)
    other_hub = make.hub()
    for user in (world.booker, make.user(("coordinator", other_hub))):
        with pytest.raises(NotAllowed):
            services.approve(lead.id, principal(user))
    assert db.session.get(Booking, lead.id).status == BookingStatus.REQUESTED


def test_two_coordinators_clicking_at_once_give_one_transition(app, make, clock, world):
    with app.app_context():
        _require_approval(world)
        lead_id = _request(world).id
    second = make.user(("coordinator", world.hub))
    results: list[str] = []
    barrier = threading.Barrier(2)

    def decide(user, action):
        with app.app_context():
            barrier.wait()
            try:
                action(lead_id, principal(user))
                results.append("ok")
            except AlreadyHandled:
                results.append("already")

    threads = [
        threading.Thread(target=decide, args=(world.coordinator, services.approve)),
        threading.Thread(target=decide, args=(second, services.reject)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["already", "ok"]
    with app.app_context():
        events = db.session.scalars(
            select(BookingEvent.action).where(BookingEvent.booking_id == lead_id)
        ).all()
        assert len([a for a in events if a in ("approved", "rejected")]) == 1


def test_reject_frees_the_slot_at_once(ctx, world):
    _require_approval(world)
    lead = _request(world)
    services.reject(lead.id, principal(world.coordinator), "Machine is dan in gebruik")
    assert db.session.get(Booking, lead.id).status == BookingStatus.REJECTED
    services.book(
        booking_input(
            [world.laser],
            at("2026-03-10", "09:00"),
            at("2026-03-10", "10:00"),
            organisation_id=world.other_org.id,
        ),
        principal(world.coordinator),
    )
    compose_pending()
    mail = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "booking.rejected")
    ).one()
    assert "Machine is dan in gebruik" in mail.body_text
    assert f"/hubs/{world.hub.id}/week?date=2026-03-10" in mail.body_text


def test_requests_expire_once_and_the_booker_is_told(app, world, clock):
    runner = app.test_cli_runner()
    with app.app_context():
        _require_approval(world, hours=48)
        lead_id = _request(world).id
        early = _request(world, day="2026-03-03").id  # starts before 48 hours are up
    clock.move_to(NOW + timedelta(hours=25, minutes=1))  # past Tuesday 09:00
    result = runner.invoke(args=["booking", "expire-requests"])
    assert result.exit_code == 0 and "expired 1 requests" in result.output
    with app.app_context():
        assert db.session.get(Booking, early).status == BookingStatus.EXPIRED
        assert db.session.get(Booking, lead_id).status == BookingStatus.REQUESTED
    clock.move_to(NOW + timedelta(hours=48, minutes=1))
    assert "expired 1 requests" in runner.invoke(args=["booking", "expire-requests"]).output
    assert "expired 0 requests" in runner.invoke(args=["booking", "expire-requests"]).output
    with app.app_context():
        assert db.session.get(Booking, lead_id).status == BookingStatus.EXPIRED
        kinds = [m.kind for m in db.session.scalars(select(OutboxMessage))]
        assert kinds.count("booking.expired") == 2
        actions = db.session.scalars(
            select(BookingEvent.action).where(BookingEvent.booking_id == lead_id)
        ).all()
        assert actions == ["requested", "expired"]


def test_a_booker_cancels_until_the_deadline_a_coordinator_always(ctx, world, clock):
    booker, coordinator = principal(world.booker), principal(world.coordinator)
    first = services.book(booking_input([world.laser], at(TUE, "13:00"), at(TUE, "14:00")), booker)
    second = services.book(booking_input([world.laser], at(TUE, "14:00"), at(TUE, "15:00")), booker)
    clock.move_to(at(TUE, "13:00") - timedelta(hours=24, minutes=1))
    services.cancel_booking(first.id, booker, "Klas is ziek")
    clock.move_to(at(TUE, "14:00") - timedelta(hours=23))
    with pytest.raises(NotAllowed, match="24 uur"):
        services.cancel_booking(second.id, booker)
    with pytest.raises(NotAllowed):
        services.cancel_booking(second.id, principal(world.other_booker))
    services.cancel_booking(second.id, coordinator, "Storing")
    with pytest.raises(AlreadyHandled):
        services.cancel_booking(second.id, coordinator)
    # The slot is free at once.
    services.book(
        booking_input([world.laser], at(TUE, "13:00"), at(TUE, "15:00")),
        principal(world.other_booker),
    )
    compose_pending()
    cancelled = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "booking.cancelled")
    ).all()
    assert len(cancelled) == 2 and "Klas is ziek" in cancelled[0].body_text


def test_moving_rechecks_everything(ctx, world):
    booker = principal(world.booker)
    lead = services.book(
        booking_input([world.room, world.laser], at(TUE, "09:00"), at(TUE, "10:00")), booker
    )
    services.book(
        booking_input([world.laser], at(TUE, "11:00"), at(TUE, "12:00")),
        principal(world.other_booker),
    )
    with write_transaction():
        db.session.add(
            Closure(
                hub_id=world.hub.id,
                starts_at=at("2026-03-04", "00:00"),
                ends_at=at("2026-03-05", "00:00"),
                reason="Studiedag",
            )
        )
    move = services.BookingChange
    with pytest.raises(SlotTaken) as taken:
        services.change_booking(lead.id, move(start=at(TUE, "10:30"), end=at(TUE, "11:30")), booker)
    assert taken.value.conflicts[0]["resource"] == "Lasersnijder 1"
    with pytest.raises(Closed, match="Studiedag"):
        services.change_booking(
            lead.id, move(start=at("2026-03-04", "09:00"), end=at("2026-03-04", "10:00")), booker
        )
    with pytest.raises(InvalidInput):
        services.change_booking(lead.id, move(start=at(TUE, "16:30"), end=at(TUE, "17:30")), booker)
    with pytest.raises(InvalidInput):
        services.change_booking(
            lead.id, move(start=at("2026-03-02", "07:00"), end=at("2026-03-02", "08:00")), booker
        )
    with pytest.raises(InvalidInput) as too_many:
        services.change_booking(lead.id, move(group_size=40), booker)
    assert "group_size" in too_many.value.fields
    # Overlapping its own old time is fine; the whole bundle moves.
    moved = services.change_booking(
        lead.id, move(start=at(TUE, "09:30"), end=at(TUE, "10:30")), booker
    )
    rows = services.bundle_rows(lead.id)
    assert [(r.start_at, r.end_at) for r in rows] == [(at(TUE, "09:30"), at(TUE, "10:30"))] * 2
    assert moved.version == 2
    event = db.session.scalars(select(BookingEvent).where(BookingEvent.action == "moved")).one()
    assert event.actor_id == world.booker.id
    assert event.changes["start"] == [at(TUE, "09:00").isoformat(), at(TUE, "09:30").isoformat()]
    assert "booking.moved" in _kinds()


def test_editing_the_group_is_audited_and_not_mailed(ctx, world):
    booker = principal(world.booker)
    lead = services.book(booking_input([world.room], at(TUE, "09:00"), at(TUE, "10:00")), booker)
    services.change_booking(
        lead.id, services.BookingChange(group_size=24, purpose="Solderen"), booker
    )
    event = db.session.scalars(select(BookingEvent).where(BookingEvent.action == "edited")).one()
    assert event.changes["group_size"] == [4, 24]
    assert event.changes["purpose"] == ["Lasersnijden: sleutelhanger", "Solderen"]
    assert "start" not in event.changes
    assert _kinds() == ["booking.confirmed"]


def test_moving_a_booking_that_needs_approval_makes_it_a_request_again(ctx, world):
    configuration.save_settings(
        world.hub.id,
        configuration.SettingsInput(False, False, 24, 72, False, "midden", [world.laser.id]),
        principal(world.coordinator),
    )
    lead = _request(world)
    services.approve(lead.id, principal(world.coordinator))
    moved = services.change_booking(
        lead.id,
        services.BookingChange(start=at("2026-03-10", "11:00"), end=at("2026-03-10", "12:00")),
        principal(world.booker),
    )
    assert moved.status == BookingStatus.REQUESTED and moved.expires_at is not None


def test_a_cancelled_booking_cannot_be_changed(ctx, world):
    lead = _request(world)
    services.cancel_booking(lead.id, principal(world.booker))
    with pytest.raises(AlreadyHandled):
        services.change_booking(
            lead.id, services.BookingChange(group_size=2), principal(world.booker)
        )


def test_mail_goes_out_in_the_bookers_language(ctx, world, make):
    english = make.user(("booker", world.org), locale="en")
    services.book(
        booking_input([world.laser], at(TUE, "09:00"), at(TUE, "10:00")), principal(english)
    )
    compose_pending()
    mail = db.session.scalars(select(OutboxMessage)).one()
    assert mail.locale == "en" and mail.subject.startswith("Booking confirmed")
    assert (
        "Your booking is confirmed." in mail.body_text and "Tuesday 3 March 2026" in mail.body_text
    )
