"""Domain errors raised by services. Views turn them into form errors, the API into JSON."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A rule of the domain refused the request; nothing was written.

    ``message`` is user-facing (a lazy gettext string), ``field`` names the input at fault
    when there is one, ``status`` is the HTTP status the API answers with.
    """

    status = 409
    code = "conflict"

    def __init__(
        self,
        message: Any,
        field: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        # Keep a lazy message lazy: translating it may read the user's language from the
        # database, which must wait until the failed unit of work has rolled back.
        super().__init__(message)
        self.message = message
        self.field = field
        self.details = details or {}

    def __str__(self) -> str:
        return str(self.message)


class InvalidInput(DomainError):
    """Input that is well-formed but breaks a rule (422)."""

    status = 422
    code = "invalid"

    def __init__(
        self,
        message: Any = None,
        field: str | None = None,
        details: dict[str, Any] | None = None,
        fields: dict[str, list[Any]] | None = None,
    ) -> None:
        if fields is None:
            fields = {field or "_schema": [message]}
        if message is None:
            message = next(iter(fields.values()))[0]
        super().__init__(message, field, details)
        self.fields = fields


class NotAllowed(DomainError):
    """The user may see the object but not do this to it (403)."""

    status = 403
    code = "forbidden"
