"""Thirty people book the same slot at the same moment: exactly one gets it, the others a
clear conflict — never a 500, never "database is locked" — through the real HTTP stack,
with threads and with several worker processes, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import func, select

from hubs.booking.models import Booking
from hubs.extensions import db
from tests.booking.helpers import build_world
from tests.booking.race import at_once, gunicorn, request, threaded_server

RACERS = 30


def _body(world, start="2026-03-03T09:00:00+01:00", end="2026-03-03T10:00:00+01:00"):
    return {
        "resource_ids": [world.room.id, world.laser.id],
        "start": start,
        "end": end,
        "group_name": "3K-PIE",
        "group_size": 4,
        "learner_category": "vo",
    }


def _active(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Booking))


def _assert_one_winner(answers, success: int, conflict: int, conflict_text: str) -> None:
    statuses = Counter(a.status for a in answers)
    assert statuses == {success: 1, conflict: RACERS - 1}, statuses
    for answer in answers:
        assert "database is locked" not in answer.body
        if answer.status == conflict:
            assert conflict_text in answer.body, answer.body[:500]


def test_thirty_api_requests_for_one_slot_book_it_once(app, world, api_headers):
    tokens = [api_headers(world.booker), api_headers(world.other_booker)]
    with threaded_server(app) as port:
        counter = iter(range(RACERS))

        def fire():
            headers = tokens[next(counter) % 2]
            return request(
                port, "POST", "/api/v1/bookings", json_body=_body(world), headers=headers
            )

        answers = at_once(RACERS, fire)
    _assert_one_winner(answers, 201, 409, '"slot_taken"')
    conflicts = [a.json() for a in answers if a.status == 409]
    assert all(c["conflicts"] for c in conflicts), "every 409 lists what holds the slot"
    assert _active(app) == 2  # the room and the laser of the one bundle


def test_thirty_form_posts_for_one_slot_book_it_once(app, world, login):
    from tests.helpers import PASSWORD

    client = app.test_client()
    login(client, world.booker, PASSWORD)
    token = client.csrf_token()
    cookie = client.get_cookie("hubs_session").value
    form = {
        "csrf_token": token,
        "organisation_id": world.org.id,
        "resource_ids": [world.room.id, world.laser.id],
        "date": "2026-03-03",
        "start": "09:00",
        "end": "10:00",
        "group_name": "3K-PIE",
        "group_size": 4,
        "learner_category": "vo",
        "level": "",
    }
    with threaded_server(app) as port:
        answers = at_once(
            RACERS,
            lambda: request(
                port,
                "POST",
                f"/hubs/{world.hub.id}/book",
                form=form,
                headers={"Cookie": f"hubs_session={cookie}"},
            ),
        )
    _assert_one_winner(answers, 302, 409, "is al bezet")
    for answer in answers:
        if answer.status == 409:
            assert 'class="error-summary"' in answer.body
    assert _active(app) == 2


@pytest.mark.slow
def test_several_worker_processes_book_one_slot_once(app, make, tmp_path, api_headers, login):
    # Real time here (the workers cannot share a frozen clock): a Tuesday far ahead.
    from tests.helpers import PASSWORD

    world = build_world(make)
    headers = api_headers(world.booker)
    body = _body(world, "2036-06-03T09:00:00+02:00", "2036-06-03T10:00:00+02:00")
    client = app.test_client()
    login(client, world.other_booker, PASSWORD)
    form = {
        "csrf_token": client.csrf_token(),
        "organisation_id": world.other_org.id,
        "resource_ids": [world.laser2.id],
        "date": "2036-06-03",
        "start": "13:00",
        "end": "14:00",
        "group_name": "Team",
        "group_size": 2,
        "learner_category": "employee",
        "level": "",
    }
    cookie = {"Cookie": f"hubs_session={client.get_cookie('hubs_session').value}"}
    with gunicorn(app.config["DATABASE_URL"], tmp_path / "gunicorn", workers=3) as port:
        api = at_once(
            RACERS,
            lambda: request(port, "POST", "/api/v1/bookings", json_body=body, headers=headers),
        )
        pages = at_once(
            RACERS,
            lambda: request(port, "POST", f"/hubs/{world.hub.id}/book", form=form, headers=cookie),
        )
    _assert_one_winner(api, 201, 409, '"slot_taken"')
    _assert_one_winner(pages, 302, 409, "is al bezet")
    assert _active(app) == 3  # the room and laser of the API bundle, the second laser
