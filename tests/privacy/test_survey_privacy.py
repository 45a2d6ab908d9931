"""Surveys in access and erasure requests: the address and comment go, the score stays."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import time_machine
from sqlalchemy import select

from hubs.extensions import db
from tests.privacy.test_erasure import (  # noqa: F401  (the planted person and the clock)
    EMAIL,
    FAMILY,
    GIVEN,
    _clock,
    planted,
    traces_left,
)

ANSWERED = datetime(2025, 10, 20, 12, 0, tzinfo=UTC)


def _survey(app, enrolment_id=None, booking_id=None, email=None, comment="", hub_id=None):
    from hubs.db import write_transaction
    from hubs.funders.models import Survey, SurveyKind
    from hubs.learners.models import Enrolment

    with app.app_context(), write_transaction() as session:
        if hub_id is None:
            hub_id = session.get(Enrolment, enrolment_id).programme.hub_id
        survey = Survey(
            kind=SurveyKind.COURSE if enrolment_id else SurveyKind.VISIT,
            enrolment_id=enrolment_id,
            booking_id=booking_id,
            hub_id=hub_id,
            email=email,
            token_hash=f"{hash((enrolment_id, booking_id, email)) & 0xFFFFFFFF:064x}",
            sent_at=ANSWERED - timedelta(days=2),
            answered_at=ANSWERED,
            score=9,
            comment=comment,
        )
        session.add(survey)
        session.flush()
        return survey.id


def _enrolment_of(app, learner_id):
    from hubs.learners.models import Enrolment

    with app.app_context():
        return db.session.scalar(select(Enrolment.id).where(Enrolment.learner_id == learner_id))


def _surveys(app, make, planted):  # noqa: F811
    person = planted["person"]
    own = _survey(
        app,
        enrolment_id=_enrolment_of(app, person.id),
        email=EMAIL,
        comment=f"Groetjes, {GIVEN}",
    )
    bystander = _survey(
        app,
        enrolment_id=_enrolment_of(app, planted["bystander"].id),
        email="bakker@bedrijf.example",
        comment=f"Samen met {FAMILY} gedaan, leuk",
    )
    return own, bystander


def test_the_export_holds_the_persons_surveys(client, login, planted, app, make):  # noqa: F811
    own, _other = _surveys(app, make, planted)
    login(client, planted["coordinator"])
    response = client.post_form(f"/learners/people/{planted['person'].id}/export")
    data = json.loads(response.data)
    assert [(s["id"], s["email"], s["score"]) for s in data["surveys"]] == [(own, EMAIL, 9)]
    assert data["surveys"][0]["comment"] == f"Groetjes, {GIVEN}"


def test_erasure_removes_address_and_comment_and_keeps_the_score(
    client,
    login,
    planted,  # noqa: F811
    app,
    make,
):
    from hubs.funders.models import Survey

    own, other = _surveys(app, make, planted)
    login(client, planted["coordinator"])
    response = client.post_form(f"/learners/people/{planted['person'].id}/erase", {"confirm": "y"})
    assert response.status_code == 302
    assert traces_left(app) == []
    with app.app_context():
        erased, bystander = db.session.get(Survey, own), db.session.get(Survey, other)
        assert (erased.email, erased.comment, erased.score) == (None, "", 9)
        assert bystander.email == "bakker@bedrijf.example" and bystander.score == 9
        assert FAMILY not in bystander.comment and bystander.comment.startswith("Samen met")


def test_retention_removes_old_addresses_and_comments(app, make, planted):  # noqa: F811
    from hubs.funders.models import Survey
    from hubs.privacy.services import purge

    own, _other = _surveys(app, make, planted)
    with app.app_context():
        purge()
        assert db.session.get(Survey, own).email == EMAIL  # 2 weeks old: kept
    with time_machine.travel(date(2026, 3, 1), tick=False), app.app_context():
        purge()
        survey = db.session.get(Survey, own)
        assert (survey.email, survey.comment, survey.score) == (None, "", 9)
