"""Personal API tokens: issue (shown once, stored hashed), look up, revoke."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from hubs.accounts.models import ApiToken, User
from hubs.audit import events
from hubs.audit.services import log_security_event
from hubs.db import transactional, utcnow
from hubs.errors import InvalidInput
from hubs.extensions import db

TOKEN_PREFIX = "hubs_"


def token_digest(secret: str) -> str:
    """The SHA-256 of a secret token: what we store instead of the token."""
    return hashlib.sha256(secret.encode()).hexdigest()


@transactional
def issue_api_token(
    user: User, name: str, expires_at: datetime | None = None
) -> tuple[str, ApiToken]:
    """Create a personal API token; the secret is returned once and stored only hashed."""
    now = utcnow()
    if expires_at is None:
        expires_at = now + timedelta(days=current_app.config["API_TOKEN_DAYS"])
    if expires_at <= now:
        raise InvalidInput(_l("The expiry date must be in the future."), "expires_at")
    if expires_at > now + timedelta(days=current_app.config["API_TOKEN_MAX_DAYS"]):
        raise InvalidInput(
            _l(
                "A token can be valid for at most %(days)d days.",
                days=current_app.config["API_TOKEN_MAX_DAYS"],
            ),
            "expires_at",
        )
    name = name.strip()
    if not name:
        raise InvalidInput(_l("Give the token a name."), "name")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id, name=name[:100], token_hash=token_digest(secret), expires_at=expires_at
    )
    db.session.add(token)
    db.session.flush()
    log_security_event(
        events.TOKEN_CREATED,
        actor_id=user.id,
        user_id=user.id,
        target_type="api_token",
        target_id=token.id,
    )
    return secret, token


def user_for_token(secret: str) -> tuple[User, ApiToken] | None:
    """The active user behind a live API token, with grants loaded; else None."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    now = utcnow()
    row = db.session.execute(
        select(ApiToken, User)
        .join(User, ApiToken.user_id == User.id)
        .where(
            ApiToken.token_hash == token_digest(secret),
            ApiToken.revoked_at.is_(None),
            ApiToken.expires_at > now,
            User.active.is_(True),
        )
        .options(selectinload(User.grants))
    ).first()
    if row is None:
        return None
    token, user = row
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        _touch_token(token.id)
    return user, token


@transactional
def _touch_token(token_id: int) -> None:
    db.session.execute(
        update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=utcnow())
    )


@transactional
def revoke_api_token(token_id: int, user_id: int) -> bool:
    """Revoke one of the user's tokens; False when there was nothing to revoke."""
    result = db.session.execute(
        update(ApiToken)
        .where(
            ApiToken.id == token_id,
            ApiToken.user_id == user_id,
            ApiToken.revoked_at.is_(None),
        )
        .values(revoked_at=utcnow())
    )
    revoked = bool(result.rowcount)  # type: ignore[attr-defined]
    if revoked:
        log_security_event(
            events.TOKEN_REVOKED,
            actor_id=user_id,
            user_id=user_id,
            target_type="api_token",
            target_id=token_id,
        )
    return revoked
