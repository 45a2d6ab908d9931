"""Targets: set by programme managers, actual against target in reports and the API."""

from __future__ import annotations

import io

import openpyxl

from tests.helpers import login_through_form

SMALL = "from=2020&to=2021"


def _set(client, small, programme, indicator, value, year="2021"):
    return client.post_form(
        "/funders/targets",
        {
            "programme_id": str(small["programmes"][programme].id),
            "year": year,
            "indicator": indicator,
            "value": str(value),
        },
    )


def test_a_manager_sets_targets_and_reports_show_progress(client, small, api_headers):
    login_through_form(client, small["manager"])
    assert _set(client, small, "big", "participants", 100).status_code == 302
    assert _set(client, small, "big", "participants", 150).status_code == 302  # changed
    assert _set(client, small, "big", "organisations", 2).status_code == 302
    page = client.get("/funders/targets").get_data(as_text=True)
    assert "Groot programma" in page and "80,0%" in page  # 120 of 150
    csv_text = client.get(f"/reports/growth.csv?{SMALL}").get_data(as_text=True)
    assert "Doelen" in csv_text or "Targets" in csv_text
    assert "150.0,120,80.0" in csv_text.replace(";", ",")
    html = client.get(f"/reports/growth?{SMALL}").get_data(as_text=True)
    assert "Deelnemers tegenover doel" in html or "Participants against target" in html
    body = client.get("/api/v1/targets?year=2021", headers=api_headers(small["manager"])).get_json()
    participants = next(i for i in body["items"] if i["indicator"] == "participants")
    assert (participants["target"], participants["actual"], participants["progress_pct"]) == (
        150,
        120,
        80.0,
    )


def test_bad_targets_are_refused_at_the_field(client, small):
    login_through_form(client, small["manager"])
    response = _set(client, small, "big", "satisfaction_avg", 11)
    assert response.status_code == 422
    response = _set(client, small, "big", "participants", -1)
    assert response.status_code == 422
    response = _set(client, small, "big", "participants", 10, year="1990")
    assert response.status_code == 422


def test_coordinators_cannot_set_targets(client, small):
    login_through_form(client, small["coordinator"])
    assert 'name="indicator"' not in client.get("/funders/targets").get_data(as_text=True)


def test_funders_get_small_actual_numbers_hidden(client, small, api_headers):
    login_through_form(client, small["manager"])
    _set(client, small, "tiny", "participants", 10)
    _set(client, small, "third", "participants", 40)
    _set(client, small, "big", "participants", 100)
    body = client.get("/api/v1/targets?year=2021", headers=api_headers(small["funder"])).get_json()
    actual = {i["programme"]: i for i in body["items"]}
    assert actual["Klein programma"]["actual"] is None
    assert actual["Klein programma"]["suppressed"] is True
    # Hidden in the growth report to protect the small one: hidden here too.
    assert actual["Derde programma"]["actual"] is None
    assert actual["Groot programma"]["actual"] == 120
    other = client.get("/api/v1/targets", headers=api_headers(small["other_funder"])).get_json()
    assert other["items"] == []
    coordinator = client.get(
        "/api/v1/targets?year=2021", headers=api_headers(small["coordinator"])
    ).get_json()
    assert {i["programme"]: i["actual"] for i in coordinator["items"]}["Klein programma"] == 4


def test_the_trend_chart_draws_the_targets_per_year(client, small):
    login_through_form(client, small["manager"])
    _set(client, small, "big", "participants", 150)
    _set(client, small, "third", "participants", 40)
    _set(client, small, "big", "participants", 100, year="2020")
    html = client.get("/reports/growth?from=2019&to=2021").get_data(as_text=True)
    trend = html[html.index("Verloop van de totalen tegenover de doelen") :]
    trend = trend[: trend.index("</svg>")]
    assert trend.count('class="chart-target"') == 4  # the hub and all hubs, 2020 and 2021
    assert "doel 190 · 81,1%" in trend  # 154 participants of 150 + 40
    assert "doel 190" in trend[trend.index("<desc") : trend.index("</desc>")]
    table = html[html.index('id="section-trend_targets"') :]
    assert "Hub Klein" in table[: table.index("</table>")]
    csv_text = client.get("/reports/growth.csv?from=2019&to=2021").get_data(as_text=True)
    assert "Hub Klein,2021/22,154,190.0,81.1" in csv_text.replace(";", ",")
    data = client.get("/reports/growth.xlsx?from=2019&to=2021").data
    cells = [
        [c for c in row]
        for sheet in openpyxl.load_workbook(io.BytesIO(data)).worksheets
        for row in sheet.iter_rows(values_only=True)
    ]
    assert ["Hub Klein", "2021/22", 154, 190, 81.1] in [r[:5] for r in cells]


def test_targets_are_not_set_against_calendar_years(client, small):
    login_through_form(client, small["manager"])
    _set(client, small, "big", "participants", 150)
    school = client.get(f"/reports/growth?{SMALL}").get_data(as_text=True)
    assert "Deelnemers tegenover doel" in school
    calendar = client.get(f"/reports/growth?{SMALL}&basis=calendar").get_data(as_text=True)
    assert "kalenderjaar" in calendar.lower()
    assert "Deelnemers tegenover doel" not in calendar and "chart-target" not in calendar
    csv_text = client.get(f"/reports/growth.csv?{SMALL}&basis=calendar").get_data(as_text=True)
    assert "150.0" not in csv_text
