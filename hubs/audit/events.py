"""The kinds of security event, with the label the security log shows for each.

Features that log their own events (data exports, later) register them here at import:
``hubs.audit.events.register("report.exported", _l("Report exported"))``.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

_labels: dict[str, Any] = {}


def register(code: str, label: Any) -> str:
    """Declare an event code (``noun.verb``) and its (lazy) label; returns the code."""
    _labels.setdefault(code, label)
    return code


def is_known(code: str) -> bool:
    return code in _labels


def label(code: str) -> str:
    return str(_labels.get(code, code))


def all_events() -> list[tuple[str, Any]]:
    """Every registered event code with its label, sorted by code."""
    return sorted(_labels.items())


SIGN_IN = register("auth.sign_in", _l("Signed in"))
SIGN_IN_FAILED = register("auth.sign_in_failed", _l("Failed sign-in"))
PASSWORD_CHANGED = register("auth.password_changed", _l("Password changed"))
PASSWORD_RESET_REQUESTED = register("auth.reset_requested", _l("Password reset requested"))
PASSWORD_RESET = register("auth.password_reset", _l("Password reset"))
ROLE_GRANTED = register("role.granted", _l("Role granted"))
ROLE_REVOKED = register("role.revoked", _l("Role removed"))
INVITATION_SENT = register("invitation.sent", _l("Invitation sent"))
INVITATION_RESENT = register("invitation.resent", _l("Invitation sent again"))
INVITATION_WITHDRAWN = register("invitation.withdrawn", _l("Invitation withdrawn"))
INVITATION_ACCEPTED = register("invitation.accepted", _l("Invitation accepted"))
USER_DEACTIVATED = register("user.deactivated", _l("User deactivated"))
USER_REACTIVATED = register("user.reactivated", _l("User reactivated"))
TOKEN_CREATED = register("api_token.created", _l("API token created"))
TOKEN_REVOKED = register("api_token.revoked", _l("API token revoked"))
DATA_EXPORTED = register("data.exported", _l("Data exported"))
