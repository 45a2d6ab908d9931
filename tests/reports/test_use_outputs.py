"""The use and company-training reports through the page, downloads, API and CLI."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from pypdf import PdfReader

QUERY = "from=2025&to=2025"


def _csv_rows(text):
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def test_the_coordinator_sees_booked_and_realised_hours_on_the_page(client, login, used):
    world = used[0]
    login(client, world.coordinator)
    page = client.get(f"/reports/use?{QUERY}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Gebruik van de hubs 2025/26" in html
    assert "Gebruik machines en ruimtes" in html and "Lasersnijder 1" in html
    assert "Bezetting per hub" in html and "<svg" in html and "<script" not in html
    assert "Niet verschenen" in html and "waarbij niemand aanwezig was" in html
    assert 'href="/reports/use.xlsx?from=2025&amp;to=2025' in html


def test_downloads_carry_the_hours_and_the_definitions(client, login, used):
    world = used[0]
    login(client, world.coordinator)
    rows = _csv_rows(client.get(f"/reports/use.csv?{QUERY}").get_data(as_text=True))
    laser = next(r for r in rows if r[1:2] == ["Lasersnijder 1"])
    assert laser[4] == "5.0" and laser[6] == "5.0"
    assert any(r and r[0] == "Geboekte uren" and "bevestigde boekingen" in r[1] for r in rows)

    book = openpyxl.load_workbook(io.BytesIO(client.get(f"/reports/use.xlsx?{QUERY}").get_data()))
    assert book.sheetnames[:4] == [
        "Gebruik per hub",
        "Gebruik machines en ruimtes",
        "Gebruik per organisatiesoort",
        "Gebruik per maand",
    ]
    assert "Definities" in book.sheetnames
    hub_rows = list(book["Gebruik per hub"].iter_rows(values_only=True))
    assert hub_rows[1][2] == 12 and isinstance(hub_rows[1][2], int | float)
    kinds = {r[0]: r for r in book["Gebruik per organisatiesoort"].iter_rows(values_only=True)}
    assert kinds["bedrijf"][1] == 6 and kinds["bedrijf"][2] == 50

    pdf = client.get(f"/reports/use.pdf?{QUERY}").get_data()
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Gebruik van de hubs 2025/26" in text and "Lasersnijder 1" in text
    assert "Pagina 1 van" in text


def test_the_api_gives_the_same_hours(client, api_headers, used):
    world = used[0]
    response = client.get(f"/api/v1/reports/use?{QUERY}", headers=api_headers(world.coordinator))
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["first_day"], body["last_day"]) == ("2025-08-01", "2026-07-31")
    hub, total = body["hubs"]
    assert (hub["booked"], hub["realised"], hub["visits"], hub["no_shows"]) == (12.0, 8.0, 3, 0)
    assert total["hub"] is None and total["booked"] == 12.0
    resources = {r["resource"]: r for r in body["resources"]}
    assert resources["Lasersnijder 2"]["booked"] == 4.0
    assert resources["Lasersnijder 2"]["realised"] == 0.0
    kinds = {k["organisation_kind"]: k["booked"] for k in body["organisation_kinds"]}
    assert kinds == {"vo_school": 6.0, "company": 6.0}
    months = {m["month"]: m["booked"] for m in body["months"]}
    assert months["2026-02"] == 8.0 and months["2026-03"] == 4.0
    assert [m["resource"] for m in body["most_used"]] == ["Lasersnijder 1", "Lasersnijder 2"]
    assert {"booked", "realised", "available", "utilisation", "no_shows"} <= set(
        body["definitions"]
    )


def test_the_cli_writes_the_use_report(app, used, tmp_path):
    output = tmp_path / "use.csv"
    result = app.test_cli_runner().invoke(
        args=["report", "use", "--from", "2025", "--to", "2025", "--format", "csv",
              "--output", str(output)]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = _csv_rows(output.read_text(encoding="utf-8"))
    assert next(r for r in rows if r[1:2] == ["Lasersnijder 2"])[4] == "4.0"


def test_another_hubs_coordinator_sees_none_of_these_hours(client, login, api_headers, used, make):
    other = make.hub(name="Andere hub")
    coordinator = make.user(("coordinator", other))
    body = client.get(f"/api/v1/reports/use?{QUERY}", headers=api_headers(coordinator)).get_json()
    assert [h["hub"] for h in body["hubs"]] == ["Andere hub", None]
    assert body["resources"] == [] and body["hubs"][1]["booked"] == 0.0
    login(client, coordinator)
    text = client.get(f"/reports/use.csv?{QUERY}").get_data(as_text=True)
    assert "Lasersnijder" not in text


def test_company_training_says_no_data_without_course_or_licence_sources(
    client, login, api_headers, used, training_sources
):
    world = used[0]
    body = client.get(
        f"/api/v1/reports/companies?{QUERY}", headers=api_headers(world.coordinator)
    ).get_json()
    assert body["has_data"] is False
    assert body["rows"] == [
        {"company": None, "employees_trained": None, "course_hours": None, "licences_issued": None}
    ]
    login(client, world.coordinator)
    html = client.get(f"/reports/companies?{QUERY}").get_data(as_text=True)
    assert "Geen gegevens: cursussen en machinepaspoorten worden nog niet geregistreerd." in html
    for fmt in ("csv", "xlsx", "pdf"):
        assert client.get(f"/reports/companies.{fmt}?{QUERY}").status_code == 200


@pytest.fixture
def training_sources(monkeypatch):
    from hubs.reports import training

    monkeypatch.setattr(training, "_course_sources", [])
    monkeypatch.setattr(training, "_licence_sources", [])
    return training


def test_company_training_shows_what_the_registered_sources_count(
    app, client, login, used, training_sources
):
    world = used[0]
    calls = []

    def courses(first, last, hub_ids):
        calls.append((first.isoformat(), last.isoformat(), hub_ids))
        return {world.other_org.id: training_sources.CourseFigures(3, 22.5)}

    training_sources.register_course_source(courses)
    training_sources.register_licence_source(lambda first, last, hub_ids: {world.other_org.id: 2})
    login(client, world.coordinator)
    rows = _csv_rows(client.get(f"/reports/companies.csv?{QUERY}").get_data(as_text=True))
    assert ["Kromwijk Machinebouw", "3", "22.5", "2"] in rows
    assert ["Alle bedrijven", "3", "22.5", "2"] in rows
    # The coordinator's scope reaches the source: only their hub.
    assert calls == [("2025-08-01", "2026-07-31", frozenset({world.hub.id}))]
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(f"/reports/companies.xlsx?{QUERY}").get_data())
    )
    values = list(book[book.sheetnames[0]].iter_rows(values_only=True))
    assert values[1] == ("Kromwijk Machinebouw", 3, 22.5, 2)
