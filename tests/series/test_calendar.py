"""Series mails carry the events of their dates, with the UIDs (and sequences) of the
feeds, so a calendar app adds, moves and cancels the same occurrences."""

from __future__ import annotations

from datetime import time

from sqlalchemy import select

from tests.booking.helpers import principal
from tests.calendar.helpers import make_feed, read, uid
from tests.helpers import queued_mail
from tests.series.helpers import series_input


def _leads(app, series_id):
    from hubs.booking.models import Booking
    from hubs.extensions import db
    from hubs.series.models import SeriesOccurrence

    with app.app_context():
        return list(
            db.session.scalars(
                select(Booking)
                .join(SeriesOccurrence, SeriesOccurrence.booking_id == Booking.id)
                .where(SeriesOccurrence.series_id == series_id)
                .order_by(Booking.start_at)
            )
        )


def _events(mail):
    (attachment,) = mail.attachments
    assert attachment["content_type"] == "text/calendar; method=PUBLISH"
    assert attachment["filename"].startswith("series-") and attachment["filename"].endswith(".ics")
    return read(attachment["content"])


def _book(app, world):
    from hubs.series.services import book_series

    data = series_input([world.laser, world.room], "2026-03-03", "09:00", "11:00", "2026-03-24")
    with app.app_context():
        return book_series(data, principal(world.booker)).id


def test_the_booked_message_has_an_event_per_date_with_the_feeds_uids(app, client, world):
    series_id = _book(app, world)
    (mail,) = queued_mail(app, world.booker.email)
    events = _events(mail)
    leads = _leads(app, series_id)
    assert len(leads) == 4 and list(events) == [uid(lead.id) for lead in leads]
    first = events[uid(leads[0].id)]
    assert first.local_start == "09:00" and first.status == "CONFIRMED"
    assert "Lasersnijder 1, Lokaal Techniek 1" in first.summary  # one event per bundle
    feed = read(client.get(make_feed(app, world.booker, "mine")).data)
    assert set(events) == set(feed)
    assert all(feed[key].sequence == event.sequence for key, event in events.items())


def test_changed_and_cancelled_messages_update_the_same_events(app, client, world):
    from hubs.series.services import SeriesChange, cancel_series, change_series

    series_id = _book(app, world)
    with app.app_context():
        change_series(
            series_id,
            "all",
            None,
            SeriesChange(start_time=time(10), end_time=time(12)),
            principal(world.booker),
        )
    feed = read(client.get(make_feed(app, world.booker, "mine")).data)
    changed = _events(queued_mail(app, world.booker.email)[-1])
    assert set(changed) <= set(feed)
    for key, event in changed.items():
        assert event.local_start == "10:00" and event.sequence == feed[key].sequence > 0
    with app.app_context():
        cancel_series(series_id, "all", None, principal(world.booker))
    mails = queued_mail(app, world.booker.email)
    assert mails[-1].kind == "booking.series_cancelled"
    cancelled = _events(mails[-1])
    assert set(cancelled) == set(changed)
    assert {event.status for event in cancelled.values()} == {"CANCELLED"}
