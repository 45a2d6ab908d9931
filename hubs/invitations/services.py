"""Invite a person by e-mail; re-send, withdraw; accept (set a password, or sign in).

Authorisation (who may invite into which organisation) is checked by the views and API
with :mod:`hubs.accounts.policies`; these services keep the rules of the invitation.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, or_, select, update

from hubs.accounts import services as accounts
from hubs.accounts.models import Role, User
from hubs.accounts.tokens import token_digest
from hubs.audit import events
from hubs.audit.services import log_security_event
from hubs.db import transactional, utcnow
from hubs.errors import DomainError, InvalidInput
from hubs.extensions import db
from hubs.invitations.models import Invitation
from hubs.mail.services import queue_mail
from hubs.privacy import Subject, register_eraser, register_exporter, register_purger

SUBJECT = _l("You are invited to Hubs")


class LinkNotValid(DomainError):
    """The invitation link was used, withdrawn, has expired or never existed."""

    status = 410
    code = "gone"


@transactional
def invite(
    email: str,
    *,
    role: Role,
    invited_by: User,
    organisation_id: int | None = None,
    hub_id: int | None = None,
    is_org_admin: bool = False,
    name: str = "",
    locale: str = "nl",
) -> Invitation:
    """Create an invitation and queue its mail (in this unit of work)."""
    email = accounts.normalise_email(email)
    existing_user = accounts.find_user_by_email(email)
    if existing_user is not None and not existing_user.active:
        raise InvalidInput(
            _l("This person's account is deactivated. Ask a programme manager."), "email"
        )
    if role == Role.BOOKER and organisation_id is None:
        raise InvalidInput(_l("Choose an organisation."), "organisation_id")
    if role == Role.COORDINATOR and hub_id is None:
        raise InvalidInput(_l("Choose a hub."), "hub_id")
    if _pending_for(email, role, organisation_id, hub_id) is not None:
        raise InvalidInput(
            _l("This address already has an open invitation for this role. Send it again."),
            "email",
        )
    if locale not in current_app.config["LANGUAGES"]:
        raise InvalidInput(_l("Unknown language."), "locale")
    secret = secrets.token_urlsafe(32)
    invitation = Invitation(
        email=email,
        name=name.strip()[:200],
        locale=locale,
        role=role,
        organisation_id=organisation_id if role == Role.BOOKER else None,
        hub_id=hub_id if role == Role.COORDINATOR else None,
        is_org_admin=is_org_admin and role == Role.BOOKER,
        token_hash=token_digest(secret),
        invited_by_id=invited_by.id,
        expires_at=_expiry(),
    )
    db.session.add(invitation)
    db.session.flush()
    _send(invitation, secret, invited_by)
    _log(events.INVITATION_SENT, invitation, invited_by)
    return invitation


def _expiry():  # type: ignore[no-untyped-def]
    return utcnow() + timedelta(days=current_app.config["INVITATION_DAYS"])


def _pending_for(
    email: str, role: Role, organisation_id: int | None, hub_id: int | None
) -> Invitation | None:
    stmt = select(Invitation).where(
        Invitation.email == email,
        Invitation.role == role,
        Invitation.accepted_at.is_(None),
        Invitation.withdrawn_at.is_(None),
        Invitation.expires_at > utcnow(),
    )
    if organisation_id is not None:
        stmt = stmt.where(Invitation.organisation_id == organisation_id)
    if hub_id is not None:
        stmt = stmt.where(Invitation.hub_id == hub_id)
    return db.session.scalars(stmt.limit(1)).first()


def _send(invitation: Invitation, secret: str, inviter: User) -> None:
    db.session.refresh(invitation, ["organisation", "hub"])
    queue_mail(
        to=invitation.email,
        kind="account.invitation",
        template="invitations/invitation",
        subject=SUBJECT,
        locale=invitation.locale,
        invitation=invitation,
        inviter_name=inviter.name or inviter.email,
        token=secret,
        days=current_app.config["INVITATION_DAYS"],
    )


def _log(event: str, invitation: Invitation, actor: User | None) -> None:
    log_security_event(
        event,
        actor_id=actor.id if actor else None,
        user_id=invitation.accepted_user_id,
        target_type="invitation",
        target_id=invitation.id,
        details={
            "role": invitation.role.value,
            "organisation_id": invitation.organisation_id,
            "hub_id": invitation.hub_id,
        },
    )


@transactional
def resend(invitation: Invitation, actor: User) -> None:
    """Send the invitation again with a new link and a new expiry; the old link dies."""
    invitation = db.session.merge(invitation)
    if not invitation.is_open:
        raise DomainError(_l("This invitation was already accepted or withdrawn."))
    secret = secrets.token_urlsafe(32)
    invitation.token_hash = token_digest(secret)
    invitation.expires_at = _expiry()
    invitation.sent_at = utcnow()
    invitation.send_count += 1
    db.session.flush()
    _send(invitation, secret, actor)
    _log(events.INVITATION_RESENT, invitation, actor)


@transactional
def withdraw(invitation: Invitation, actor: User) -> None:
    """End the invitation: its link stops working."""
    result = db.session.execute(
        update(Invitation)
        .where(
            Invitation.id == invitation.id,
            Invitation.accepted_at.is_(None),
            Invitation.withdrawn_at.is_(None),
        )
        .values(withdrawn_at=utcnow())
    )
    if not result.rowcount:  # type: ignore[attr-defined]
        raise DomainError(_l("This invitation was already accepted or withdrawn."))
    _log(events.INVITATION_WITHDRAWN, invitation, actor)


def open_invitation(secret: str) -> Invitation | None:
    """The invitation of a link if it can still be accepted, else None."""
    invitation = db.session.scalar(
        select(Invitation).where(Invitation.token_hash == token_digest(secret))
    )
    if invitation is None or not invitation.is_open or utcnow() >= invitation.expires_at:
        return None
    return invitation


def existing_account(invitation: Invitation) -> User | None:
    """The account that already uses the invited address, if any."""
    return accounts.find_user_by_email(invitation.email)


@transactional
def accept(secret: str, *, name: str = "", password: str | None = None) -> User:
    """Accept an invitation: the role is granted, and a new account gets its password.

    A new person must choose a password (the policy applies); a person who already has
    an account keeps their password and signs in as usual.
    """
    invitation = open_invitation(secret)
    if invitation is None:
        raise LinkNotValid(_l("This invitation link is no longer valid."))
    user = existing_account(invitation)
    if user is not None and not user.active:
        raise LinkNotValid(_l("This invitation link is no longer valid."))
    if user is None:
        if not name.strip():
            raise InvalidInput(_l("Fill in your name."), "name")
        if password is None:
            raise InvalidInput(_l("Choose a password."), "password")
        user = accounts.create_user(
            invitation.email, name=name, password=password, locale=invitation.locale
        )
    # Compare-and-swap: a link used twice at once grants once.
    claimed = db.session.execute(
        update(Invitation)
        .where(
            Invitation.id == invitation.id,
            Invitation.accepted_at.is_(None),
            Invitation.withdrawn_at.is_(None),
        )
        .values(accepted_at=utcnow(), accepted_user_id=user.id)
    )
    if not claimed.rowcount:  # type: ignore[attr-defined]
        raise LinkNotValid(_l("This invitation link is no longer valid."))
    inviter = db.session.get(User, invitation.invited_by_id) if invitation.invited_by_id else None
    accounts.grant_role(
        user,
        invitation.role,
        hub_id=invitation.hub_id,
        organisation_id=invitation.organisation_id,
        is_org_admin=invitation.is_org_admin,
        granted_by=inviter,
    )
    db.session.refresh(invitation)
    _log(events.INVITATION_ACCEPTED, invitation, user)
    return user


@transactional
def purge_ended_invitations() -> int:
    """Remove invitations (with their address) that ended long enough ago."""
    cutoff = utcnow() - timedelta(days=current_app.config["INVITATION_RETENTION_DAYS"])
    result = db.session.execute(
        delete(Invitation).where(
            or_(
                Invitation.accepted_at < cutoff,
                Invitation.withdrawn_at < cutoff,
                Invitation.expires_at < cutoff,
            )
        )
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


# --- privacy: erasure and access requests, retention ------------------------------------


def _matching(subject: Subject) -> Any:
    needles = [n.lower() for n in subject.needles]
    return or_(func.lower(Invitation.email).in_(needles), func.lower(Invitation.name).in_(needles))


def _erase(subject: Subject) -> int:
    """Invitations to the person's address or in their name go (with the address)."""
    result = db.session.execute(delete(Invitation).where(_matching(subject)))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def _export(subject: Subject) -> list[dict[str, Any]]:
    return [
        {
            "email": i.email,
            "name": i.name,
            "role": i.role.value,
            "organisation_id": i.organisation_id,
            "hub_id": i.hub_id,
            "sent_at": i.sent_at.isoformat(),
            "accepted_at": i.accepted_at.isoformat() if i.accepted_at else None,
        }
        for i in db.session.scalars(select(Invitation).where(_matching(subject)).limit(1000))
    ]


register_eraser("invitations", _erase)
register_exporter("invitations", _export)
register_purger("invitations", lambda today: purge_ended_invitations())
