"""A series at a resource needing approval is one request; approving confirms the dates
still held. Mail goes through the outbox: one message per series, one per later change."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from hubs.booking import configuration
from hubs.booking.errors import AlreadyHandled
from hubs.booking.models import Booking
from hubs.errors import NotAllowed
from hubs.extensions import db
from hubs.mail.models import OutboxMessage
from hubs.mail.services import compose_pending
from hubs.series.models import SeriesOccurrence
from hubs.series.services import approve_series, book_series, cancel_series, reject_series
from tests.booking.helpers import principal
from tests.series.helpers import series_input


def _needs_approval(world) -> None:
    configuration.save_settings(
        world.hub.id,
        configuration.SettingsInput(False, False, 24, 72, False, "midden", [world.laser.id]),
        principal(world.coordinator),
    )


def _request(world, until="2026-03-31"):
    data = series_input([world.laser], "2026-03-03", "09:00", "11:00", until)
    return book_series(data, principal(world.booker))


def _leads(series_id: int) -> list[Booking]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(Booking)
            .join(SeriesOccurrence, SeriesOccurrence.booking_id == Booking.id)
            .where(SeriesOccurrence.series_id == series_id)
            .order_by(Booking.start_at)
        )
    )


def _mail() -> list[OutboxMessage]:
    compose_pending()
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_a_series_needing_approval_is_one_request_with_one_message(ctx, world):
    _needs_approval(world)
    series = _request(world)
    assert {b.status.value for b in _leads(series.id)} == {"requested"}
    assert all(b.expires_at is not None for b in _leads(series.id))
    mail = _mail()
    assert [m.kind for m in mail] == ["booking.series_requested"]
    assert mail[0].to_address == world.booker.email


def test_approving_confirms_the_dates_still_held(ctx, world):
    _needs_approval(world)
    series = _request(world)
    leads = _leads(series.id)
    cancel_series(series.id, "occurrence", leads[1].id, principal(world.booker))
    decided = approve_series(series.id, principal(world.coordinator), "Veel plezier")
    assert len(decided) == 4
    assert [b.status.value for b in _leads(series.id)] == [
        "confirmed",
        "cancelled",
        "confirmed",
        "confirmed",
        "confirmed",
    ]
    approved = _mail()[-1]
    assert approved.kind == "booking.series_approved"
    assert "Veel plezier" in approved.body_text
    with pytest.raises(AlreadyHandled):
        approve_series(series.id, principal(world.coordinator))


def test_rejecting_frees_every_date(ctx, world):
    _needs_approval(world)
    series = _request(world)
    reject_series(series.id, principal(world.coordinator), "Machine in onderhoud")
    assert {b.status.value for b in _leads(series.id)} == {"rejected"}
    assert _mail()[-1].kind == "booking.series_rejected"


def test_a_booker_cannot_approve_their_own_series(ctx, world):
    _needs_approval(world)
    series = _request(world)
    with pytest.raises(NotAllowed):
        approve_series(series.id, principal(world.booker))
    assert {b.status.value for b in _leads(series.id)} == {"requested"}


def test_the_coordinator_books_a_series_without_a_request(ctx, world):
    _needs_approval(world)
    data = series_input(
        [world.laser], "2026-03-03", "09:00", "11:00", "2026-03-17", organisation_id=world.org.id
    )
    series = book_series(data, principal(world.coordinator))
    assert {b.status.value for b in _leads(series.id)} == {"confirmed"}


def test_the_series_message_lists_booked_and_skipped_dates(ctx, world):
    # 21 April to 12 May: 28 April falls in the May holiday (region midden).
    data = series_input([world.laser], "2026-04-21", "09:00", "11:00", "2026-05-12")
    book_series(data, principal(world.booker))
    (mail,) = _mail()
    assert mail.kind == "booking.series_booked"
    text = mail.body_text
    assert mail.subject == "Reeks geboekt: 3K-PIE, vanaf 21-04-2026"
    booked, skipped = text.split("Geboekte datums (3):")[1].split("Overgeslagen")
    assert booked.count("09:00–11:00") == 3 and "28 apr" not in booked
    assert "di 28 apr 2026 09:00–11:00: Schoolvakantie: Meivakantie" in skipped
    assert "/series/" in text


def test_one_message_per_later_change(ctx, world):
    from datetime import time

    from hubs.series.services import SeriesChange, change_series

    series = _request(world)
    change_series(
        series.id,
        "all",
        None,
        SeriesChange(start_time=time(10), end_time=time(12)),
        principal(world.booker),
    )
    cancel_series(series.id, "all", None, principal(world.booker))
    assert [m.kind for m in _mail()] == [
        "booking.series_booked",
        "booking.series_changed",
        "booking.series_cancelled",
    ]


def test_a_series_request_expires_as_a_whole_with_one_message(ctx, world, clock):
    from datetime import timedelta

    from hubs.booking.services.status import expire_requests
    from tests.booking.helpers import NOW

    _needs_approval(world)
    series = _request(world, until="2026-03-24")
    clock.move_to(NOW + timedelta(hours=80))
    expire_requests()
    assert {b.status.value for b in _leads(series.id)} == {"expired"}
    assert [m.kind for m in _mail()] == ["booking.series_requested", "booking.series_expired"]
    assert "Verlopen datums (4):" in _mail()[-1].body_text


def test_changing_one_date_goes_through_the_booking_core(ctx, world):
    from datetime import time

    from hubs.series.services import SeriesChange, change_series
    from tests.booking.helpers import AMS

    series = _request(world)
    leads = _leads(series.id)
    change_series(
        series.id,
        "occurrence",
        leads[1].id,
        SeriesChange(start_time=time(13), end_time=time(15)),
        principal(world.booker),
    )
    hours = [b.start_at.astimezone(AMS).hour for b in _leads(series.id)]
    assert hours == [9, 13, 9, 9, 9]
    assert len(_mail()) == 2, "the booked series, then the one changed date"
