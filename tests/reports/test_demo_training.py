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
    # Licences: the three who completed the course, and any a coordinator issued.
    issued = _licences_of(client, COMPANY)
    assert sum(1 for lic in issued if lic.course_id) == 3
    assert rows[COMPANY]["licences_issued"] == len(issued)
    # The school year before holds no course.
    before = [r for r in _rows(client, headers, 2025)["rows"] if r["company"]]
    assert all(r["employees_trained"] == 0 and r["course_hours"] == 0 for r in before)


def _licences_of(client, company):
    """The company's licences issued in school year 2026/27, from the database."""
    from datetime import date

    from sqlalchemy import select

    from hubs.extensions import db
    from hubs.learners.models import Learner
    from hubs.licences.models import Licence
    from hubs.organisations.models import Organisation

    with client.application.app_context():
        return list(
            db.session.scalars(
                select(Licence)
                .join(Learner, Learner.id == Licence.learner_id)
                .join(Organisation, Organisation.id == Learner.organisation_id)
                .where(
                    Organisation.name == company,
                    Licence.issued_on >= date(2026, 8, 1),
                    Licence.issued_on <= date(2027, 7, 31),
                )
            )
        )


def test_the_csv_names_the_company(client, demo, frozen):
    login_through_form(client, demo["users"]["manager@hubs.example"], "hubs-demo-2022")
    text = client.get("/reports/companies.csv?from=2026&to=2026").get_data(as_text=True)
    rows = [r for r in csv.reader(io.StringIO(text.lstrip("\ufeff"))) if r]
    assert [COMPANY, "4", "49.0"] in [r[:3] for r in rows], rows
