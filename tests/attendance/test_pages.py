"""The register in the browser's place: pages, forms, quick buttons, the day's panel."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from hubs.attendance.models import Attendance
from hubs.extensions import db
from tests.helpers import main_of


@pytest.fixture
def signed_in(client, login, world):
    login(client, world.coordinator)
    return client


def _records(app):
    with app.app_context():
        return {a.booking_id: a.present for a in db.session.scalars(select(Attendance))}


def test_the_register_lists_todays_confirmed_visits(signed_in, world, visit):
    visit(start="10:00", end="11:40", group_name="3K-PIE", group_size=24)
    visit(start="13:00", end="14:00", group_name="2B", group_size=20, status="requested")
    visit(day="2026-03-03", group_name="Morgen")
    page = main_of(signed_in.get("/attendance"))
    assert "maandag 2 maart 2026" in page
    assert "3K-PIE" in page and "24 personen geboekt" in page and "Nog niet ingevuld" in page
    assert "2B" not in page and "Morgen" not in page
    assert 'name="present"' in page and "Alle 24 gekomen" in page and "Niemand gekomen" in page


def test_saving_a_number_returns_to_the_visit_on_the_register(signed_in, world, visit, app):
    booking_id = visit(group_name="3K-PIE", group_size=24)
    response = signed_in.post_form(
        f"/attendance/bookings/{booking_id}",
        {"present": "22", "action": "save", "next": "/attendance?date=2026-03-02"},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/attendance?date=2026-03-02#visit-{booking_id}"
    page = main_of(signed_in.get("/attendance?date=2026-03-02"))
    assert "Opgeslagen: 22 personen aanwezig bij 3K-PIE." in page
    assert "Ingevuld: 22 aanwezig" in page
    assert _records(app) == {booking_id: 22}


def test_quick_buttons_record_everyone_or_nobody(signed_in, visit, app):
    everyone, nobody = visit(group_size=24), visit(start="13:00", end="14:00", group_size=8)
    signed_in.post_form(f"/attendance/bookings/{everyone}", {"present": "", "action": "all"})
    signed_in.post_form(f"/attendance/bookings/{nobody}", {"present": "5", "action": "none"})
    assert _records(app) == {everyone: 24, nobody: 0}
    assert "Niemand gekomen" in main_of(signed_in.get("/attendance"))


def test_a_wrong_number_shows_the_error_at_the_field_and_writes_nothing(signed_in, visit, app):
    booking_id = visit(group_size=24)
    response = signed_in.post_form(
        f"/attendance/bookings/{booking_id}", {"present": "40", "action": "save"}
    )
    assert response.status_code == 422
    page = main_of(response)
    assert 'class="error-summary"' in page and 'href="#present"' in page
    assert "tussen 0 en 28" in page and 'aria-invalid="true"' in page and 'value="40"' in page
    assert _records(app) == {}


def test_tomorrows_visit_shows_but_cannot_be_recorded_yet(signed_in, visit):
    booking_id = visit(day="2026-03-03")
    page = main_of(signed_in.get("/attendance?date=2026-03-03"))
    assert "vanaf de dag van het bezoek" in page and 'name="present"' not in page
    response = signed_in.post_form(f"/attendance/bookings/{booking_id}", {"present": "3"})
    assert response.status_code == 422


def test_a_visit_with_a_list_of_names_has_a_tick_per_person(
    signed_in, world, visit, roster, make, app
):
    from tests.learners.conftest import LearnerFactory

    learn = LearnerFactory(make)
    ann = learn.learner(
        world.other_org, "A1", category="employee", given_name="Ann", family_name="Smit"
    )
    bob = learn.learner(
        world.other_org, "B1", category="employee", given_name="Bob", family_name="Kok"
    )
    booking_id = visit(org=world.other_org, group_size=2, learner_category="employee")
    roster({booking_id: [ann, bob]})
    page = main_of(signed_in.get("/attendance"))
    assert "Wie is er gekomen?" in page and "Ann Smit" in page and "Iedereen gekomen" in page
    signed_in.post_form(
        f"/attendance/bookings/{booking_id}", {"learner_ids": [str(bob.id)], "action": "save"}
    )
    with app.app_context():
        record = db.session.scalar(select(Attendance))
        assert (record.present, record.learner_ids) == (1, [bob.id])
    page = main_of(signed_in.get(f"/attendance/bookings/{booking_id}"))
    assert f'value="{bob.id}" checked' in page and f'value="{ann.id}" checked' not in page


def test_the_register_is_for_coordinators(client, login, world, visit):
    booking_id = visit()
    login(client, world.booker)
    assert client.get("/attendance").status_code == 403
    assert (
        client.post_form(f"/attendance/bookings/{booking_id}", {"present": "3"}).status_code == 403
    )


def test_the_coordinators_day_links_to_the_register(signed_in, visit):
    visit(group_size=10)
    done = visit(start="13:00", end="14:00")
    visit(day="2026-02-26")  # last week, nobody recorded it
    signed_in.post_form(f"/attendance/bookings/{done}", {"present": "2", "action": "save"})
    page = main_of(signed_in.get("/day"))
    assert "Vandaag: 1 van 2 bezoeken ingevuld." in page
    assert "1 bezoek van de afgelopen week heeft nog geen presentielijst" in page
    assert "/attendance?date=2026-02-26" in page
    assert "Presentielijst van vandaag openen" in page
