"""Feed links: make one (the secret URL is returned once), renew its link, revoke it, find
the feed behind a URL. Every change is in the security log (ids only)."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.orm import selectinload

from hubs.access import principal_for
from hubs.accounts.models import User
from hubs.audit import events
from hubs.audit.services import log_security_event
from hubs.calendar.feeds import may_follow
from hubs.calendar.models import CalendarFeed, FeedKind
from hubs.db import local_today, transactional, utcnow
from hubs.errors import InvalidInput
from hubs.extensions import db

FEED_CREATED = events.register("calendar_feed.created", _l("Calendar feed link made"))
FEED_RENEWED = events.register("calendar_feed.renewed", _l("Calendar feed link renewed"))
FEED_REVOKED = events.register("calendar_feed.revoked", _l("Calendar feed link revoked"))

# 32 random bytes (256 bits), URL-safe: 43 characters.
TOKEN_BYTES = 32
TOKEN_MAX_LENGTH = 64


def token_digest(token: str) -> str:
    """What is stored instead of the token: its SHA-256, hex."""
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, token_digest(token)


def _target_columns(kind: FeedKind, target_id: int | None) -> dict[str, int | None]:
    return {
        "organisation_id": target_id if kind == FeedKind.ORGANISATION else None,
        "hub_id": target_id if kind == FeedKind.HUB else None,
        "resource_id": target_id if kind == FeedKind.RESOURCE else None,
    }


@transactional
def create_feed(user: User, kind: FeedKind, target_id: int | None) -> tuple[str, CalendarFeed]:
    """A feed of ``kind`` for ``user``; returns its secret token (shown once) and the row.

    A user has one feed per calendar: asking again renews that feed's link.
    """
    target_id = None if kind == FeedKind.MINE else target_id
    user = db.session.merge(user)
    if not may_follow(principal_for(user), kind, target_id, local_today()):
        raise InvalidInput(_l("You cannot follow this calendar."), "calendar")
    columns = _target_columns(kind, target_id)
    stmt = select(CalendarFeed).where(CalendarFeed.user_id == user.id, CalendarFeed.kind == kind)
    for name, value in columns.items():
        column = getattr(CalendarFeed, name)
        stmt = stmt.where(column.is_(None) if value is None else column == value)
    existing = db.session.scalar(stmt)
    if existing is not None:
        return _renew(existing), existing
    token, digest = _new_token()
    feed = CalendarFeed(user_id=user.id, kind=kind, token_hash=digest, **columns)
    db.session.add(feed)
    db.session.flush()
    _log(FEED_CREATED, feed)
    return token, feed


@transactional
def renew_feed(feed_id: int, user_id: int) -> tuple[str, CalendarFeed] | None:
    """A new secret for one of the user's feeds: the old URL stops working at once."""
    feed = db.session.scalar(
        select(CalendarFeed).where(CalendarFeed.id == feed_id, CalendarFeed.user_id == user_id)
    )
    if feed is None:
        return None
    return _renew(feed), feed


def _renew(feed: CalendarFeed) -> str:
    token, digest = _new_token()
    feed.token_hash = digest
    feed.renewed_at = utcnow()
    db.session.flush()
    _log(FEED_RENEWED, feed)
    return token


@transactional
def revoke_feed(feed_id: int, user_id: int) -> bool:
    """Remove one of the user's feeds: its URL answers 404 from now on."""
    feed = db.session.scalar(
        select(CalendarFeed).where(CalendarFeed.id == feed_id, CalendarFeed.user_id == user_id)
    )
    if feed is None:
        return False
    _log(FEED_REVOKED, feed)
    db.session.delete(feed)
    db.session.flush()
    return True


def end_feeds_of(user_id: int) -> None:
    """Deactivation hook (inside that unit of work): every feed of the user ends."""
    db.session.execute(delete(CalendarFeed).where(CalendarFeed.user_id == user_id))


def _log(event: str, feed: CalendarFeed) -> None:
    log_security_event(
        event,
        actor_id=feed.user_id,
        user_id=feed.user_id,
        target_type="calendar_feed",
        target_id=feed.id,
        details={"kind": feed.kind.value, "target_id": feed.target_id},
    )


def feed_for_token(token: str) -> tuple[CalendarFeed, User] | None:
    """The feed behind a URL's token and its (active) owner with grants loaded; else None.

    The row is found by the token's hash (a unique index); the hashes are then compared
    in constant time as well.
    """
    if not token or len(token) > TOKEN_MAX_LENGTH:
        return None
    digest = token_digest(token)
    row = db.session.execute(
        select(CalendarFeed, User)
        .join(User, User.id == CalendarFeed.user_id)
        .where(CalendarFeed.token_hash == digest, User.active.is_(True))
        .options(selectinload(User.grants))
    ).first()
    if row is None or not hmac.compare_digest(row[0].token_hash, digest):
        return None
    return row[0], row[1]


def feeds_of(user_id: int) -> list[CalendarFeed]:
    """The user's feeds, oldest first (a user has a handful at most: one per calendar)."""
    return list(
        db.session.scalars(
            select(CalendarFeed)
            .where(CalendarFeed.user_id == user_id)
            .order_by(CalendarFeed.created_at, CalendarFeed.id)
            .limit(200)
        )
    )
