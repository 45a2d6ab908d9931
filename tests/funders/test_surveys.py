"""Satisfaction surveys: mailed once after a visit or a course, answered once, no login."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine

from tests.booking.helpers import raw_booking
from tests.helpers import link_in, login_through_form, path_of, queued_mail

NOW = datetime(2022, 6, 20, 10, 0, tzinfo=UTC)


@pytest.fixture
def visited(app, make, learn):
    """A confirmed visit that ended last week, and a course enrolment that ended."""
    from hubs.learners.models import LearnerCategory

    hub = make.hub(name="Hub S")
    org = make.organisation("company", hubs=(hub,))
    booker = make.user(("booker", org), email="booker@s.example")
    coordinator = make.user(("coordinator", hub))
    other_coordinator = make.user(("coordinator", make.hub(name="Elders")))
    resource = make.resource(hub)
    raw_booking(
        app,
        resource,
        org,
        datetime(2022, 6, 14, 8, 0, tzinfo=UTC),
        datetime(2022, 6, 14, 10, 0, tzinfo=UTC),
        booked_by_id=booker.id,
    )
    course = learn.programme(hub, "CNC-cursus", categories=("employee",))
    employee = learn.learner(org, category=LearnerCategory.EMPLOYEE, email="werknemer@s.example")
    learn.individual(course, employee, date(2022, 5, 1), date(2022, 6, 10))
    return {"coordinator": coordinator, "other": other_coordinator, "course": course}


def _send(app):
    from hubs.funders.surveys import send_due

    with app.app_context(), time_machine.travel(NOW, tick=False):
        return send_due()


def test_surveys_are_sent_once_and_answered_once_without_login(app, client, visited):
    assert _send(app) == 2
    assert _send(app) == 0  # idempotent
    runner = app.test_cli_runner()
    with time_machine.travel(NOW, tick=False):
        assert "sent 0 surveys" in runner.invoke(args=["surveys", "send"]).output
    [visit_mail] = queued_mail(app, "booker@s.example")
    [course_mail] = queued_mail(app, "werknemer@s.example")
    link = path_of(link_in(course_mail.body_text, "/funders/survey/"))
    page = client.get(link)
    assert page.status_code == 200 and 'name="score"' in page.get_data(as_text=True)
    bad = client.post_form(link, {"score": "11"})
    assert bad.status_code == 422
    assert client.post_form(link, {"score": "8", "comment": "Leerzaam"}).status_code == 200
    assert client.get(link).status_code == 410  # single use
    assert client.post_form(link, {"score": "1"}).status_code == 410
    visit_link = path_of(link_in(visit_mail.body_text, "/funders/survey/"))
    assert client.post_form(visit_link, {"score": "6"}).status_code == 200

    login_through_form(client, visited["coordinator"])
    answers = client.get("/funders/surveys").get_data(as_text=True)
    assert "Leerzaam" in answers and "CNC-cursus" in answers
    elsewhere = app.test_client()
    login_through_form(elsewhere, visited["other"])
    assert "Leerzaam" not in elsewhere.get("/funders/surveys").get_data(as_text=True)


def test_satisfaction_is_aggregated_per_programme(app, client, visited):
    from hubs.funders.surveys import satisfaction
    from hubs.learners.counting import Period

    _send(app)
    [course_mail] = queued_mail(app, "werknemer@s.example")
    link = path_of(link_in(course_mail.body_text, "/funders/survey/"))
    with time_machine.travel(NOW, tick=False):
        client.post_form(link, {"score": "9"})
    with app.app_context():
        found = satisfaction([visited["course"].id], Period.school_year(2021))
    assert found == {visited["course"].id: (1, 9.0, 100.0)}
