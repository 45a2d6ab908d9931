"""Feeds are made of sources: another kind of occurrence (course sessions, issue 7) plugs
in next to bookings and shows up in every feed, in start order, with its VTIMEZONE and
its own part of the ETag."""

from __future__ import annotations

from datetime import timedelta

from hubs.calendar import feeds, ics
from tests.booking.helpers import at, booking_input, principal
from tests.calendar.helpers import make_feed, read, uid


def test_a_second_source_shows_up_in_the_feed_and_its_etag(app, client, world, monkeypatch):
    from hubs.booking import services
    from hubs.calendar.events import occurrence_uid

    version = {"n": 1}
    start = at("2026-10-27", "19:00")  # after the October clock change

    def events(feed, p, window):
        assert window.since <= start < window.until
        return [
            ics.CalendarEvent(
                uid=occurrence_uid("course-session", 7),
                sequence=version["n"] - 1,
                start=start,
                end=start + timedelta(hours=2),
                tzid="Europe/Amsterdam",
                summary="CNC-frezen basis (2/3)",
                stamp=start - timedelta(days=30),
                location="MAKE Center, Nieuwegein",
            )
        ]

    monkeypatch.setitem(
        feeds._sources,
        "course_session",
        feeds.FeedSource("course_session", events, lambda feed, p, window: version["n"]),
    )
    with app.app_context():
        booking = services.book(
            booking_input([world.laser], at("2026-03-10", "09:00"), at("2026-03-10", "10:00")),
            principal(world.booker),
        )
    url = make_feed(app, world.booker, "mine")
    first = client.get(url)
    found = read(first.data)
    assert list(found) == [uid(booking.id), "course-session-7@hubs.test"]
    session = found["course-session-7@hubs.test"]
    assert session.local_start == "19:00" and session.start.hour == 18  # UTC+1 again
    assert client.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    version["n"] = 2  # the session moved
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200
    assert read(again.data)["course-session-7@hubs.test"].sequence == 1
