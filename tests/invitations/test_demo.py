"""The demo data of this issue: open invitations, a security log, a retired machine,
opening-hour exceptions ahead of today."""

from __future__ import annotations

from sqlalchemy import func, select

from hubs.audit.models import SecurityEvent
from hubs.db import local_today, utcnow
from hubs.extensions import db
from hubs.invitations.models import Invitation, InvitationStatus
from hubs.locations.models import OpeningException, Resource


def test_demo_has_invitations_events_a_retired_machine_and_exceptions(app):
    from hubs.demo.cli import load_demo

    with app.app_context():
        load_demo()
        now = utcnow()
        statuses = [i.status_at(now) for i in db.session.scalars(select(Invitation))]
        assert statuses.count(InvitationStatus.PENDING) >= 3
        assert InvitationStatus.EXPIRED in statuses
        assert db.session.scalar(select(func.count()).select_from(SecurityEvent)) >= 10
        retired = db.session.scalars(select(Resource).where(Resource.active.is_(False))).all()
        assert [r.name for r in retired] == ["Lasersnijder Epilog (oud)"]
        upcoming = db.session.scalars(
            select(OpeningException).where(OpeningException.on_date > local_today())
        ).all()
        assert len(upcoming) >= 4 and any(e.is_closed for e in upcoming)
