"""A weekly booking at 09:00 from March to November 2026 — through the clock change of
29 March and of 25 October — with one occurrence cancelled and one moved, read back from
every calendar Hubs writes (download, API, mail attachment, feeds) by independent parsers
and compared with the database instant by instant."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from hubs.booking import services
from hubs.extensions import db
from hubs.mail.models import OutboxMessage
from hubs.mail.services import compose_pending
from tests.booking.helpers import AMS, at, booking_input, principal
from tests.calendar.helpers import bundles, make_feed, read, uid

FIRST = date(2026, 3, 3)  # a Tuesday
WEEKS = 36  # until 3 November 2026: both clock changes inside
CANCELLED_DAY = date(2026, 4, 7)
MOVED_DAY = date(2026, 10, 27)
MOVED_TO = ("2026-10-29", "14:00", "15:30")
SECRET_NOTE = "Let op: Jan Jansen heeft een gehoorbeschermer nodig"


def _tuesdays() -> list[date]:
    return [FIRST + timedelta(weeks=n) for n in range(WEEKS)]


@pytest.fixture
def series(app, world):
    """The weekly series of organisation A (laser) and, at the same times, organisation
    B (second laser); A's cancelled and moved occurrences. Until series (issue 6) exist
    these are weekly bookings made through the booking services."""
    ids: dict[date, int] = {}
    with app.app_context():
        for day in _tuesdays():
            when = (at(day.isoformat(), "09:00"), at(day.isoformat(), "10:00"))
            lead = services.book(
                booking_input([world.laser], *when, notes=SECRET_NOTE), principal(world.booker)
            )
            ids[day] = lead.id
            services.book(
                booking_input([world.laser2], *when, group_name="Team frezen", level=None),
                principal(world.other_booker),
            )
        services.cancel_booking(ids[CANCELLED_DAY], principal(world.booker), "Toetsweek")
        day, start, end = MOVED_TO
        services.change_booking(
            ids[MOVED_DAY],
            services.BookingChange(start=at(day, start), end=at(day, end)),
            principal(world.booker),
        )
    return ids


def _check_against_database(events, leads):
    assert set(events) == {uid(lead.id) for lead in leads}
    for lead in leads:
        event = events[uid(lead.id)]
        assert (event.start, event.end) == (lead.start_at, lead.end_at)
        assert event.sequence == lead.version - 1
        expected = "CANCELLED" if not lead.is_active else "CONFIRMED"
        assert event.status == expected


def test_my_feed_reads_back_every_occurrence_at_its_local_time(app, client, world, series):
    response = client.get(make_feed(app, world.booker, "mine"))
    assert response.status_code == 200
    assert response.content_type == "text/calendar; charset=utf-8"
    events = read(response.data)
    leads = bundles(app, booked_by_id=world.booker.id)
    assert len(leads) == WEEKS
    _check_against_database(events, leads)
    by_day = {e.start.astimezone(AMS).date(): e for e in events.values()}
    for day in _tuesdays():
        if day == MOVED_DAY:
            continue
        # 09:00 on the wall clock before, between and after both clock changes.
        assert by_day[day].local_start == "09:00"
    assert by_day[date(2026, 3, 24)].start.hour == 8  # UTC+1
    assert by_day[date(2026, 3, 31)].start.hour == 7  # UTC+2 after 29 March
    assert by_day[date(2026, 10, 20)].start.hour == 7
    assert by_day[date(2026, 11, 3)].start.hour == 8  # UTC+1 again after 25 October
    cancelled = by_day[CANCELLED_DAY]
    assert cancelled.status == "CANCELLED" and cancelled.sequence == 1
    moved = by_day[date(2026, 10, 29)]
    assert moved.uid == uid(series[MOVED_DAY]) and moved.local_start == "14:00"
    assert moved.sequence == 1 and MOVED_DAY not in by_day


def test_each_booking_downloads_as_the_same_event(app, client, login, world, series):
    login(client, world.booker)
    feed = read(client.get(make_feed(app, world.booker, "mine")).data)
    for day in (date(2026, 3, 24), date(2026, 3, 31), CANCELLED_DAY, MOVED_DAY, date(2026, 11, 3)):
        booking_id = series[day]
        response = client.get(f"/bookings/{booking_id}.ics")
        assert response.status_code == 200
        assert response.headers["Content-Disposition"] == (
            f'attachment; filename="booking-{booking_id}.ics"'
        )
        text = response.get_data(as_text=True)
        assert "METHOD:PUBLISH\r\n" in text and "RRULE" not in text
        events = read(text)
        assert list(events) == [uid(booking_id)]
        single = events[uid(booking_id)]
        shared = feed[uid(booking_id)]
        assert (single.start, single.end, single.status, single.sequence) == (
            shared.start,
            shared.end,
            shared.status,
            shared.sequence,
        )
        assert single.location == f"{world.hub.name}, {world.hub.address}"
        assert "3K-PIE" in single.summary and SECRET_NOTE not in text


def test_the_api_gives_the_same_file(app, client, world, series, api_headers):
    booking_id = series[date(2026, 10, 20)]
    headers = api_headers(world.booker)
    response = client.get(f"/api/v1/bookings/{booking_id}.ics", headers=headers)
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    event = read(response.data)[uid(booking_id)]
    assert event.local_start == "09:00" and event.start.hour == 7
    other = bundles(app, organisation_id=world.other_org.id)[0]
    assert client.get(f"/api/v1/bookings/{other.id}.ics", headers=headers).status_code == 404
    assert client.get(f"/api/v1/bookings/{booking_id}.ics").status_code == 401


def test_a_hub_feed_seen_by_two_organisations(app, client, world, series):
    ours = {lead.id for lead in bundles(app, organisation_id=world.org.id)}
    theirs = {lead.id for lead in bundles(app, organisation_id=world.other_org.id)}
    views = (
        (world.booker, ours, theirs, "3K-PIE", ["Team frezen", world.other_org.name]),
        (world.other_booker, theirs, ours, "Team frezen", ["3K-PIE", world.org.name]),
    )
    for viewer, own, other, own_group, hidden in views:
        text = client.get(make_feed(app, viewer, "hub", world.hub)).get_data(as_text=True)
        events = read(text)
        _check_against_database(events, bundles(app))
        for booking_id in own:
            assert own_group in events[uid(booking_id)].summary
        for booking_id in other:
            event = events[uid(booking_id)]
            assert event.summary in ("Bezet", "Geannuleerd: Bezet")
            assert event.raw.get("URL") is None
            assert (
                event.description
                == f"{world.laser.name if booking_id in ours else world.laser2.name} is geboekt bij {world.hub.name}."
            )
        # Of the other organisation only its machine and times; no person's name ever.
        for secret in [*hidden, "Jan Jansen", world.booker.name, world.other_booker.name]:
            assert secret not in text


def test_the_coordinator_sees_everything_in_full_and_no_notes(app, client, world, series):
    text = client.get(make_feed(app, world.coordinator, "hub", world.hub)).get_data(as_text=True)
    events = read(text)
    _check_against_database(events, bundles(app))
    assert all("Bezet" not in e.summary for e in events.values())
    assert "Team frezen" in text and "3K-PIE" in text
    assert "Jan Jansen" not in text


def test_resource_and_organisation_feeds(app, client, world, series):
    resource = read(client.get(make_feed(app, world.other_booker, "resource", world.laser)).data)
    _check_against_database(resource, bundles(app, resource_id=world.laser.id))
    assert {e.summary for e in resource.values()} <= {"Bezet", "Geannuleerd: Bezet"}
    organisation = read(client.get(make_feed(app, world.booker, "organisation", world.org)).data)
    _check_against_database(organisation, bundles(app, organisation_id=world.org.id))


def test_feed_header_says_its_name_and_how_often_to_look(app, client, world, series):
    text = client.get(make_feed(app, world.booker, "hub", world.hub)).get_data(as_text=True)
    assert f"NAME:Hubs – {world.hub.name}\r\n" in text
    assert f"X-WR-CALNAME:Hubs – {world.hub.name}\r\n" in text
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in text
    assert "X-PUBLISHED-TTL:PT1H\r\n" in text
    assert "METHOD:PUBLISH\r\n" in text and "RRULE" not in text
    calendar = read(text)
    assert len(calendar) == 2 * WEEKS


def test_cancelled_occurrences_stay_thirty_days(app, client, world, series, clock):
    url = make_feed(app, world.booker, "mine")
    with app.app_context():
        later = services.book(
            booking_input([world.laser], at("2026-06-05", "09:00"), at("2026-06-05", "10:00")),
            principal(world.booker),
        )
        services.cancel_booking(later.id, principal(world.booker))
    clock.shift(timedelta(days=29))
    assert read(client.get(url).data)[uid(later.id)].status == "CANCELLED"
    clock.shift(timedelta(days=2))
    events = read(client.get(url).data)
    assert uid(later.id) not in events
    assert uid(series[date(2026, 5, 5)]) in events  # active ones stay


def test_mail_attachments_match_the_feed(app, client, world, series):
    from hubs.mail.services import build_email

    feed = read(client.get(make_feed(app, world.booker, "mine")).data)
    with app.app_context():
        compose_pending()
        mails = list(
            db.session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.to_address == world.booker.email)
                .order_by(OutboxMessage.id)
            )
        )
        kinds = [m.kind for m in mails]
        assert kinds.count("booking.confirmed") == WEEKS
        assert kinds[-2:] == ["booking.cancelled", "booking.moved"]
        for mail in mails:
            (attachment,) = mail.attachments
            assert attachment["content_type"] == "text/calendar; method=PUBLISH"
            events = read(attachment["content"])
            (event,) = events.values()
            assert event.uid in feed
        cancelled = read(mails[-2].attachments[0]["content"])[uid(series[CANCELLED_DAY])]
        assert cancelled.status == "CANCELLED"
        moved = read(mails[-1].attachments[0]["content"])[uid(series[MOVED_DAY])]
        assert moved.local_start == "14:00" and moved.sequence == feed[moved.uid].sequence
        message = build_email(
            {
                "id": mails[-1].id,
                "to": mails[-1].to_address,
                "subject": mails[-1].subject,
                "text": mails[-1].body_text,
                "html": mails[-1].body_html,
                "locale": "nl",
                "attachments": mails[-1].attachments,
                "created_at": mails[-1].created_at,
            }
        )
    (part,) = list(message.iter_attachments())
    assert part.get_content_type() == "text/calendar"
    assert part.get_param("method") == "PUBLISH" and part.get_filename().endswith(".ics")
    assert read(part.get_payload(decode=True))[uid(series[MOVED_DAY])].local_start == "14:00"


def test_a_request_is_tentative_and_its_approval_a_new_sequence(app, client, world):
    from hubs.booking import configuration

    with app.app_context():
        configuration.save_settings(
            world.hub.id,
            configuration.SettingsInput(False, True, 24, 72, False, "midden", []),
            principal(world.coordinator),
        )
        lead = services.book(
            booking_input([world.laser], at("2026-03-10", "09:00"), at("2026-03-10", "10:00")),
            principal(world.booker),
        )
    url = make_feed(app, world.booker, "mine")
    event = read(client.get(url).data)[uid(lead.id)]
    assert event.status == "TENTATIVE" and event.summary.startswith("Aangevraagd: ")
    with app.app_context():
        services.approve(lead.id, principal(world.coordinator))
    event = read(client.get(url).data)[uid(lead.id)]
    assert event.status == "CONFIRMED" and event.sequence == 1
