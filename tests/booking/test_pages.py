"""The booking pages as people see them: the week view, the form, lists, one booking, the
coordinator's day, settings and "free anywhere"."""

from __future__ import annotations

import re
from datetime import time

from sqlalchemy import select

from hubs.booking import configuration, services
from hubs.booking.models import Booking, BookingStatus, Closure
from hubs.db import write_transaction
from hubs.extensions import db
from tests.booking.helpers import at, booking_input, principal, raw_booking
from tests.helpers import PASSWORD

TUE = "2026-03-03"


def _client(app, login, user):
    client = app.test_client()
    login(client, user, PASSWORD)
    return client


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_week_view_shows_every_state_with_accessible_names(app, world, login):
    raw_booking(
        app, world.laser, world.org, at(TUE, "09:00"), at(TUE, "10:00"), group_name="3K-PIE"
    )
    raw_booking(
        app,
        world.laser,
        world.other_org,
        at(TUE, "13:00"),
        at(TUE, "14:00"),
        group_name="Geheim team",
    )
    with app.app_context(), write_transaction():
        db.session.add(
            Closure(
                hub_id=world.hub.id,
                starts_at=at("2026-03-05", "00:00"),
                ends_at=at("2026-03-06", "00:00"),
                reason="Studiedag",
            )
        )
    html = (
        _client(app, login, world.booker)
        .get(f"/hubs/{world.hub.id}/week?date=2026-03-04")
        .get_data(as_text=True)
    )
    assert "week 10" in html and "<script" not in html
    text = _text(html)
    assert "Lasersnijder 1, di 3 mrt 09:00–10:00, uw boeking: 3K-PIE" in text
    assert "Lasersnijder 1, di 3 mrt 13:00–14:00, bezet" in text
    assert "Geheim team" not in html and "Kromwijk" not in html
    assert "Lasersnijder 1, do 5 mrt 08:00–17:00, gesloten: Studiedag" in text
    assert "Boek: Lasersnijder 1, di 3 mrt 10:00–13:00, vrij" in text
    # Monday before 09:00 has passed; the rest of Monday is free.
    assert "Lasersnijder 1, ma 2 mrt 08:00–09:00, voorbij" in text
    link = re.search(
        r'href="(/hubs/\d+/book\?[^"]+)"><span class="visually-hidden">Boek: Lasersnijder 1, di 3 mrt 10:00',
        html,
    )
    assert link and "start=10:00" in link.group(1) and "end=13:00" in link.group(1)
    assert f"resource_id={world.laser.id}" in link.group(1) and "date=2026-03-03" in link.group(1)
    for state in ("seg--free", "seg--mine", "seg--busy", "seg--closed", "seg--past"):
        assert state in html
    coordinator = _text(
        _client(app, login, world.coordinator)
        .get(f"/hubs/{world.hub.id}/week?date=2026-03-03")
        .get_data(as_text=True)
    )
    assert "geboekt: Kromwijk Machinebouw: Geheim team" in coordinator


def test_outside_hours_and_named_periods(app, make, login, clock):
    from tests.booking.helpers import build_world

    world = build_world(
        make,
        hours={
            **{d: [(time(8, 30), time(16, 30))] for d in range(4)},
            4: [(time(8, 30), time(12, 0))],
        },
    )
    with app.app_context():
        coordinator = principal(world.coordinator)
        for name, start, end in [
            ("1e-2e uur", time(8, 30), time(10, 10)),
            ("3e-4e uur", time(10, 25), time(12, 5)),
            ("5e-6e uur", time(12, 35), time(14, 15)),
        ]:
            configuration.add_slots(world.hub.id, [0, 1, 2, 3, 4], name, start, end, coordinator)
        configuration.save_settings(
            world.hub.id,
            configuration.SettingsInput(True, False, 24, 72, False, "midden", []),
            coordinator,
        )
        services.book(
            booking_input([world.laser], at(TUE, "10:25"), at(TUE, "12:05")),
            principal(world.booker),
        )
    text = _text(
        _client(app, login, world.booker)
        .get(f"/hubs/{world.hub.id}/week?date={TUE}")
        .get_data(as_text=True)
    )
    assert "Boek: Lasersnijder 1, di 3 mrt 1e-2e uur 08:30–10:10, vrij" in text
    assert "Lasersnijder 1, di 3 mrt 3e-4e uur 10:25–12:05, uw boeking: 3K-PIE" in text
    assert "Lasersnijder 1, vr 6 mrt 5e-6e uur 12:35–14:15, buiten openingstijden" in text


def test_booking_through_the_form(app, world, login):
    client = _client(app, login, world.booker)
    form = client.get(
        f"/hubs/{world.hub.id}/book?resource_id={world.laser.id}&date={TUE}&start=10:00&end=11:00"
    )
    html = form.get_data(as_text=True)
    assert form.status_code == 200
    assert 'value="10:00"' in html and 'value="2026-03-03"' in html
    assert re.search(
        rf'<input checked id="resource_ids-\d" name="resource_ids" type="checkbox" value="{world.laser.id}">',
        html,
    )
    data = {
        "organisation_id": world.org.id,
        "resource_ids": [world.room.id, world.laser.id],
        "date": TUE,
        "start": "10:00",
        "end": "11:00",
        "group_name": "3K-PIE",
        "group_size": 24,
        "learner_category": "vo",
        "level": "vmbo-kb",
        "purpose": "Sleutelhanger",
        "notes": "",
    }
    done = client.post_form(f"/hubs/{world.hub.id}/book", data)
    assert done.status_code == 302
    detail = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "Geboekt. U krijgt een bevestiging per e-mail." in detail
    assert "Lokaal Techniek 1, Lasersnijder 1" in detail and "bevestigd" in detail
    again = client.post_form(f"/hubs/{world.hub.id}/book", data)
    assert again.status_code == 409
    assert "Lokaal Techniek 1 is al bezet van 3 mrt 10:00 tot 11:00" in again.get_data(as_text=True)
    bad = client.post_form(
        f"/hubs/{world.hub.id}/book", {**data, "group_size": 40, "start": "10:00", "end": "09:00"}
    )
    page = bad.get_data(as_text=True)
    assert bad.status_code == 422 and 'class="error-summary"' in page
    assert "Het einde moet na het begin liggen." in page and "Te veel personen" in page
    with app.app_context():
        assert len(db.session.scalars(select(Booking)).all()) == 2


def test_people_who_may_not_book_here_get_403(app, world, login, make):
    other = make.organisation("company", hubs=(make.hub(),))
    stranger = make.user(("booker", other))
    assert _client(app, login, stranger).get(f"/hubs/{world.hub.id}/book").status_code == 403
    assert (
        _client(app, login, world.outsider_booker).get(f"/hubs/{world.hub.id}/week").status_code
        == 200
    )


def test_lists_detail_and_history(app, world, login):
    with app.app_context():
        mine = services.book(
            booking_input([world.laser], at(TUE, "09:00"), at(TUE, "10:00")),
            principal(world.booker),
        )
        theirs = services.book(
            booking_input(
                [world.laser2], at(TUE, "09:00"), at(TUE, "10:00"), group_name="Team Kromwijk"
            ),
            principal(world.other_booker),
        )
        services.change_booking(
            mine.id, services.BookingChange(group_size=3), principal(world.booker)
        )
    booker = _client(app, login, world.booker)
    listing = booker.get("/bookings").get_data(as_text=True)
    assert "3K-PIE" in listing and "Team Kromwijk" not in listing
    assert booker.get(f"/bookings/{theirs.id}").status_code == 404
    detail = booker.get(f"/bookings/{mine.id}").get_data(as_text=True)
    assert "Geschiedenis" not in detail and "Boeking annuleren" in detail
    coordinator = _client(app, login, world.coordinator)
    everything = coordinator.get("/bookings").get_data(as_text=True)
    assert "3K-PIE" in everything and "Team Kromwijk" in everything
    only = coordinator.get(
        f"/bookings?when=upcoming&organisation_id={world.other_org.id}"
    ).get_data(as_text=True)
    assert "Team Kromwijk" in only and "3K-PIE" not in only
    history = _text(coordinator.get(f"/bookings/{mine.id}").get_data(as_text=True))
    assert "Geschiedenis" in history and "Anouk de Vries" in history
    assert "aantal personen: van 4 naar 3" in history and "geboekt" in history


def test_cancel_from_the_booking_page(app, world, login):
    with app.app_context():
        mine = services.book(
            booking_input([world.laser], at(TUE, "09:00"), at(TUE, "10:00")),
            principal(world.booker),
        )
    client = _client(app, login, world.booker)
    done = client.post_form(f"/bookings/{mine.id}/cancel", {"reason": "Excursie gaat niet door"})
    assert done.status_code == 302
    page = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "De boeking is geannuleerd" in page and "Excursie gaat niet door" in page
    assert (
        _client(app, login, world.other_booker)
        .post_form(f"/bookings/{mine.id}/cancel", {})
        .status_code
        == 404
    )


def test_the_coordinators_day(app, world, login, clock):
    with app.app_context():
        configuration.save_settings(
            world.hub.id,
            configuration.SettingsInput(False, False, 24, 72, False, "midden", [world.laser2.id]),
            principal(world.coordinator),
        )
        services.book(
            booking_input(
                [world.room],
                at("2026-03-02", "13:00"),
                at("2026-03-02", "15:00"),
                group_name="2B",
                group_size=20,
            ),
            principal(world.booker),
        )
        services.book(
            booking_input([world.laser], at(TUE, "09:00"), at(TUE, "10:00"), group_name="3K-PIE"),
            principal(world.booker),
        )
        old = services.book(
            booking_input(
                [world.laser2],
                at("2026-03-10", "09:00"),
                at("2026-03-10", "10:00"),
                group_name="Eerste aanvraag",
            ),
            principal(world.booker),
        )
        clock.shift(60)
        services.book(
            booking_input(
                [world.laser2],
                at("2026-03-09", "09:00"),
                at("2026-03-09", "10:00"),
                group_name="Tweede aanvraag",
            ),
            principal(world.other_booker),
        )
        with write_transaction():
            db.session.add(
                Closure(
                    hub_id=world.hub.id,
                    starts_at=at(TUE, "00:00"),
                    ends_at=at("2026-03-04", "00:00"),
                    reason="Studiedag",
                )
            )
    client = _client(app, login, world.coordinator)
    start = _text(client.get("/").get_data(as_text=True))  # the start page shows the day
    assert "Vandaag, maandag 2 maart 2026" in start and "Eerste aanvraag" in start
    text = _text(client.get("/day").get_data(as_text=True))
    assert "Vandaag, maandag 2 maart 2026" in text
    assert "13:00–15:00 Groene Hart College 2B" in text
    assert "09:00–10:00 Groene Hart College 3K-PIE" in text
    assert text.index("Eerste aanvraag") < text.index("Tweede aanvraag")
    assert "1 boeking bij Hub" in text and "geraakt door een sluiting" in text
    approved = client.post_form(f"/bookings/{old.id}/approve", {"next": "/day"})
    assert approved.headers["Location"].endswith("/day")
    with app.app_context():
        assert db.session.get(Booking, old.id).status == BookingStatus.CONFIRMED
    assert _client(app, login, world.booker).get("/day").status_code == 403


def test_settings_and_periods_pages(app, world, login):
    client = _client(app, login, world.coordinator)
    url = f"/hubs/{world.hub.id}/booking-settings"
    assert client.get(url).status_code == 200
    saved = client.post_form(
        url,
        {
            "approval_required": "y",
            "approval_resource_ids": [world.laser.id],
            "cancel_deadline_hours": 48,
            "request_expiry_hours": 24,
            "holiday_region": "midden",
            "close_on_school_holidays": "y",
        },
    )
    assert saved.status_code == 302
    bad = client.post_form(
        url, {"cancel_deadline_hours": 1000, "request_expiry_hours": 0, "holiday_region": "midden"}
    )
    assert bad.status_code == 422 and "error-summary" in bad.get_data(as_text=True)
    added = client.post_form(
        f"/hubs/{world.hub.id}/slots",
        {"weekdays": [0, 1], "name": "1e uur", "starts_at": "08:30", "ends_at": "09:20"},
    )
    assert added.status_code == 302
    overlap = client.post_form(
        f"/hubs/{world.hub.id}/slots",
        {"weekdays": [1], "name": "x", "starts_at": "09:00", "ends_at": "10:00"},
    )
    assert overlap.status_code == 422 and "overlapt met 1e uur" in overlap.get_data(as_text=True)
    page = client.get(url).get_data(as_text=True)
    assert "1e uur 08:30–09:20" in page
    with app.app_context():
        settings = configuration.approval_resource_ids(world.hub.id)
        assert settings == [world.laser.id]
        from hubs.booking.calendar import hub_settings, slots_by_weekday

        s = hub_settings(world.hub.id)
        assert (s.approval_required, s.cancel_deadline_hours, s.close_on_school_holidays) == (
            True,
            48,
            True,
        )
        slot_id = slots_by_weekday(world.hub.id)[0][0].id
    assert client.post_form(f"/slots/{slot_id}/delete", {"confirm": "yes"}).status_code == 302
    with app.app_context():
        assert len(slots_by_weekday(world.hub.id)[0]) == 0


def test_free_anywhere_finds_a_free_laser_cutter_on_thursday_afternoon(app, world, login, make):
    other_hub = make.hub(name="MAKE Center")
    make.resource(other_hub, name="Lasersnijder Trotec", licence_type="laser")
    make.resource(other_hub, name="CNC-frees")
    raw_booking(
        app, world.laser, world.other_org, at("2026-03-05", "12:00"), at("2026-03-05", "17:00")
    )
    client = _client(app, login, world.booker)
    html = client.get("/free?q=laser&day=2026-03-05&part=afternoon").get_data(as_text=True)
    text = _text(html)
    assert "Lasersnijder 2" in text and "Lasersnijder Trotec" in text and "CNC-frees" not in text
    assert "Boek Lasersnijder 2, do 5 mrt 12:30–17:00" in text
    assert "Boek Lasersnijder 1" not in text
    assert "Uw organisatie is geen lid van deze hub." in text
