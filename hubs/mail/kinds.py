"""Kinds of notification users can choose to receive or not."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class NotificationKind:
    code: str  # the prefix of a message kind: "booking" for "booking.confirmed"
    label: Any  # lazy gettext string shown on the profile page
    security: bool = False  # security mail always goes; it cannot be switched off


_kinds: dict[str, NotificationKind] = {}


def register(code: str, label: Any, *, security: bool = False) -> NotificationKind:
    """Declare a notification kind (once per feature, at import)."""
    kind = _kinds.setdefault(code, NotificationKind(code, label, security))
    return kind


def category(message_kind: str) -> str:
    return message_kind.split(".", 1)[0]


def is_security(message_kind: str) -> bool:
    kind = _kinds.get(category(message_kind))
    return kind is None or kind.security  # unknown kinds are never suppressed


def choosable() -> list[NotificationKind]:
    """The kinds a user may switch off, in registration order."""
    return [k for k in _kinds.values() if not k.security]
