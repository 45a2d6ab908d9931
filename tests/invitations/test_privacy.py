"""Invitations and the security log in the privacy machinery (erasure, access, retention)."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from sqlalchemy import select

from hubs.accounts.models import Role
from hubs.db import utcnow
from hubs.extensions import db
from hubs.invitations import services
from hubs.invitations.models import Invitation
from hubs.privacy import Subject, erasers, exporters
from hubs.privacy.audit import security_event
from hubs.privacy.services import purge
from tests.helpers import security_events


def _invite(app, make, email="q.zevenhuizen@voorbeeld.nl"):
    org = make.organisation(hubs=(make.hub(),))
    admin = make.user(("booker", org, True))
    with app.app_context():
        return services.invite(email, role=Role.BOOKER, organisation_id=org.id, invited_by=admin)


def test_an_erasure_removes_invitations_to_the_person_and_an_access_request_lists_them(app, make):
    _invite(app, make)
    _invite(app, make, email="someone.else@voorbeeld.nl")
    subject = Subject(learner_id=1, needles=("Q.Zevenhuizen@voorbeeld.nl", "Zevenhuizen"))
    with app.app_context():
        (exported,) = exporters()["invitations"](subject)
        assert exported["email"] == "q.zevenhuizen@voorbeeld.nl"
        from hubs.db import write_transaction

        with write_transaction():
            assert erasers()["invitations"](subject) == 1
        assert db.session.scalars(select(Invitation.email)).all() == ["someone.else@voorbeeld.nl"]


def test_privacy_purge_removes_ended_invitations_and_old_security_events(app, make):
    invitation = _invite(app, make)
    later = utcnow() + timedelta(days=app.config["SECURITY_LOG_RETENTION_DAYS"] + 10)
    with time_machine.travel(later, tick=False), app.app_context():
        touched = purge()
        assert touched["invitations"] == 1 and touched["security_log"] >= 1
        assert db.session.get(Invitation, invitation.id) is None


def test_privacy_requests_are_written_to_the_security_log(app):
    with app.app_context():
        security_event("learner.erased", actor_id=7, subject_type="learner", subject_id=42)
    (event,) = security_events(app, "learner.erased")
    assert (event.actor_id, event.target_type, event.target_id) == (7, "learner", 42)
