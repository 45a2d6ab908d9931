"""Forgotten password: a single-use link by mail that expires; using it ends all sessions.

The person asking gets the same answer whether or not the address has an account, and
about the same amount of work is done either way (the mail is rendered regardless).
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from hubs.accounts.models import PasswordReset, User
from hubs.accounts.services import (
    find_user_by_email,
    notify_password_changed,
    password_problems,
    set_password,
)
from hubs.accounts.tokens import token_digest
from hubs.audit import events
from hubs.audit.services import log_security_event
from hubs.db import transactional, utcnow
from hubs.errors import InvalidInput
from hubs.extensions import db
from hubs.mail.services import queue_mail, render_mail

SUBJECT = _l("Choose a new password for Hubs")


@transactional
def request_password_reset(email: str) -> None:
    """Mail a reset link to an active account with this address; otherwise do nothing."""
    user = find_user_by_email(email)
    secret = secrets.token_urlsafe(32)
    minutes = current_app.config["PASSWORD_RESET_MINUTES"]
    if user is None or not user.active:
        # Same rendering work as for a real account, so timing reveals little.
        render_mail(
            "accounts/password_reset", SUBJECT, "nl", user=None, token=secret, minutes=minutes
        )
        return
    reset = PasswordReset(
        user_id=user.id,
        token_hash=token_digest(secret),
        expires_at=utcnow() + timedelta(minutes=minutes),
    )
    db.session.add(reset)
    db.session.flush()
    queue_mail(
        to=user,
        kind="account.password_reset",
        template="accounts/password_reset",
        subject=SUBJECT,
        token=secret,
        minutes=minutes,
    )
    log_security_event(events.PASSWORD_RESET_REQUESTED, actor_id=None, user_id=user.id)


def usable_reset(secret: str) -> PasswordReset | None:
    """The reset of this link if it is unused, unexpired and its user still active."""
    reset = db.session.scalar(
        select(PasswordReset)
        .join(User, PasswordReset.user_id == User.id)
        .where(PasswordReset.token_hash == token_digest(secret), User.active.is_(True))
    )
    if reset is None or not reset.is_usable_at(utcnow()):
        return None
    return reset


class LinkNotValid(InvalidInput):
    """The link was used, has expired or never existed."""


@transactional
def reset_password(secret: str, password: str) -> User:
    """Set a new password through a reset link; the link and every other one die with it.

    Every session of the user ends (a stolen session must not survive the reset).
    """
    reset = usable_reset(secret)
    if reset is None:
        raise LinkNotValid(_l("This link is no longer valid. Ask for a new one."))
    user = db.session.get(User, reset.user_id)
    assert user is not None
    problems = password_problems(password, user.email)
    if problems:
        raise InvalidInput(problems[0], "password")
    now = utcnow()
    # Compare-and-swap: of two concurrent uses of one link, exactly one wins.
    claimed = db.session.execute(
        update(PasswordReset)
        .where(PasswordReset.id == reset.id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
    )
    if not claimed.rowcount:  # type: ignore[attr-defined]
        raise LinkNotValid(_l("This link is no longer valid. Ask for a new one."))
    db.session.execute(
        update(PasswordReset)
        .where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
    )
    set_password(user, password)
    log_security_event(events.PASSWORD_RESET, actor_id=user.id, user_id=user.id)
    notify_password_changed(user)
    return user
