"""Write and read the security log."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app, has_request_context
from sqlalchemy import Select, delete, or_, select

from hubs.audit import events
from hubs.audit.models import SecurityEvent
from hubs.db import transactional, utcnow
from hubs.extensions import db
from hubs.privacy import register_purger

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# Detail values are codes or numbers: never free text that could carry a name or address.
_CODE = re.compile(r"^[A-Za-z0-9_.:-]{0,40}$")


def request_ip() -> str | None:
    """The client address of the current request (after ProxyFix), if there is one."""
    if not has_request_context():
        return None
    from flask import request

    return (request.remote_addr or "")[:45] or None


def _check_details(details: dict[str, Any]) -> None:
    for key, value in details.items():
        if not _CODE.match(key):
            raise ValueError(f"security log detail key {key!r} is not a code")
        if value is None or isinstance(value, bool | int):
            continue
        if not isinstance(value, str) or not _CODE.match(value) or "@" in value:
            raise ValueError(f"security log detail {key}={value!r} must be an id or a code")


@transactional
def log_security_event(
    event: str,
    *,
    actor_id: int | None,
    user_id: int | None = None,
    target_type: str | None = None,
    target_id: int | None = None,
    details: dict[str, Any] | None = None,
    ip: str | None = None,
) -> SecurityEvent:
    """Record a security event in the current unit of work (or its own, if none).

    ``event`` must be registered in :mod:`hubs.audit.events`. ``ip`` defaults to the
    current request's client address. ``details`` holds ids and codes only; anything
    that looks like free text (a name, an e-mail address) is refused.
    """
    if not events.is_known(event):
        raise ValueError(f"unknown security event {event!r}: register it in hubs.audit.events")
    details = dict(details or {})
    _check_details(details)
    row = SecurityEvent(
        event=event,
        actor_id=actor_id,
        user_id=user_id,
        target_type=target_type,
        target_id=target_id,
        ip=ip if ip is not None else request_ip(),
        details=details,
    )
    db.session.add(row)
    db.session.flush()
    return row


@dataclass(frozen=True)
class EventFilter:
    """What the security log page asks for; every part optional."""

    event: str | None = None
    user_id: int | None = None  # as actor or as subject
    since: date | None = None  # local dates, inclusive
    until: date | None = None


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), AMSTERDAM)


def select_events(f: EventFilter) -> Select[Any]:
    """The events matching ``f``, newest first."""
    stmt = select(SecurityEvent).order_by(SecurityEvent.occurred_at.desc(), SecurityEvent.id.desc())
    if f.event:
        stmt = stmt.where(SecurityEvent.event == f.event)
    if f.user_id is not None:
        stmt = stmt.where(
            or_(SecurityEvent.actor_id == f.user_id, SecurityEvent.user_id == f.user_id)
        )
    if f.since is not None:
        stmt = stmt.where(SecurityEvent.occurred_at >= _local_midnight(f.since))
    if f.until is not None:
        stmt = stmt.where(SecurityEvent.occurred_at < _local_midnight(f.until + timedelta(days=1)))
    return stmt


@transactional
def purge_security_events(now: datetime | None = None) -> int:
    """Remove events older than the retention period (``SECURITY_LOG_RETENTION_DAYS``)."""
    days = current_app.config["SECURITY_LOG_RETENTION_DAYS"]
    cutoff = (now or utcnow()) - timedelta(days=days)
    result = db.session.execute(delete(SecurityEvent).where(SecurityEvent.occurred_at < cutoff))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


# Retention: `flask privacy purge` removes old events with everything else past its time.
register_purger("security_log", lambda today: purge_security_events())
