"""The series pages as people see them: "repeat every week" on the booking form with a
preview first, the series page, changing and cancelling dates, the coordinator deciding."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from hubs.booking import configuration
from hubs.booking.models import Booking
from hubs.extensions import db
from hubs.series.models import BookingSeries
from tests.booking.helpers import at, principal, raw_booking
from tests.helpers import PASSWORD


def _client(app, login, user):
    client = app.test_client()
    login(client, user, PASSWORD)
    return client


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _form(world, **kw):
    data = {
        "organisation_id": world.org.id,
        "resource_ids": [world.laser.id],
        "date": "2026-04-14",
        "start": "09:00",
        "end": "11:00",
        "group_name": "3K-PIE",
        "group_size": 4,
        "learner_category": "vo",
        "level": "vmbo-kb",
        "purpose": "Sleutelhanger",
        "notes": "",
        "repeat": "weekly",
        "until": "2026-05-19",
        "interval_weeks": 1,
    }
    data.update(kw)
    return data


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_repeat_weekly_shows_a_preview_then_books_the_free_dates(app, world, login):
    raw_booking(
        app, world.laser, world.other_org, at("2026-05-12", "10:00"), at("2026-05-12", "11:00")
    )
    client = _client(app, login, world.booker)
    url = f"/hubs/{world.hub.id}/book"
    preview = client.post_form(url, _form(world))
    page = _text(preview.get_data(as_text=True))
    assert preview.status_code == 200
    assert "Voorbeeld: 6 datums" in page
    assert "4 datums zijn vrij, 1 is bezet of niet mogelijk, 1 wordt overgeslagen" in page
    assert "Schoolvakantie: Meivakantie" in page
    assert "Lasersnijder 1 is bezet" in page
    assert "Er is nog niets geboekt." in page
    assert _count(app, Booking) == 1
    refused = client.post_form(url, _form(world, commit="all"))
    assert refused.status_code == 409
    assert "Er is niets geboekt" in _text(refused.get_data(as_text=True))
    assert _count(app, BookingSeries) == 0
    done = client.post_form(url, _form(world, commit="free"))
    assert done.status_code == 302
    detail = _text(client.get(done.headers["Location"]).get_data(as_text=True))
    assert "4 datums geboekt. U krijgt één e-mail met alle datums." in detail
    assert "elke week op dinsdag" in detail
    assert "overgeslagen" in detail and "niet geboekt" in detail
    assert _count(app, Booking) == 5


def test_the_preview_in_english(app, world, login, make):
    english = make.user(("booker", world.org), locale="en")
    client = _client(app, login, english)
    page = _text(client.post_form(f"/hubs/{world.hub.id}/book", _form(world)).get_data(True))
    assert "Preview: 6 dates" in page and "School holiday: May Break" in page


def test_bad_repeat_input_is_shown_at_the_field(app, world, login):
    client = _client(app, login, world.booker)
    bad = client.post_form(f"/hubs/{world.hub.id}/book", _form(world, until="2026-04-01"))
    page = bad.get_data(as_text=True)
    assert bad.status_code == 422 and 'class="error-summary"' in page
    assert "De laatste datum kan niet voor de eerste datum liggen." in page
    assert _count(app, Booking) == 0


def test_cancel_this_and_following_from_the_series_page(app, world, login):
    client = _client(app, login, world.booker)
    done = client.post_form(
        f"/hubs/{world.hub.id}/book", _form(world, commit="all", until="2026-04-28")
    )
    # 14, 21 and 28 April; 28 April is in the May holiday and skipped.
    assert done.status_code == 302, done.get_data(as_text=True)
    series_url = done.headers["Location"]
    series_id = int(series_url.rstrip("/").split("/")[-1])
    with app.app_context():
        leads = db.session.scalars(
            select(Booking).where(Booking.id == Booking.bundle_id).order_by(Booking.start_at)
        ).all()
        second = leads[1].id
    assert client.post_form(f"/series/{series_id}/cancel", {"scope": "following"}).status_code in (
        400,
        302,
    )
    result = client.post_form(
        f"/series/{series_id}/cancel",
        {"scope": "following", "booking_id": second, "confirm": "yes", "reason": ""},
    )
    assert result.status_code == 302
    page = _text(client.get(series_url).get_data(as_text=True))
    assert "1 datum geannuleerd" in page
    with app.app_context():
        statuses = [
            b.status.value
            for b in db.session.scalars(
                select(Booking).where(Booking.id == Booking.bundle_id).order_by(Booking.start_at)
            )
        ]
    assert statuses == ["confirmed", "cancelled"]


def test_change_the_time_of_all_coming_dates(app, world, login):
    client = _client(app, login, world.booker)
    done = client.post_form(
        f"/hubs/{world.hub.id}/book", _form(world, commit="all", until="2026-04-21")
    )
    series_id = int(done.headers["Location"].rstrip("/").split("/")[-1])
    form = client.get(f"/series/{series_id}/change")
    assert form.status_code == 200
    changed = client.post_form(
        f"/series/{series_id}/change",
        {
            "scope": "all",
            "start_time": "13:00",
            "end_time": "15:00",
            "group_name": "3K-PIE",
            "group_size": 4,
            "learner_category": "vo",
            "level": "vmbo-kb",
            "purpose": "Sleutelhanger",
            "notes": "",
        },
    )
    assert changed.status_code == 302, _text(changed.get_data(as_text=True))[:2000]
    page = _text(client.get(f"/series/{series_id}").get_data(as_text=True))
    assert "2 datums gewijzigd." in page and "13:00" in page
    bad = client.post_form(
        f"/series/{series_id}/change",
        {
            "scope": "all",
            "start_time": "16:00",
            "end_time": "18:00",
            "group_name": "3K-PIE",
            "group_size": 4,
            "learner_category": "vo",
            "level": "vmbo-kb",
        },
    )
    assert bad.status_code == 409, _text(bad.get_data(as_text=True))[:3000]
    assert "Er is niets gewijzigd" in _text(bad.get_data(as_text=True))


def test_the_coordinator_approves_a_series_request_in_one_go(app, world, login):
    with app.app_context():
        configuration.save_settings(
            world.hub.id,
            configuration.SettingsInput(False, False, 24, 72, False, "midden", [world.laser.id]),
            principal(world.coordinator),
        )
    booker = _client(app, login, world.booker)
    done = booker.post_form(
        f"/hubs/{world.hub.id}/book", _form(world, commit="all", until="2026-04-21")
    )
    assert "aanvraag voor 2 datums is verstuurd" in _text(
        booker.get(done.headers["Location"]).get_data(True)
    )
    series_id = int(done.headers["Location"].rstrip("/").split("/")[-1])
    coordinator = _client(app, login, world.coordinator)
    day = _text(coordinator.get("/").get_data(as_text=True))
    assert "3K-PIE" in day
    approved = coordinator.post_form(f"/series/{series_id}/approve", {"reason": ""})
    assert approved.status_code == 302
    page = _text(coordinator.get(f"/series/{series_id}").get_data(as_text=True))
    assert "De reeks is goedgekeurd." in page
    with app.app_context():
        assert {b.status.value for b in db.session.scalars(select(Booking))} == {"confirmed"}


def test_the_series_list_shows_my_series(app, world, login):
    client = _client(app, login, world.booker)
    client.post_form(f"/hubs/{world.hub.id}/book", _form(world, commit="all", until="2026-04-21"))
    page = _text(client.get("/series").get_data(as_text=True))
    assert "3K-PIE" in page
    other = _client(app, login, world.other_booker)
    assert "3K-PIE" not in _text(other.get("/series").get_data(as_text=True))
