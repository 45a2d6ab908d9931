"""Contact hours and visit satisfaction count per programme through the booking's programme."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.booking.helpers import raw_booking
from tests.funders.conftest import give_scope
from tests.helpers import login_through_form

YEAR = "2021"


def _visit(app, resource, org, programme, day, present, hours=2, score=None):
    """A confirmed visit of the programme with its attendance (and a survey answer)."""
    from hubs.attendance.models import Attendance
    from hubs.db import write_transaction
    from hubs.extensions import db
    from hubs.funders.models import Survey, SurveyKind

    start = datetime(2021, 10, day, 8, 0, tzinfo=UTC)
    end = datetime(2021, 10, day, 8 + hours, 0, tzinfo=UTC)
    with app.app_context():
        booking_id = raw_booking(
            app, resource, org, start, end, group_size=30, programme_id=programme.id
        )
        with write_transaction():
            db.session.add(Attendance(booking_id=booking_id, present=present))
            if score is not None:
                db.session.add(
                    Survey(
                        kind=SurveyKind.VISIT,
                        booking_id=booking_id,
                        hub_id=resource.hub_id,
                        email="docent@school.example",
                        token_hash=f"{booking_id:064d}",
                        answered_at=end,
                        score=score,
                        comment="Mooi bezoek",
                    )
                )
    return booking_id


@pytest.fixture
def visits(app, make, learn):
    hub = make.hub(name="Hub Uren")
    org = make.organisation("vo_school", hubs=(hub,))
    room = make.resource(hub)
    busy = learn.programme(hub, "Druk programma")
    quiet = learn.programme(hub, "Rustig programma")
    learn.group(busy, org, 60)
    learn.group(quiet, org, 30)
    for day in range(4, 15):  # eleven visits of 12 present, 2 hours: 264 contact hours
        _visit(app, room, org, busy, day, present=12, score=8)
    _visit(app, room, org, quiet, 20, present=4, hours=3, score=5)  # 12 hours, 4 people
    raw_booking(  # a visit without a programme counts for none
        app,
        room,
        org,
        datetime(2021, 10, 21, 8, tzinfo=UTC),
        datetime(2021, 10, 21, 10, tzinfo=UTC),
    )
    funder = make.user("funder")
    give_scope(make, funder, [busy, quiet])
    return {"manager": make.user("manager"), "funder": funder, "busy": busy, "quiet": quiet}


def _set(client, programme, indicator, value):
    response = client.post_form(
        "/funders/targets",
        {
            "programme_id": str(programme.id),
            "year": YEAR,
            "indicator": indicator,
            "value": str(value),
        },
    )
    assert response.status_code == 302


def _items(client, user, api_headers):
    body = client.get(f"/api/v1/targets?year={YEAR}", headers=api_headers(user)).get_json()
    return {(i["programme"], i["indicator"]): i for i in body["items"]}


def test_contact_hours_and_visit_satisfaction_are_actuals_per_programme(
    client, visits, api_headers
):
    login_through_form(client, visits["manager"])
    for name in ("busy", "quiet"):
        _set(client, visits[name], "contact_hours", 528)
        _set(client, visits[name], "satisfaction_avg", 7.5)
        _set(client, visits[name], "satisfaction_share", 70)
    items = _items(client, visits["manager"], api_headers)
    busy = items[("Druk programma", "contact_hours")]
    assert (busy["actual"], busy["progress_pct"]) == (264, 50.0)
    assert items[("Rustig programma", "contact_hours")]["actual"] == 12
    assert items[("Druk programma", "satisfaction_avg")]["actual"] == 8
    assert items[("Druk programma", "satisfaction_share")]["actual"] == 100
    assert items[("Rustig programma", "satisfaction_share")]["actual"] == 0
    page = client.get("/funders/targets").get_data(as_text=True)
    assert "264,0" in page and "50,0%" in page
    csv_text = client.get("/reports/growth.csv?from=2020&to=2021").get_data(as_text=True)
    assert "contacturen;528.0;264.0;50.0" in csv_text.replace(",", ";")


def test_funders_do_not_see_hours_or_scores_of_few_people(client, visits, api_headers):
    login_through_form(client, visits["manager"])
    for name in ("busy", "quiet"):
        _set(client, visits[name], "contact_hours", 100)
        _set(client, visits[name], "satisfaction_avg", 7)
    items = _items(client, visits["funder"], api_headers)
    assert items[("Druk programma", "contact_hours")]["actual"] == 264
    assert items[("Druk programma", "satisfaction_avg")]["actual"] == 8  # eleven answers
    quiet_hours = items[("Rustig programma", "contact_hours")]
    assert quiet_hours["actual"] is None and quiet_hours["suppressed"] is True
    assert items[("Rustig programma", "satisfaction_avg")]["actual"] is None
