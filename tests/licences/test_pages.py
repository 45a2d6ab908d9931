"""The licence pages (list, issue, revoke), the start page's expiring licences and
``GET /api/v1/licences`` scoped to what the user may see."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from hubs.extensions import db
from hubs.licences.models import Licence
from tests.helpers import main_of
from tests.licences.conftest import give


def _client(app, login, user):
    client = app.test_client()
    login(client, user)
    return client


def test_a_coordinator_issues_a_licence_through_the_form(app, lw, login):
    client = _client(app, login, lw.base.coordinator)
    found = client.get("/licences/new?q=smit")
    assert found.status_code == 200 and "Anna Smit" in found.text
    assert "Cor Vos" not in client.get("/licences/new?q=vos").text  # not a member's
    form = client.get(f"/licences/new?learner_id={lw.anna.id}")
    assert form.status_code == 200 and "Anna Smit" in form.text
    bad = client.post_form(
        "/licences/new",
        {
            "learner_id": str(lw.anna.id),
            "kind": "CNC",
            "issued_on": "2026-03-02",
            "expires_on": "2026-01-01",
        },
    )
    assert bad.status_code == 422
    with app.app_context():
        assert db.session.scalars(select(Licence)).all() == []
    done = client.post_form(
        "/licences/new",
        {"learner_id": str(lw.anna.id), "kind": "CNC", "issued_on": "02-03-2026", "expires_on": ""},
    )
    assert done.status_code == 302
    with app.app_context():
        licence = db.session.scalars(select(Licence)).one()
        assert (licence.kind, licence.issued_on, licence.expires_on) == (
            "cnc",
            date(2026, 3, 2),
            None,
        )
        assert licence.source.value == "coordinator"
        assert licence.issued_by_id == lw.base.coordinator.id


def test_a_coordinator_cannot_issue_to_someone_outside_their_hubs(app, lw, login):
    client = _client(app, login, lw.base.coordinator)
    page = client.get(f"/licences/new?learner_id={lw.stranger.id}")
    assert "Cor Vos" not in page.text  # back to the search step
    response = client.post_form(
        "/licences/new",
        {"learner_id": str(lw.stranger.id), "kind": "cnc", "issued_on": "2026-03-02"},
    )
    assert response.status_code == 200 and "Cor Vos" not in response.text
    with app.app_context():
        assert db.session.scalars(select(Licence)).all() == []


def test_bookers_cannot_issue(app, lw, login):
    client = _client(app, login, lw.base.other_booker)
    assert client.get("/licences/new").status_code == 403


def test_the_list_is_searchable_and_shows_status(app, lw, login):
    give(lw.anna, "cnc", date(2025, 1, 1), date(2026, 3, 20), app)
    give(lw.bert, "laser", date(2024, 1, 1), date(2025, 1, 1), app)
    client = _client(app, login, lw.base.coordinator)
    page = main_of(client.get("/licences"))
    assert "Anna Smit" in page and "Bert Bos" in page
    assert "Bert Bos" not in main_of(client.get("/licences?q=smit"))
    expiring = main_of(client.get("/licences?status=expiring"))
    assert "Anna Smit" in expiring and "Bert Bos" not in expiring


def test_hr_sees_only_its_own_people(app, lw, make, login):
    give(lw.anna, "cnc", date(2025, 1, 1), None, app)
    give(lw.stranger, "cnc", date(2025, 1, 1), None, app)
    outsider_hr = make.user(("booker", lw.base.outsider))
    page = main_of(_client(app, login, outsider_hr).get("/licences"))
    assert "Cor Vos" in page and "Anna Smit" not in page
    assert "Revoke" not in page and "Intrekken" not in page


def test_revoking_needs_confirmation(app, lw, login):
    licence_id = give(lw.anna, "cnc", date(2025, 1, 1), None, app)
    client = _client(app, login, lw.base.coordinator)
    assert client.post_form(f"/licences/{licence_id}/revoke").status_code == 400
    with app.app_context():
        assert db.session.get(Licence, licence_id).revoked_at is None
    assert client.post_form(f"/licences/{licence_id}/revoke", {"confirm": "yes"}).status_code == 302
    with app.app_context():
        assert db.session.get(Licence, licence_id).revoked_at is not None


def test_the_start_page_shows_licences_expiring_within_30_days(app, lw, login):
    give(lw.anna, "cnc", date(2025, 1, 1), date(2026, 3, 20), app)
    give(lw.bert, "cnc", date(2025, 1, 1), date(2026, 5, 1), app)
    page = main_of(_client(app, login, lw.base.coordinator).get("/"))
    assert "Anna Smit" in page and "Bert Bos" not in page


def test_the_api_lists_a_learners_licences_scoped_to_the_company(app, lw, make, api_headers):
    give(lw.anna, "cnc", date(2025, 1, 1), None, app)
    give(lw.stranger, "cnc", date(2025, 1, 1), None, app)
    client = app.test_client()
    own = client.get(
        f"/api/v1/licences?learner_id={lw.anna.id}", headers=api_headers(lw.base.other_booker)
    )
    assert own.status_code == 200
    assert [(i["learner_id"], i["kind"]) for i in own.json["items"]] == [(lw.anna.id, "cnc")]
    other = client.get(
        f"/api/v1/licences?learner_id={lw.stranger.id}", headers=api_headers(lw.base.other_booker)
    )
    assert other.json["items"] == []
    everything = client.get("/api/v1/licences", headers=api_headers(lw.base.other_booker))
    assert {i["learner_id"] for i in everything.json["items"]} == {lw.anna.id}


def test_the_api_issues_and_revokes_for_coordinators(app, lw, api_headers):
    client = app.test_client()
    body = {"learner_id": lw.anna.id, "kind": "Laser", "issued_on": "2026-03-02"}
    refused = client.post("/api/v1/licences", json=body, headers=api_headers(lw.base.other_booker))
    assert refused.status_code == 403
    bad = client.post(
        "/api/v1/licences",
        json={**body, "expires_on": "2026-01-01"},
        headers=api_headers(lw.base.coordinator),
    )
    assert bad.status_code == 422 and "expires_on" in bad.json["fields"]
    created = client.post("/api/v1/licences", json=body, headers=api_headers(lw.base.coordinator))
    assert created.status_code == 201 and created.json["kind"] == "laser"
    url = f"/api/v1/licences/{created.json['id']}/revoke"
    assert client.post(url, headers=api_headers(lw.base.coordinator)).status_code == 200
    assert client.post(url, headers=api_headers(lw.base.coordinator)).status_code == 409


def test_the_coordinators_day_says_approving_confirms_the_supervision(app, lw, login):
    from hubs.booking import services
    from tests.booking.helpers import at, booking_input, principal

    with app.app_context():
        services.book(
            booking_input(
                [lw.cnc], at("2026-03-03", "09:00"), at("2026-03-03", "11:00"), group_size=2
            ),
            principal(lw.base.booker),
        )
    page = main_of(_client(app, login, lw.base.coordinator).get("/day"))
    assert "instructeur van de hub begeleidt" in page
