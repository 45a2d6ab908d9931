"""The feed as calendar apps fetch it: ETag and 304, a fixed number of queries however
many bookings, and the token kept out of every log line."""

from __future__ import annotations

import logging
import threading
import urllib.error
import urllib.request
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event

from hubs.extensions import db
from tests.booking.helpers import at, booking_input, principal, raw_booking
from tests.calendar.helpers import make_feed, parse, read, uid


def _book(app, world, day="2026-03-10", start="09:00", end="10:00"):
    from hubs.booking import services

    with app.app_context():
        return services.book(
            booking_input([world.laser], at(day, start), at(day, end)), principal(world.booker)
        ).id


def test_an_unchanged_feed_answers_304_and_a_change_gives_a_new_etag(app, client, world):
    booking_id = _book(app, world)
    url = make_feed(app, world.booker, "mine")
    first = client.get(url)
    tag = first.headers["ETag"]
    assert first.status_code == 200 and tag
    again = client.get(url, headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == tag
    assert client.get(url, headers={"If-None-Match": '"something-else"'}).status_code == 200
    # As sent back through a proxy that compressed the feed (and so weakened its tag).
    weak = client.get(url, headers={"If-None-Match": f'"other", W/{tag}'})
    assert weak.status_code == 304

    from hubs.booking import services

    with app.app_context():
        services.cancel_booking(booking_id, principal(world.booker))
    changed = client.get(url, headers={"If-None-Match": tag})
    assert changed.status_code == 200 and changed.headers["ETag"] != tag
    assert read(changed.data)[uid(booking_id)].status == "CANCELLED"


def test_the_etag_follows_the_owners_language(app, client, world):
    from hubs.accounts.models import User
    from hubs.accounts.services import set_locale

    _book(app, world)
    url = make_feed(app, world.booker, "mine")
    dutch = client.get(url)
    with app.app_context():
        set_locale(db.session.get(User, world.booker.id), "en")
    english = client.get(url, headers={"If-None-Match": dutch.headers["ETag"]})
    assert english.status_code == 200
    assert "Group: 3K-PIE" in english.get_data(as_text=True).replace("\r\n ", "")


@contextmanager
def _counting(app):
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _bookings(app, world, first: int, days: int) -> None:
    start = at("2026-03-03", "08:00")
    for n in range(first, first + days):
        for hour, resource, org in (
            (0, world.laser, world.org),
            (2, world.laser2, world.other_org),
        ):
            begin = start + timedelta(days=n, hours=hour)
            raw_booking(app, resource, org, begin, begin + timedelta(hours=1))


def _queries(app, client, url: str) -> int:
    with _counting(app) as statements:
        assert client.get(url).status_code == 200
    return len(statements)


def test_a_feed_costs_the_same_queries_for_few_or_many_bookings(app, client, world):
    hub_feed = make_feed(app, world.booker, "hub", world.hub)
    laser_feed = make_feed(app, world.other_booker, "resource", world.laser)
    _bookings(app, world, 0, 3)
    few = (_queries(app, client, hub_feed), _queries(app, client, laser_feed))
    _bookings(app, world, 3, 60)
    many = (_queries(app, client, hub_feed), _queries(app, client, laser_feed))
    assert many == few
    assert len(read(client.get(hub_feed).data)) == 2 * 63


def test_a_year_of_a_busy_hub_reads_back_completely(app, client, world):
    """Every working day, two bookings on each of two machines for a year: ~1,000 events."""
    from hubs.booking.models import Booking, BookingStatus, LearnerCategory
    from hubs.db import write_transaction

    with app.app_context(), write_transaction():
        day = at("2026-03-02", "08:00")
        rows = []
        for n in range(365):
            if (day + timedelta(days=n)).weekday() >= 5:
                continue
            for slot in range(2):
                for resource in (world.laser, world.laser2):
                    begin = day + timedelta(days=n, hours=2 * slot)
                    rows.append(
                        Booking(
                            hub_id=world.hub.id,
                            resource_id=resource.id,
                            organisation_id=world.org.id,
                            start_at=begin,
                            end_at=begin + timedelta(hours=1),
                            status=BookingStatus.CONFIRMED,
                            group_name="2B",
                            group_size=2,
                            learner_category=LearnerCategory.VO,
                        )
                    )
        db.session.add_all(rows)
        db.session.flush()
        for row in rows:
            row.bundle_id = row.id
        expected = len(rows)
    url = make_feed(app, world.coordinator, "hub", world.hub)
    with _counting(app) as statements:
        response = client.get(url)
    assert response.status_code == 200 and len(statements) < 15
    events = parse(response.data).walk("VEVENT")
    assert len({str(e["UID"]) for e in events}) == len(events) == expected


@pytest.fixture
def server(app):
    """The app behind Werkzeug's real development server (which logs each request)."""
    from werkzeug.serving import make_server

    httpd = make_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    thread.join()


def _fetch(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def test_feed_tokens_never_reach_the_logs(app, world, server, caplog):
    caplog.set_level(logging.DEBUG)
    url = make_feed(app, world.booker, "mine")
    token = url.removeprefix("/feeds/").removesuffix(".ics")
    assert _fetch(server + url) == 200
    assert _fetch(server + "/feeds/" + token[::-1] + ".ics") == 404
    # The request lines were logged, with the token replaced.
    request_lines = [r.getMessage() for r in caplog.records if r.name == "werkzeug"]
    assert sum("/feeds/[redacted].ics" in line for line in request_lines) == 2
    # The app's own logger (an unhandled error names the path), a proxy server's access
    # log and any other logger written through the root's handlers are redacted too.
    app.logger.error("unhandled error on %s %s", "GET", url)
    logging.getLogger("gunicorn.access").info('"GET %s HTTP/1.1" 200', url)
    logging.getLogger("hubs.anything").warning("fetching %s", url)
    text = caplog.text + "".join(r.getMessage() for r in caplog.records)
    assert token not in text and token[::-1] not in text
    assert text.count("/feeds/[redacted]") >= 5


def test_the_security_log_records_feed_changes_without_the_token(app, world):
    from hubs.calendar import services
    from hubs.calendar.models import CalendarFeed
    from tests.helpers import security_events

    url = make_feed(app, world.booker, "mine")
    with app.app_context():
        feed_id = db.session.scalar(db.select(CalendarFeed.id))
        token, _feed = services.renew_feed(feed_id, world.booker.id)
        services.revoke_feed(feed_id, world.booker.id)
    logged = [e.event for e in security_events(app) if e.event.startswith("calendar_feed.")]
    assert logged == [
        "calendar_feed.created",
        "calendar_feed.renewed",
        "calendar_feed.revoked",
    ]
    everything = repr([vars(e) for e in security_events(app)])
    assert token not in everything and url.split("/")[-1][:-4] not in everything
