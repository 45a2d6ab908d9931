"""Access and erasure requests: everything on one learner out, or every trace gone.

The search runs over every text column of every table in the metadata, so a table a
later feature adds is covered without changing this test; that feature registers an
eraser (hubs.privacy.register_eraser) to pass it.
"""

from __future__ import annotations

import json
import logging
from datetime import date

import pytest
import time_machine
from sqlalchemy import JSON, String, Text, func, select

from hubs.extensions import db
from hubs.learners.counting import Period, count

GIVEN, FAMILY = "Quirijntje", "Zevenhuizen"
REFERENCE, EMAIL = "ZQ-771903", "q.zevenhuizen@voorbeeld.nl"
TRACES = [GIVEN, FAMILY, REFERENCE, EMAIL]


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(date(2025, 11, 3), tick=False):
        yield


@pytest.fixture
def planted(make, learn, app):
    from hubs.db import write_transaction
    from hubs.learners.models import LearnerCategory
    from hubs.mail.models import OutboxMessage

    hub = make.hub()
    company = make.organisation("company", hubs=(hub,))
    programme = learn.programme(hub, "CNC bijscholing", categories=("employee",))
    person = learn.learner(
        company,
        REFERENCE,
        category=LearnerCategory.EMPLOYEE,
        given_name=GIVEN,
        family_name=FAMILY,
        email=EMAIL,
    )
    bystander = learn.learner(
        company, "E-0001", category=LearnerCategory.EMPLOYEE, family_name="Bakker"
    )
    team = learn.group(
        programme,
        company,
        6,
        category=LearnerCategory.EMPLOYEE,
        note=f"Let op: {FAMILY} sluit later aan",
    )
    learn.individual(programme, person, note=f"{GIVEN} {FAMILY} ({REFERENCE}) werkt linkshandig")
    learn.individual(programme, bystander, note="Bakker werkt rechtshandig")
    with app.app_context(), write_transaction() as session:
        session.add_all(
            [
                OutboxMessage(
                    kind="course.confirmed",
                    to_address="hr@bedrijf.example",
                    subject=f"Inschrijving {GIVEN} {FAMILY}",
                    body_text=f"Medewerker {REFERENCE} is ingeschreven.",
                    body_html="",
                    attachments=[
                        {
                            "filename": "cursus.ics",
                            "content_type": "text/calendar",
                            "content": f"SUMMARY:Cursus {GIVEN} {FAMILY}",
                        }
                    ],
                ),
                OutboxMessage(
                    kind="course.reminder",
                    to_address=EMAIL,
                    subject="Herinnering",
                    body_text="Tot morgen!",
                    body_html="<p>Tot morgen!</p>",
                ),
            ]
        )
    coordinator = make.user(("coordinator", hub))
    return {"person": person, "bystander": bystander, "team": team, "coordinator": coordinator}


def _text_columns():
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, (String, Text, JSON)):
                yield table, column


def traces_left(app) -> list[str]:
    found = []
    with app.app_context():
        for table, column in _text_columns():
            text = func.lower(func.cast(column, Text))
            for needle in TRACES:
                for spelling in {needle, json.dumps(needle)[1:-1]}:
                    hits = db.session.scalar(
                        select(func.count())
                        .select_from(table)
                        .where(text.contains(spelling.lower()))
                    )
                    if hits:
                        found.append(f"{table.name}.{column.name} holds {needle!r}")
    return found


def all_counts(app):
    with app.app_context():
        periods = [
            Period.school_year(2025),
            Period.calendar_year(2025),
            Period.school_year(2025).on_reference_date(),
        ]
        dims = [("hub", "programme", "category", "level"), ("organisation",), ()]
        return [
            [(c.key, c.participants, c.enrolments) for c in count(p, d)]
            for p in periods
            for d in dims
        ]


def test_erasure_leaves_no_trace_and_the_same_counts(client, login, planted, app, caplog):
    assert len(traces_left(app)) >= 6  # the search finds what was planted
    before = all_counts(app)
    login(client, planted["coordinator"])
    person_id = planted["person"].id
    with caplog.at_level(logging.INFO, logger="hubs.security"):
        response = client.post_form(f"/learners/people/{person_id}/erase", {"confirm": "y"})
    assert response.status_code == 302
    assert "gewist" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert traces_left(app) == []
    assert all_counts(app) == before
    events = [r.security_event for r in caplog.records if hasattr(r, "security_event")]
    assert events == [
        {
            "action": "learner.erased",
            "actor_id": planted["coordinator"].id,
            "subject_type": "learner",
            "subject_id": person_id,
        }
    ]
    assert not any(GIVEN in r.getMessage() or REFERENCE in r.getMessage() for r in caplog.records)
    from hubs.learners.models import Enrolment, Learner
    from hubs.mail.models import OutboxMessage, OutboxStatus

    with app.app_context():
        bystander = db.session.get(Learner, planted["bystander"].id)
        assert bystander.reference == "E-0001" and bystander.family_name == "Bakker"
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(Enrolment)
                .where(Enrolment.note == "Bakker werkt rechtshandig")
            )
            == 1
        )
        reminder = db.session.scalar(
            select(OutboxMessage).where(OutboxMessage.kind == "course.reminder")
        )
        assert reminder.status == OutboxStatus.FAILED  # never sent to the erased address


def test_erasure_needs_confirmation_and_the_right_role(client, login, planted, make, app):
    login(client, planted["coordinator"])
    person_id = planted["person"].id
    response = client.post_form(f"/learners/people/{person_id}/erase", {})
    assert response.status_code == 200 and len(traces_left(app)) > 0
    client.post_form("/logout")
    outsider = make.user(("coordinator", make.hub()))
    login(client, outsider)
    assert (
        client.post_form(f"/learners/people/{person_id}/erase", {"confirm": "y"}).status_code == 404
    )


def test_export_holds_everything_on_the_learner_and_is_logged(client, login, planted, caplog):
    login(client, planted["coordinator"])
    person_id = planted["person"].id
    with caplog.at_level(logging.INFO, logger="hubs.security"):
        response = client.post_form(f"/learners/people/{person_id}/export")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.data)
    assert data["learners"]["learner"]["reference"] == REFERENCE
    assert data["learners"]["learner"]["email"] == EMAIL
    assert len(data["learners"]["enrolments"]) == 1
    assert {m["to_address"] for m in data["outbox"]} == {"hr@bedrijf.example", EMAIL}
    assert FAMILY not in json.dumps(data["learners"]["enrolments"][0]["programme"])
    events = [r.security_event for r in caplog.records if hasattr(r, "security_event")]
    assert [e["action"] for e in events] == ["learner.exported"]
