"""What the outbox holds on a person: erased on request, purged after its period."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from hubs.db import utcnow
from hubs.extensions import db
from hubs.mail.models import OutboxMessage, OutboxStatus
from hubs.mail.services import purge_delivered
from hubs.privacy import Subject, register_eraser, register_exporter, register_purger
from hubs.privacy.text import matching, scrub

TEXT_COLUMNS = [
    "to_address",
    "subject",
    "body_text",
    "body_html",
    "last_error",
    "attachments",
    "recipe",
]


def erase(subject: Subject) -> int:
    """Scrub messages that mention the person; one not yet sent is not sent at all."""
    rows = scrub(OutboxMessage, TEXT_COLUMNS, subject.needles)
    for message in rows:
        if message.status in (OutboxStatus.PENDING, OutboxStatus.SENDING):
            message.status = OutboxStatus.FAILED
            message.last_error = "cancelled: personal data erased on request"
            message.recipe = None
            message.next_attempt_at = utcnow()  # dates the failure for the purge
    return len(rows)


def export(subject: Subject) -> list[dict[str, Any]]:
    """Messages that mention the person."""
    if not subject.needles:
        return []
    columns = [getattr(OutboxMessage, name) for name in TEXT_COLUMNS]
    messages = db.session.scalars(
        select(OutboxMessage)
        .where(matching(OutboxMessage, columns, subject.needles))
        .order_by(OutboxMessage.id)
    )
    return [
        {
            "id": m.id,
            "created_at": m.created_at.isoformat(),
            "to_address": m.to_address,
            "subject": m.subject,
            "body_text": m.body_text,
            # Not composed yet: what the worker would compose it from.
            **({"recipe": m.recipe} if m.recipe is not None else {}),
            "status": m.status.value,
        }
        for m in messages
    ]


register_eraser("outbox", erase)
register_exporter("outbox", export)
register_purger("outbox", lambda today: purge_delivered())
