"""Accounts use cases: sign-in, sessions, API tokens, users and role grants."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from hubs.accounts.models import ApiToken, AuthSession, Role, RoleGrant, User
from hubs.accounts.passwords import (
    hash_password,
    is_common_password,
    needs_rehash,
    verify_password,
)
from hubs.db import transactional, utcnow
from hubs.errors import InvalidInput
from hubs.extensions import db

TOKEN_PREFIX = "hubs_"
# A session's last_seen_at is refreshed at most this often (a write per request would
# serialise every request behind SQLite's write lock).
LAST_SEEN_GRANULARITY = timedelta(minutes=5)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def normalise_email(email: str) -> str:
    return email.strip().lower()


def password_problems(password: str, email: str | None = None) -> list[str]:
    """Why a new password is refused (empty when it is acceptable)."""
    problems = []
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        problems.append(
            _l("Use at least %(n)d characters.", n=minimum)  # type: ignore[arg-type]
        )
    elif is_common_password(password):
        problems.append(_l("This password is too common; choose another."))
    elif email and password.lower() == normalise_email(email):
        problems.append(_l("Do not use your e-mail address as password."))
    return [str(p) for p in problems]


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def authenticate(email: str, password: str) -> User | None:
    """The active user with this e-mail and password, else None (same work either way).

    A correct password stored with an old or weaker hash is re-hashed with argon2id.
    """
    user = find_user_by_email(email)
    if user is None or not user.active:
        verify_password(None, password)
        return None
    if not verify_password(user.password_hash, password):
        return None
    if user.password_hash and needs_rehash(user.password_hash):
        _rehash(user.id, password)
    return user


@transactional
def _rehash(user_id: int, password: str) -> None:
    user = db.session.get(User, user_id)
    if user is not None:
        user.password_hash = hash_password(password)


@transactional
def create_user(
    email: str,
    name: str = "",
    password: str | None = None,
    locale: str = "nl",
    *,
    check_password: bool = True,
) -> User:
    """Create a user; the e-mail must be new and the password (if any) acceptable."""
    email = normalise_email(email)
    if find_user_by_email(email) is not None:
        raise InvalidInput(_l("A user with this e-mail address already exists."), "email")
    if password is not None and check_password:
        problems = password_problems(password, email)
        if problems:
            raise InvalidInput(problems[0], "password")
    user = User(
        email=email,
        name=name.strip(),
        locale=locale,
        password_hash=hash_password(password) if password else None,
    )
    db.session.add(user)
    db.session.flush()
    return user


@transactional
def grant_role(
    user: User,
    role: Role,
    *,
    hub_id: int | None = None,
    organisation_id: int | None = None,
    is_org_admin: bool = False,
    granted_by: User | None = None,
) -> RoleGrant:
    """Give ``user`` a role (idempotent: an existing identical grant is returned)."""
    existing = db.session.scalar(
        select(RoleGrant).where(
            RoleGrant.user_id == user.id,
            RoleGrant.role == role,
            RoleGrant.hub_id.is_(None) if hub_id is None else RoleGrant.hub_id == hub_id,
            RoleGrant.organisation_id.is_(None)
            if organisation_id is None
            else RoleGrant.organisation_id == organisation_id,
        )
    )
    if existing is not None:
        existing.is_org_admin = is_org_admin
        return existing
    grant = RoleGrant(
        user_id=user.id,
        role=role,
        hub_id=hub_id,
        organisation_id=organisation_id,
        is_org_admin=is_org_admin,
        granted_by_id=granted_by.id if granted_by else None,
    )
    db.session.add(grant)
    db.session.flush()
    db.session.refresh(user, ["grants"])
    return grant


# --- browser sessions ------------------------------------------------------------------


@transactional
def start_session(user: User) -> str:
    """Open a browser session for ``user``; returns the secret key for the cookie."""
    key = secrets.token_urlsafe(32)
    db.session.add(AuthSession(user_id=user.id, key_hash=_digest(key)))
    user.session_key = key
    return key


def load_session_user(key: str) -> User | None:
    """The active user of a live session key, with grants loaded; else None."""
    row = db.session.execute(
        select(AuthSession, User)
        .join(User, AuthSession.user_id == User.id)
        .where(
            AuthSession.key_hash == _digest(key),
            AuthSession.revoked_at.is_(None),
            User.active.is_(True),
        )
        .options(selectinload(User.grants))
    ).first()
    if row is None:
        return None
    auth_session, user = row
    user.session_key = key
    if utcnow() - auth_session.last_seen_at > LAST_SEEN_GRANULARITY:
        _touch_session(auth_session.id)
    return user


@transactional
def _touch_session(session_id: int) -> None:
    db.session.execute(
        update(AuthSession).where(AuthSession.id == session_id).values(last_seen_at=utcnow())
    )


@transactional
def end_session(key: str) -> None:
    """Sign out one browser: its cookie stops working at once."""
    db.session.execute(
        update(AuthSession)
        .where(AuthSession.key_hash == _digest(key), AuthSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


@transactional
def end_sessions(user_id: int, *, except_key: str | None = None) -> int:
    """End every session of a user (but the current one, if given); returns how many."""
    stmt = update(AuthSession).where(
        AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None)
    )
    if except_key is not None:
        stmt = stmt.where(AuthSession.key_hash != _digest(except_key))
    return db.session.execute(stmt.values(revoked_at=utcnow())).rowcount  # type: ignore[attr-defined,no-any-return]


@transactional
def change_password(user: User, current: str, new: str) -> None:
    """Set a new password after checking the current one; ends the user's other sessions."""
    if not verify_password(user.password_hash, current):
        raise InvalidInput(_l("The current password is not correct."), "current_password")
    problems = password_problems(new, user.email)
    if problems:
        raise InvalidInput(problems[0], "new_password")
    set_password(user, new, keep_session=user.session_key)


@transactional
def set_password(user: User, password: str, *, keep_session: str | None = None) -> None:
    """Store a new password hash and end all sessions but ``keep_session``."""
    problems = password_problems(password, user.email)
    if problems:
        raise InvalidInput(problems[0], "password")
    user.password_hash = hash_password(password)
    end_sessions(user.id, except_key=keep_session)


@transactional
def deactivate_user(user: User) -> None:
    """Lock a user out everywhere: sessions and API tokens end at once."""
    now = utcnow()
    user.active = False
    user.deactivated_at = now
    end_sessions(user.id)
    db.session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )


# --- API tokens ------------------------------------------------------------------------


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
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id, name=name.strip()[:100], token_hash=_digest(secret), expires_at=expires_at
    )
    db.session.add(token)
    db.session.flush()
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
            ApiToken.token_hash == _digest(secret),
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
    return bool(result.rowcount)  # type: ignore[attr-defined]


@transactional
def set_locale(user: User, locale: str) -> None:
    """Remember the user's interface language."""
    if locale not in current_app.config["LANGUAGES"]:
        raise InvalidInput(_l("Unknown language."), "locale")
    db.session.merge(user).locale = locale
    user.locale = locale
