"""Issuing, revoking and checking licences at the service level (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date

import pytest

from hubs.errors import DomainError, InvalidInput
from hubs.licences import services
from hubs.licences.models import Licence, LicenceSource
from tests.licences.conftest import give


def test_issue_normalises_the_kind_and_records_the_source(ctx, lw):
    licence = services.issue_licence(
        learner_id=lw.anna.id,
        kind=" CNC ",
        issued_on=date(2026, 1, 5),
        expires_on=date(2028, 1, 4),
        course_id=17,
    )
    assert licence.kind == "cnc" and licence.source == LicenceSource.COURSE
    assert licence.course_id == 17 and licence.revoked_at is None


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"kind": "c n c!"}, "kind"),
        ({"kind": ""}, "kind"),
        ({"expires_on": date(2025, 12, 31)}, "expires_on"),
        ({"source": "rumour"}, "source"),
        ({"learner_id": 999999}, "learner_id"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(ctx, lw, overrides, field):
    from sqlalchemy import func, select

    from hubs.extensions import db

    values = {
        "learner_id": lw.anna.id,
        "kind": "cnc",
        "issued_on": date(2026, 1, 5),
        "expires_on": None,
        **overrides,
    }
    with pytest.raises(InvalidInput) as error:
        services.issue_licence(**values)
    assert field in error.value.fields
    assert db.session.scalar(select(func.count()).select_from(Licence)) == 0


def test_valid_licences_respects_issue_date_expiry_revocation_and_kind(app, lw):
    give(lw.anna, "cnc", date(2026, 1, 1), date(2026, 3, 31), app)
    give(lw.bert, "laser", date(2026, 1, 1), None, app)
    revoked = give(lw.stranger, "cnc", date(2026, 1, 1), None, app)
    with app.app_context():
        services.revoke_licence(revoked, revoked_by_id=None)
        ids = [lw.anna.id, lw.bert.id, lw.stranger.id]
        assert services.valid_licences(ids, "CNC", [date(2026, 3, 31)]) == {lw.anna.id}
        # The expiry date itself is the last valid day; a booking spanning it is not covered.
        assert services.valid_licences(ids, "cnc", [date(2026, 3, 31), date(2026, 4, 1)]) == set()
        assert services.valid_licences(ids, "cnc", [date(2025, 12, 31)]) == set()
        assert services.valid_licences(ids, "laser", [date(2030, 1, 1)]) == {lw.bert.id}
        assert services.valid_licences([], "cnc", [date(2026, 2, 1)]) == set()


def test_revoking_twice_changes_nothing_the_second_time(app, lw):
    licence_id = give(lw.anna, "cnc", date(2026, 1, 1), None, app)
    with app.app_context():
        first = services.revoke_licence(licence_id, revoked_by_id=None)
        assert first.revoked_at is not None
        with pytest.raises(DomainError):
            services.revoke_licence(licence_id, revoked_by_id=None)


def test_issue_joins_the_callers_unit_of_work(app, lw):
    """The courses feature issues a licence inside its own transaction: one commit."""
    from sqlalchemy import func, select

    from hubs.db import write_transaction
    from hubs.extensions import db

    with app.app_context():
        with pytest.raises(RuntimeError), write_transaction():
            services.issue_licence(
                learner_id=lw.anna.id, kind="cnc", issued_on=date(2026, 1, 1), expires_on=None
            )
            raise RuntimeError("the course's completion failed")
        assert db.session.scalar(select(func.count()).select_from(Licence)) == 0


def test_remind_mails_the_organisation_once_per_licence(app, lw, make):
    from tests.helpers import queued_mail

    hr = make.user(("booker", lw.base.other_org), email="hr@kromwijk.example", name="HR")
    give(lw.anna, "cnc", date(2025, 1, 1), date(2026, 3, 20), app)  # in 18 days
    give(lw.bert, "cnc", date(2025, 1, 1), date(2026, 6, 1), app)  # later
    give(lw.stranger, "cnc", date(2025, 1, 1), date(2026, 3, 10), app)  # other organisation
    with app.app_context():
        assert services.remind_expiring(date(2026, 3, 2)) == 2
        assert services.remind_expiring(date(2026, 3, 2)) == 0
    mails = queued_mail(app, hr.email)
    assert len(mails) == 1
    assert "Anna Smit" in mails[0].body_text and "Bert" not in mails[0].body_text
    assert "Cor Vos" not in mails[0].body_text


def test_the_remind_command_is_idempotent(app, lw, make):
    make.user(("booker", lw.base.other_org), email="hr@kromwijk.example")
    give(lw.anna, "cnc", date(2025, 1, 1), date(2026, 3, 20), app)
    runner = app.test_cli_runner()
    assert "reminded of 1 licences" in runner.invoke(args=["licences", "remind"]).output
    assert "reminded of 0 licences" in runner.invoke(args=["licences", "remind"]).output
