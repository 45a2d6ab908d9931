"""The booking domain's errors. The view shows them at the field; the API answers with
their status (409 for a taken slot, 422 for input that breaks a rule)."""

from __future__ import annotations

from typing import Any

from hubs.errors import DomainError, InvalidInput


class SlotTaken(DomainError):
    """Another active booking holds (part of) the interval on one of the resources."""

    status = 409
    code = "slot_taken"

    def __init__(self, message: Any, conflicts: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message, field="start", details={"conflicts": conflicts or []})

    @property
    def conflicts(self) -> list[dict[str, Any]]:
        return list(self.details.get("conflicts", []))


class OutsideOpeningHours(InvalidInput):
    code = "outside_opening_hours"


class Closed(InvalidInput):
    code = "closed"


class NotBookable(InvalidInput):
    code = "not_bookable"


class AlreadyHandled(DomainError):
    """A status change lost the race (or came too late): nothing changed."""

    status = 409
    code = "already_handled"


class ManagedElsewhere(DomainError):
    """The booking belongs to something larger (a course) and is cancelled through it."""

    status = 409
    code = "managed_elsewhere"
