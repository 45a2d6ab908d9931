"""Outgoing messages (the outbox) and users' notification choices."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hubs.db import UTCDateTime, utcnow
from hubs.extensions import Model
from hubs.models_base import created_at_column, personal, str_enum


class OutboxStatus(StrEnum):
    PENDING = "pending"  # waiting for (another) delivery attempt
    SENDING = "sending"  # claimed by a worker until claimed_until
    SENT = "sent"
    FAILED = "failed"  # gave up after the maximum number of attempts


class OutboxMessage(Model):
    """One e-mail, written in the same transaction as the change that causes it.

    It is rendered when queued (in the recipient's language) and delivered after commit
    by ``flask outbox send`` / ``flask outbox work``. Its id is its Message-ID, so a
    retry after a crash is recognisable as the same message.

    A message on a hot path (the confirmation of a booking) may instead be queued as a
    ``recipe``: a composer's name and its arguments (ids, short texts). The worker composes
    it before sending (``hubs.mail.services.compose_pending``): subject, bodies and
    attachments are then filled in and the recipe is cleared, so a sent message always
    holds what was sent.
    """

    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_messages_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = created_at_column()
    kind: Mapped[str] = mapped_column(String(60))
    to_address: Mapped[str] = mapped_column(
        String(254), info=personal("deliver the message", "outbox")
    )
    to_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    locale: Mapped[str] = mapped_column(String(5), default="nl")
    subject: Mapped[str] = mapped_column(String(300), info=personal("message", "outbox"))
    body_text: Mapped[str] = mapped_column(Text, info=personal("message", "outbox"))
    body_html: Mapped[str] = mapped_column(Text, default="", info=personal("message", "outbox"))
    # [{"filename", "content_type", "content"}] — e.g. calendar events (.ics).
    attachments: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    # {"composer": name, "args": {...}} until composed; NULL for a rendered message.
    recipe: Mapped[dict[str, Any] | None] = mapped_column(
        JSON(none_as_null=True), info=personal("compose the message", "outbox")
    )
    status: Mapped[OutboxStatus] = mapped_column(
        str_enum(OutboxStatus, "outbox_status"), default=OutboxStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str] = mapped_column(Text, default="")
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class NotificationOptOut(Model):
    """A notification kind a user chose not to receive (security mail always goes)."""

    __tablename__ = "notification_opt_outs"
    __table_args__ = (UniqueConstraint("user_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(60))
