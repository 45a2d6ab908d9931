"""Small building blocks shared by the models of every feature."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import Enum
from sqlalchemy.orm import Mapped, mapped_column

from hubs.db import UTCDateTime, utcnow


def str_enum(cls: type[enum.Enum], name: str) -> Enum:
    """A portable enum column: VARCHAR plus a CHECK constraint, no PostgreSQL TYPE."""
    return Enum(
        cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        validate_strings=True,
        length=max(len(m.value) for m in cls),  # type: ignore[misc]
        values_callable=lambda e: [m.value for m in e],
    )


def personal(purpose: str, retention: str) -> dict[str, Any]:
    """Column ``info`` marking personal data: why we hold it and which retention applies.

    Retention categories: ``account`` (while the account exists), ``learner`` (by the
    learner's category, after their last enrolment: pupils and students two years,
    employees seven; ``RETENTION_YEARS``), ``upload`` (an import waiting for confirmation:
    a day), ``outbox`` (30 days after delivery), ``security`` (the security log's period),
    ``invitation`` (90 days after the invitation was accepted, withdrawn or expired).
    A test fails for a personal-looking column without this marker
    (tests/privacy/test_personal_data.py).
    """
    return {"personal": {"purpose": purpose, "retention": retention}}


def created_at_column() -> Mapped[datetime]:
    return mapped_column(UTCDateTime(), default=utcnow, nullable=False)
