"""Accounts use cases: sign-in, sessions, API tokens, users and role grants."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from hubs.accounts.models import ApiToken, AuthSession, Role, RoleGrant, User
from hubs.accounts.passwords import (
    hash_password,
    is_common_password,
    needs_rehash,
    verify_password,
)
from hubs.accounts.tokens import (  # noqa: F401  (re-exported: the API and tests use them)
    TOKEN_PREFIX,
    issue_api_token,
    revoke_api_token,
    token_digest,
    user_for_token,
)
from hubs.audit import events
from hubs.audit.services import log_security_event
from hubs.db import transactional, utcnow
from hubs.errors import DomainError, InvalidInput
from hubs.extensions import db
from hubs.mail import kinds

# Invitations, password resets and password-change notices: always sent.
kinds.register("account", _l("Your account"), security=True)

# A session's last_seen_at is refreshed at most this often (a write per request would
# serialise every request behind SQLite's write lock).
LAST_SEEN_GRANULARITY = timedelta(minutes=5)


def _digest(secret: str) -> str:
    return token_digest(secret)


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
        if existing.is_org_admin != is_org_admin:
            existing.is_org_admin = is_org_admin
            _log_grant(events.ROLE_GRANTED, existing, granted_by)
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
    _log_grant(events.ROLE_GRANTED, grant, granted_by)
    return grant


def _log_grant(event: str, grant: RoleGrant, actor: User | None) -> None:
    log_security_event(
        event,
        actor_id=actor.id if actor else None,
        user_id=grant.user_id,
        target_type="role_grant",
        target_id=grant.id,
        details={
            "role": grant.role.value,
            "hub_id": grant.hub_id,
            "organisation_id": grant.organisation_id,
            "is_org_admin": grant.is_org_admin,
        },
    )


@transactional
def revoke_grant(grant: RoleGrant, actor: User) -> None:
    """Take a role away (e.g. an organisation admin removes a colleague).

    When it was the person's last role, their sessions and API tokens end too: they have
    no rights left. The account stays active, so they can be invited again later.
    """
    if grant.user_id == actor.id:
        raise DomainError(_l("You cannot remove your own role."))
    _log_grant(events.ROLE_REVOKED, grant, actor)
    db.session.delete(db.session.merge(grant))
    db.session.flush()
    remaining = db.session.scalar(
        select(func.count()).select_from(RoleGrant).where(RoleGrant.user_id == grant.user_id)
    )
    if not remaining:
        end_sessions(grant.user_id)
        _revoke_tokens(grant.user_id, utcnow())


def _revoke_tokens(user_id: int, now: datetime) -> None:
    db.session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )


# --- browser sessions ------------------------------------------------------------------


@transactional
def start_session(user: User) -> str:
    """Open a browser session for ``user``; returns the secret key for the cookie."""
    key = secrets.token_urlsafe(32)
    db.session.add(AuthSession(user_id=user.id, key_hash=_digest(key)))
    user.session_key = key
    return key


@transactional
def sign_in(user: User) -> str:
    """Open a browser session after a correct password, and log the sign-in."""
    key = start_session(user)
    log_security_event(events.SIGN_IN, actor_id=user.id, user_id=user.id)
    return key


@transactional
def record_failed_sign_in(email: str, channel: str = "web") -> None:
    """Log a failed sign-in: the account's id if the address exists, never the address."""
    user = find_user_by_email(email)
    log_security_event(
        events.SIGN_IN_FAILED,
        actor_id=None,
        user_id=user.id if user else None,
        details={"channel": channel},
    )


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
    log_security_event(events.PASSWORD_CHANGED, actor_id=user.id, user_id=user.id)
    notify_password_changed(user)


def notify_password_changed(user: User) -> None:
    """Tell the user by mail, so a change they did not make does not go unnoticed."""
    from hubs.mail.services import queue_mail

    queue_mail(
        to=user,
        kind="account.password_changed",
        template="accounts/password_changed",
        subject=_l("Your Hubs password was changed"),
    )


@transactional
def set_password(user: User, password: str, *, keep_session: str | None = None) -> None:
    """Store a new password hash and end all sessions but ``keep_session``."""
    problems = password_problems(password, user.email)
    if problems:
        raise InvalidInput(problems[0], "password")
    user.password_hash = hash_password(password)
    end_sessions(user.id, except_key=keep_session)


# Called with the user's id inside the deactivation's unit of work. Features that give
# users other ways in (calendar feed links, later) register here to end them too.
_deactivation_hooks: list[Callable[[int], None]] = []


def on_deactivate(hook: Callable[[int], None]) -> Callable[[int], None]:
    """Register ``hook(user_id)`` to run when a user is deactivated (same transaction)."""
    if hook not in _deactivation_hooks:
        _deactivation_hooks.append(hook)
    return hook


@transactional
def deactivate_user(user: User, actor: User | None = None) -> None:
    """Lock a user out everywhere: sessions, API tokens (and feed links) end at once."""
    if actor is not None and actor.id == user.id:
        raise DomainError(_l("You cannot deactivate your own account."))
    now = utcnow()
    user = db.session.merge(user)
    was_active = user.active
    user.active = False
    user.deactivated_at = user.deactivated_at if not was_active else now
    end_sessions(user.id)
    _revoke_tokens(user.id, now)
    for hook in _deactivation_hooks:
        hook(user.id)
    if was_active:
        log_security_event(
            events.USER_DEACTIVATED, actor_id=actor.id if actor else None, user_id=user.id
        )


@transactional
def reactivate_user(user: User, actor: User) -> None:
    """Let a deactivated user in again (they sign in anew; old sessions stay ended)."""
    user = db.session.merge(user)
    if user.active:
        return
    user.active = True
    user.deactivated_at = None
    log_security_event(events.USER_REACTIVATED, actor_id=actor.id, user_id=user.id)


@transactional
def update_profile(user: User, name: str, locale: str) -> None:
    """Change the user's own name and interface language."""
    name = name.strip()
    if not name:
        raise InvalidInput(_l("Fill in your name."), "name")
    if locale not in current_app.config["LANGUAGES"]:
        raise InvalidInput(_l("Unknown language."), "locale")
    stored = db.session.merge(user)
    stored.name = user.name = name[:200]
    stored.locale = user.locale = locale


@transactional
def set_locale(user: User, locale: str) -> None:
    """Remember the user's interface language."""
    if locale not in current_app.config["LANGUAGES"]:
        raise InvalidInput(_l("Unknown language."), "locale")
    db.session.merge(user).locale = locale
    user.locale = locale
