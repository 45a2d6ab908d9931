"""Demo: a few open invitations, one expired, one accepted (tokens random and unknown)."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, time, timedelta

from hubs.accounts.models import Role
from hubs.accounts.tokens import token_digest
from hubs.audit import events
from hubs.audit.services import log_security_event
from hubs.demo import DemoContext
from hubs.extensions import db
from hubs.invitations.models import Invitation

INVITATIONS = [
    # email, name, organisation, inviter, days ago sent, accepted
    ("j.visser@school-a.example", "Jeroen Visser", "school_a", "teacher_a", 1),
    ("l.mulder@roc.example", "Lotte Mulder", "roc", "coord_make", 3),
    ("werkplaats@company-c.example", "", "company_c", "coord_makerspace", 2),
    ("s.bakker@school-b.example", "Sanne Bakker", "school_b", "coord_technohub", 12),  # expired
]


def load(ctx: DemoContext) -> None:
    noon = datetime.combine(ctx.today, time(12, 0), UTC)
    for email, name, org_key, inviter_key, days_ago in INVITATIONS:
        sent = noon - timedelta(days=days_ago)
        invitation = Invitation(
            email=email,
            name=name,
            role=Role.BOOKER,
            organisation_id=ctx.organisations[org_key].id,
            invited_by_id=ctx.users[inviter_key].id,
            token_hash=token_digest(secrets.token_urlsafe(32)),
            created_at=sent,
            sent_at=sent,
            expires_at=sent + timedelta(days=7),
        )
        db.session.add(invitation)
        db.session.flush()
        event = log_security_event(
            events.INVITATION_SENT,
            actor_id=invitation.invited_by_id,
            target_type="invitation",
            target_id=invitation.id,
            details={"role": "booker", "organisation_id": invitation.organisation_id},
            ip="127.0.0.1",
        )
        event.occurred_at = sent
