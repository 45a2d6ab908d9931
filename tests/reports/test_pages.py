"""Report pages, downloads and the API: who sees what, bad input, and the security log."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.helpers import login_through_form

DEMO_PASSWORD = "hubs-demo-2022"
QUERY = "from=2021&to=2022"


def _as(client, demo, email):
    login_through_form(client, demo["users"][email], DEMO_PASSWORD)
    return client


def test_a_coordinator_sees_only_their_hubs(client, demo, api_headers, frozen):
    _as(client, demo, "coordinator.make@hubs.example")
    html = client.get(f"/reports/growth?{QUERY}").get_data(as_text=True)
    assert "MBO Techniek" in html and "van 77 naar 124" in html
    assert "Dagelijks techniekonderwijs" not in html and "Bij TechnoHUB Woerden" not in html
    assert "In de getoonde hubs" in html
    body = client.get(
        f"/api/v1/reports/growth?{QUERY}",
        headers=api_headers(demo["users"]["coordinator.make@hubs.example"]),
    ).get_json()
    assert {r["hub"] for r in body["rows"]} == {"MAKE Center Nieuwegein", None}
    csv_text = client.get(f"/reports/growth.csv?{QUERY}").get_data(as_text=True)
    assert "MBO Techniek" in csv_text and "Dagelijks" not in csv_text


@pytest.mark.parametrize("email", ["teacher.a@school-a.example"])
def test_bookers_may_not_read_reports(client, demo, api_headers, email):
    _as(client, demo, email)
    assert client.get("/reports").status_code == 403
    headers = api_headers(demo["users"][email])
    for report in ("growth", "use", "companies"):
        assert client.get(f"/reports/{report}").status_code == 403
        assert client.get(f"/reports/{report}.xlsx?{QUERY}").status_code == 403
        assert client.get(f"/api/v1/reports/{report}", headers=headers).status_code == 403
    assert "/reports" not in client.get("/").get_data(as_text=True)


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/reports/growth")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.get("/api/v1/reports/growth").status_code == 401
    assert client.get("/api/v1/reports/use").status_code == 401
    assert client.get("/reports/companies.csv").status_code == 302


def test_the_page_without_options_shows_the_last_two_school_years(client, demo, frozen):
    _as(client, demo, "manager@hubs.example")
    page = client.get("/reports")
    index = page.get_data(as_text=True)
    assert page.status_code == 200 and "/reports/growth" in index
    assert "Gebruik van de hubs" in index and "Opleiding bij bedrijven" in index
    html = client.get("/reports/growth").get_data(as_text=True)
    assert "Groei 2025/26 → 2026/27" in html
    assert 'href="/reports/growth.xlsx?from=2025&amp;to=2026' in html


def test_bad_options_show_a_message_at_the_field(client, demo, api_headers, frozen):
    _as(client, demo, "manager@hubs.example")
    page = client.get("/reports/growth?from=2022&to=2021")
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert "Het laatste jaar mag niet vóór het eerste jaar liggen." in html
    assert 'href="#f-to"' in html and 'id="f-to"' in html and 'aria-invalid="true"' in html
    download = client.get("/reports/growth.pdf?basis=fiscal")
    assert download.status_code == 422 and "Kies schooljaar of kalenderjaar." in download.get_data(
        as_text=True
    )
    headers = {**api_headers(demo["users"]["manager@hubs.example"]), "Accept-Language": "en"}
    answer = client.get(
        "/api/v1/reports/growth?from=2021&reference_date=2025-01-01", headers=headers
    )
    assert answer.status_code == 422
    assert list(answer.get_json()["fields"]) == ["reference_date"]


def test_the_page_in_english(client, demo, frozen):
    _as(client, demo, "manager@hubs.example")
    client.post_form("/language", {"lang": "en"})
    html = client.get(f"/reports/growth?{QUERY}").get_data(as_text=True)
    assert (
        "At TechnoHUB Woerden the number of pupils in Dagelijks techniekonderwijs grew "
        "from 27 to 124 (+97; +359%; nearly fivefold)"
    ) in html
    assert "Definitions" in html


def test_every_download_and_api_read_is_logged_as_a_data_export(
    app, client, demo, api_headers, frozen
):
    from hubs.audit.models import SecurityEvent
    from hubs.extensions import db

    manager = demo["users"]["manager@hubs.example"]
    _as(client, demo, "manager@hubs.example")
    for fmt in ("csv", "xlsx", "pdf"):
        assert client.get(f"/reports/growth.{fmt}?{QUERY}").status_code == 200
    client.get(f"/api/v1/reports/growth?{QUERY}", headers=api_headers(manager))
    client.get(f"/reports/growth?{QUERY}")  # looking at the page is not an export
    with app.app_context():
        events = db.session.scalars(
            select(SecurityEvent).where(SecurityEvent.event == "data.exported")
        ).all()
    assert [
        (e.actor_id, e.target_type, e.details["report"], e.details["format"]) for e in events
    ] == [
        (manager.id, "report", "growth", "csv"),
        (manager.id, "report", "growth", "xlsx"),
        (manager.id, "report", "growth", "pdf"),
        (manager.id, "report", "growth", "json"),
    ]
    assert events[0].details["from"] == 2021 and events[0].details["to"] == 2022
