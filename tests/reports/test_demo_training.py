"""On the demo data the company training report shows the CNC course held last month."""

from __future__ import annotations

import csv
import io

from tests.helpers import login_through_form

COMPANY = "Van Rijn Precisietechniek B.V."


def _rows(client, headers, year):
    body = client.get(f"/api/v1/reports/companies?from={year}&to={year}", headers=headers)
    assert body.status_code == 200, body.get_json()
    return body.get_json()


def test_company_training_shows_the_demo_course(client, demo, api_headers, frozen):
    headers = api_headers(demo["users"]["manager@hubs.example"])
    body = _rows(client, headers, 2026)
    assert body["has_data"] is True
    rows = {row["company"]: row for row in body["rows"]}
    # CNC-frezen basis: two days of 7 hours, four employees the first day, three the second.
    assert (rows[COMPANY]["employees_trained"], rows[COMPANY]["course_hours"]) == (4, 49.0)
    assert (rows[None]["employees_trained"], rows[None]["course_hours"]) == (4, 49.0)
    # The school year before holds no course.
    assert [r for r in _rows(client, headers, 2025)["rows"] if r["company"]] == []


def test_the_csv_names_the_company(client, demo, frozen):
    login_through_form(client, demo["users"]["manager@hubs.example"], "hubs-demo-2022")
    text = client.get("/reports/companies.csv?from=2026&to=2026").get_data(as_text=True)
    rows = [r for r in csv.reader(io.StringIO(text.lstrip("\ufeff"))) if r]
    assert [COMPANY, "4", "49.0"] in [r[:3] for r in rows], rows
