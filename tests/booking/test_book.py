"""Booking through the service: what is allowed, and every bad input refused with a clear
message and nothing written."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from hubs.booking import configuration, services
from hubs.booking.errors import Closed, NotBookable, OutsideOpeningHours, SlotTaken
from hubs.booking.models import Booking, BookingEvent, BookingStatus, Closure
from hubs.db import write_transaction
from hubs.errors import InvalidInput, NotAllowed
from hubs.extensions import db
from hubs.mail.models import OutboxMessage
from hubs.mail.services import compose_pending
from tests.booking.helpers import at, booking_input, principal, raw_booking

TUE = "2026-03-03"


def _count(model=Booking):
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_booker_books_a_free_slot_and_is_mailed(ctx, world):
    lead = services.book(
        booking_input([world.laser], at(TUE, "09:00"), at(TUE, "10:00")), principal(world.booker)
    )
    assert lead.status == BookingStatus.CONFIRMED
    assert lead.organisation_id == world.org.id and lead.booked_by_id == world.booker.id
    assert lead.end_at - lead.start_at == timedelta(hours=1)
    assert compose_pending() == 1  # the worker composes it before sending
    mail = db.session.scalars(select(OutboxMessage)).one()
    assert mail.kind == "booking.confirmed" and mail.to_address == world.booker.email
    assert "Lasersnijder 1" in mail.subject and "03-03-2026 09:00" in mail.subject
    assert "Uw boeking is bevestigd" in mail.body_text or "bevestigd" in mail.body_text.lower()
    event = db.session.scalars(select(BookingEvent)).one()
    assert (event.action, event.actor_id, event.booking_id) == ("booked", world.booker.id, lead.id)


def test_a_bundle_is_booked_all_or_nothing(ctx, world):
    raw_booking(ctx, world.laser, world.other_org, at(TUE, "10:00"), at(TUE, "11:00"))
    with pytest.raises(SlotTaken) as taken:
        services.book(
            booking_input(
                [world.room, world.laser], at(TUE, "09:00"), at(TUE, "11:00"), group_size=20
            ),
            principal(world.booker),
        )
    assert _count() == 1  # not even the free room was booked
    (conflict,) = taken.value.conflicts
    assert conflict["resource"] == "Lasersnijder 1" and "booking_id" not in conflict
    assert "Lasersnijder 1" in str(taken.value.message)
    lead = services.book(
        booking_input(
            [world.room, world.laser2], at(TUE, "09:00"), at(TUE, "11:00"), group_size=20
        ),
        principal(world.booker),
    )
    rows = services.bundle_rows(lead.id)
    assert [r.resource_id for r in rows] == [world.room.id, world.laser2.id]
    assert {r.bundle_id for r in rows} == {lead.id}


def test_back_to_back_is_fine_and_the_second_booking_of_a_slot_is_refused(ctx, world):
    booker = principal(world.booker)
    services.book(booking_input([world.laser], at(TUE, "09:00"), at(TUE, "10:00")), booker)
    services.book(booking_input([world.laser], at(TUE, "10:00"), at(TUE, "11:00")), booker)
    with pytest.raises(SlotTaken) as taken:
        services.book(
            booking_input([world.laser], at(TUE, "09:30"), at(TUE, "10:30")),
            principal(world.other_booker),
        )
    assert len(taken.value.conflicts) == 2
    assert _count() == 2


def test_my_own_conflicts_show_their_details(ctx, world):
    booker = principal(world.booker)
    first = services.book(booking_input([world.laser], at(TUE, "09:00"), at(TUE, "10:00")), booker)
    with pytest.raises(SlotTaken) as taken:
        services.book(booking_input([world.laser], at(TUE, "09:00"), at(TUE, "10:00")), booker)
    assert taken.value.conflicts[0]["booking_id"] == first.id
    assert taken.value.conflicts[0]["group_name"] == "3K-PIE"


@pytest.mark.parametrize(
    ("overrides", "field", "error", "words"),
    [
        (
            {"start": at("2026-03-02", "08:00"), "end": at("2026-03-02", "08:45")},
            "start",
            InvalidInput,
            "verleden",
        ),
        ({"start": at(TUE, "10:00"), "end": at(TUE, "09:00")}, "end", InvalidInput, "na het begin"),
        (
            {"start": at(TUE, "07:00"), "end": at(TUE, "08:30")},
            "start",
            OutsideOpeningHours,
            "08:00–17:00",
        ),
        (
            {"start": at(TUE, "16:30"), "end": at(TUE, "17:30")},
            "start",
            OutsideOpeningHours,
            "openingstijden",
        ),
        (
            {"start": at("2026-03-07", "10:00"), "end": at("2026-03-07", "11:00")},
            "start",
            OutsideOpeningHours,
            "gesloten",
        ),
        ({"start": at(TUE, "09:10"), "end": at(TUE, "10:00")}, "start", InvalidInput, "15 minuten"),
        ({"group_size": 5}, "group_size", InvalidInput, "Lasersnijder 1"),
        ({"group_size": 0}, "group_size", InvalidInput, "aantal"),
        ({"group_name": "  "}, "group_name", InvalidInput, "naam"),
        ({"learner_category": "pupil"}, "learner_category", InvalidInput, "vo, mbo"),
        ({"level": "mbo-3"}, "level", InvalidInput, "past niet"),
        ({"level": "vmbo-x"}, "level", InvalidInput, "niveau"),
        ({"resource_ids": []}, "resource_ids", InvalidInput, "ten minste"),
        ({"resource_ids": [999999]}, "resource_ids", InvalidInput, "999999"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_written(
    ctx, world, overrides, field, error, words
):
    data = booking_input([world.laser], at(TUE, "09:00"), at(TUE, "10:00"))
    for name, value in overrides.items():
        setattr(data, name, value)
    with pytest.raises(error) as refused:
        services.book(data, principal(world.booker))
    fields = getattr(refused.value, "fields", {refused.value.field: [refused.value.message]})
    assert field in fields
    assert words.lower() in " ".join(str(m) for m in fields[field]).lower()
    assert _count() == 0 and _count(OutboxMessage) == 0 and _count(BookingEvent) == 0


def test_resources_of_two_hubs_cannot_be_one_bundle(ctx, world, make):
    elsewhere = make.resource(make.hub(), name="Elders")
    with pytest.raises(NotBookable) as refused:
        services.book(
            booking_input([world.laser, elsewhere], at(TUE, "09:00"), at(TUE, "10:00")),
            principal(world.booker),
        )
    assert refused.value.field == "resource_ids" and "dezelfde hub" in str(refused.value.message)
    assert _count() == 0


def test_a_retired_resource_cannot_be_booked(ctx, world):
    with write_transaction():
        db.session.get(type(world.laser), world.laser.id).active = False
    with pytest.raises(NotBookable, match="niet meer"):
        services.book(
            booking_input([world.laser], at(TUE, "09:00"), at(TUE, "10:00")),
            principal(world.booker),
        )


def test_an_organisation_without_membership_cannot_book(ctx, world, make):
    with pytest.raises(InvalidInput) as refused:
        services.book(
            booking_input([world.laser], at(TUE, "09:00"), at(TUE, "10:00")),
            principal(world.outsider_booker),
        )
    assert refused.value.field == "organisation_id"
    # A membership that ended before the day does not count either.
    make.membership(world.outsider, world.hub, starts_on=date(2020, 1, 1), ends_on=date(2026, 3, 2))
    with pytest.raises(NotBookable, match="geen actief lidmaatschap"):
        services.book(
            booking_input(
                [world.laser], at(TUE, "09:00"), at(TUE, "10:00"), organisation_id=world.outsider.id
            ),
            principal(world.outsider_booker),
        )
    assert _count() == 0


def test_nobody_books_for_another_organisation_but_coordinators_book_for_members(ctx, world):
    with pytest.raises(NotAllowed):
        services.book(
            booking_input(
                [world.laser],
                at(TUE, "09:00"),
                at(TUE, "10:00"),
                organisation_id=world.other_org.id,
            ),
            principal(world.booker),
        )
    coordinator = principal(world.coordinator)
    with pytest.raises(InvalidInput, match="organisatie"):
        services.book(booking_input([world.laser], at(TUE, "09:00"), at(TUE, "10:00")), coordinator)
    lead = services.book(
        booking_input(
            [world.laser], at(TUE, "09:00"), at(TUE, "10:00"), organisation_id=world.other_org.id
        ),
        coordinator,
    )
    assert lead.organisation_id == world.other_org.id and lead.booked_by_id == world.coordinator.id
    with pytest.raises(NotBookable):
        services.book(
            booking_input(
                [world.laser2],
                at(TUE, "09:00"),
                at(TUE, "10:00"),
                organisation_id=world.outsider.id,
            ),
            coordinator,
        )


def test_closures_maintenance_and_school_holidays_are_refused(ctx, world, make):
    with write_transaction():
        db.session.add(
            Closure(
                hub_id=world.hub.id,
                starts_at=at("2026-03-04", "00:00"),
                ends_at=at("2026-03-05", "00:00"),
                reason="Studiedag",
            )
        )
        db.session.add(
            Closure(
                hub_id=world.hub.id,
                resource_id=world.laser.id,
                starts_at=at(TUE, "12:00"),
                ends_at=at(TUE, "14:00"),
                reason="Nieuwe lens",
            )
        )
    booker = principal(world.booker)
    with pytest.raises(Closed, match="Studiedag"):
        services.book(
            booking_input([world.room], at("2026-03-04", "09:00"), at("2026-03-04", "10:00")),
            booker,
        )
    with pytest.raises(Closed, match="Nieuwe lens"):
        services.book(booking_input([world.laser], at(TUE, "13:00"), at(TUE, "15:00")), booker)
    # The maintenance is of the laser only; the room is free then.
    services.book(booking_input([world.room], at(TUE, "13:00"), at(TUE, "15:00")), booker)
    # School holidays close the hub only when the hub says so (May holiday 2026, midden).
    may = "2026-04-28"
    services.book(booking_input([world.laser2], at(may, "09:00"), at(may, "10:00")), booker)
    configuration.save_settings(
        world.hub.id,
        configuration.SettingsInput(False, False, 24, 72, True, "midden", []),
        principal(world.coordinator),
    )
    with pytest.raises(Closed, match="Meivakantie"):
        services.book(booking_input([world.laser], at(may, "09:00"), at(may, "10:00")), booker)
    assert _count() == 2


def test_named_periods_are_followed_where_the_hub_uses_them(ctx, world):
    coordinator = principal(world.coordinator)
    from datetime import time

    configuration.add_slots(world.hub.id, [1], "1e-2e uur", time(8, 30), time(10, 10), coordinator)
    configuration.add_slots(world.hub.id, [1], "3e-4e uur", time(10, 25), time(12, 5), coordinator)
    configuration.save_settings(
        world.hub.id,
        configuration.SettingsInput(True, False, 24, 72, False, "midden", []),
        coordinator,
    )
    booker = principal(world.booker)
    with pytest.raises(OutsideOpeningHours) as refused:
        services.book(booking_input([world.laser], at(TUE, "09:00"), at(TUE, "10:00")), booker)
    assert "1e-2e uur 08:30–10:10" in str(refused.value.message)
    lead = services.book(booking_input([world.laser], at(TUE, "08:30"), at(TUE, "12:05")), booker)
    assert lead.end_at == at(TUE, "12:05")
    # Wednesday has no periods: the free 15-minute grid applies.
    services.book(
        booking_input([world.laser], at("2026-03-04", "09:15"), at("2026-03-04", "10:45")), booker
    )


def test_a_request_where_approval_is_needed_holds_the_slot(ctx, world):
    configuration.save_settings(
        world.hub.id,
        configuration.SettingsInput(False, False, 24, 48, False, "midden", [world.laser.id]),
        principal(world.coordinator),
    )
    lead = services.book(
        booking_input([world.laser], at(TUE, "09:00"), at(TUE, "10:00")), principal(world.booker)
    )
    assert lead.status == BookingStatus.REQUESTED
    assert lead.expires_at == at(TUE, "09:00")  # the start comes before 48 hours from now
    with pytest.raises(SlotTaken):
        services.book(
            booking_input([world.laser], at(TUE, "09:00"), at(TUE, "10:00")),
            principal(world.other_booker),
        )
    # Another resource without approval is confirmed at once; coordinators never request.
    assert (
        services.book(
            booking_input([world.laser2], at(TUE, "09:00"), at(TUE, "10:00")),
            principal(world.booker),
        ).status
        == BookingStatus.CONFIRMED
    )
    assert (
        services.book(
            booking_input(
                [world.laser], at(TUE, "11:00"), at(TUE, "12:00"), organisation_id=world.org.id
            ),
            principal(world.coordinator),
        ).status
        == BookingStatus.CONFIRMED
    )
    compose_pending()
    mail = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).first()
    assert mail.kind == "booking.requested"
