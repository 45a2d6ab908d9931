"""The security log: one row per security-relevant event."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from hubs.db import UTCDateTime, utcnow
from hubs.extensions import Model
from hubs.models_base import personal


class SecurityEvent(Model):
    """Who (a user id) did what (an event code) to whom or what (ids), when, from where.

    People are referred to by internal id only, never by name or e-mail, and the ids are
    not foreign keys: erasing a person leaves the log intact and meaningful.
    """

    __tablename__ = "security_events"
    __table_args__ = (
        Index("ix_security_events_occurred_at", "occurred_at"),
        Index("ix_security_events_event", "event", "occurred_at"),
        Index("ix_security_events_actor", "actor_id"),
        Index("ix_security_events_user", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    event: Mapped[str] = mapped_column(String(40))
    # The user who acted (None: an anonymous visitor, e.g. a failed sign-in).
    actor_id: Mapped[int | None] = mapped_column(Integer)
    # The user the event is about (the account signed into, deactivated, granted ...).
    user_id: Mapped[int | None] = mapped_column(Integer)
    # Another object it concerns: ("organisation", 4), ("invitation", 12), ("api_token", 3).
    target_type: Mapped[str | None] = mapped_column(String(30))
    target_id: Mapped[int | None] = mapped_column(Integer)
    ip: Mapped[str | None] = mapped_column(
        String(45), info=personal("investigate misuse", "security")
    )
    # Codes and ids only (role, hub_id, channel ...), checked by log_security_event.
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
