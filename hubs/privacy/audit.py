"""The security log's entry point for privacy requests (access exports and erasures).

Kept in this one function so it can be routed to the ``SecurityEvent`` model (being built
on another branch) without touching the callers. Entries name people by internal id only,
never by name or e-mail address, so an erasure leaves the log intact and meaningful.
"""

from __future__ import annotations

import logging
from typing import Any

logger = logging.getLogger("hubs.security")


def security_event(
    action: str, *, actor_id: int | None, subject_type: str, subject_id: int, **details: Any
) -> None:
    """Record that ``actor_id`` did ``action`` (e.g. ``learner.erased``) to a subject."""
    logger.info(
        "%s by user %s on %s %s",
        action,
        actor_id,
        subject_type,
        subject_id,
        extra={
            "security_event": {
                "action": action,
                "actor_id": actor_id,
                "subject_type": subject_type,
                "subject_id": subject_id,
                **details,
            }
        },
    )
