"""The "Calendar feeds" page: make a link (https and webcal, shown once), renew it,
stop it; only calendars the user may follow are offered or accepted."""

from __future__ import annotations

import re

import pytest

from tests.calendar.helpers import read
from tests.helpers import main_of, path_of

PAGE = "/profile/calendar-feeds"


@pytest.fixture
def app_config():
    # Feed links are built on HUBS_BASE_URL, which is https in production.
    return {"BASE_URL": "https://hubs.test"}


def _links(html: str) -> tuple[str, str]:
    https = re.search(r'value="(https?://[^"]+/feeds/[^"]+\.ics)"', html)
    webcal = re.search(r'value="(webcal://[^"]+/feeds/[^"]+\.ics)"', html)
    assert https and webcal, html
    return https.group(1), webcal.group(1)


def _feed_id(app, user_id: int) -> int:
    from sqlalchemy import select

    from hubs.calendar.models import CalendarFeed
    from hubs.extensions import db

    with app.app_context():
        return db.session.scalar(select(CalendarFeed.id).where(CalendarFeed.user_id == user_id))


def test_a_booker_makes_a_hub_feed_and_gets_https_and_webcal_links(app, client, login, world):
    login(client, world.booker)
    page = client.get(PAGE)
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = main_of(page)
    assert "Agenda-abonnementen" in html and world.hub.name in html
    assert world.outsider.name not in html  # an organisation they have nothing to do with
    made = client.post_form(PAGE, {"calendar": f"hub:{world.hub.id}"})
    assert made.status_code == 201 and made.headers["Cache-Control"] == "no-store"
    assert made.mimetype == "text/html"
    https, webcal = _links(made.get_data(as_text=True))
    assert https.startswith("https://") and webcal == "webcal://" + https.split("://", 1)[1]
    assert f"Hubs – {world.hub.name}" in main_of(made)
    response = client.get(path_of(https))
    assert response.status_code == 200 and read(response.data) == {}
    # The link is shown once: the page lists the feed, not its secret.
    again = client.get(PAGE).get_data(as_text=True)
    assert path_of(https) not in again and f"Hubs – {world.hub.name}" in again


def test_renewing_on_the_page_gives_a_new_link_and_kills_the_old(app, client, login, world):
    login(client, world.booker)
    old, _webcal = _links(client.post_form(PAGE, {"calendar": "mine"}).get_data(as_text=True))
    feed_id = _feed_id(app, world.booker.id)
    assert client.post_form(f"{PAGE}/{feed_id}/renew").status_code == 400  # not confirmed
    assert client.get(path_of(old)).status_code == 200
    renewed = client.post_form(f"{PAGE}/{feed_id}/renew", {"confirm": "yes"})
    assert renewed.status_code == 200
    new, _webcal = _links(renewed.get_data(as_text=True))
    assert new != old
    assert client.get(path_of(old)).status_code == 404
    assert client.get(path_of(new)).status_code == 200


def test_stopping_a_feed_on_the_page(app, client, login, world):
    login(client, world.booker)
    link, _webcal = _links(client.post_form(PAGE, {"calendar": "mine"}).get_data(as_text=True))
    feed_id = _feed_id(app, world.booker.id)
    stopped = client.post_form(f"{PAGE}/{feed_id}/revoke", {"confirm": "yes"})
    assert stopped.status_code == 302
    page = client.get(PAGE).get_data(as_text=True)
    assert "werkt niet meer" in page and "U heeft nog geen agenda-abonnementen" in page
    assert client.get(path_of(link)).status_code == 404


def test_a_calendar_one_may_not_follow_is_refused_at_the_field(app, client, login, world):
    login(client, world.outsider_booker)
    for value in (f"hub:{world.hub.id}", f"organisation:{world.org.id}", "hub:999999", ""):
        response = client.post_form(PAGE, {"calendar": value})
        assert response.status_code == 422
        html = main_of(response)
        assert 'class="error-summary"' in html or "error-summary" in html
    assert _feed_id(app, world.outsider_booker.id) is None
    assert client.post_form(PAGE, {"calendar": "planet:3"}).status_code == 422


def test_the_page_is_in_english_too(app, client, login, world, make):
    user = make.user(("booker", world.org), locale="en")
    login(client, user)
    html = main_of(client.get(PAGE))
    assert "Calendar feeds" in html and "Make link" in html
