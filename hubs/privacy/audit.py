"""The security log's entry point for privacy requests (access exports and erasures).

Each request is written to the security log (:func:`hubs.audit.services.log_security_event`)
in the request's unit of work, and also to the ``hubs.security`` application log. Entries
name people by internal id only, never by name or e-mail address, so an erasure leaves the
log intact and meaningful.
"""

from __future__ import annotations

import logging
from typing import Any

from flask_babel import lazy_gettext as _l

from hubs.audit import events

logger = logging.getLogger("hubs.security")

events.register("learner.exported", _l("Learner's data exported (access request)"))
events.register("learner.erased", _l("Learner's data erased"))


def security_event(
    action: str, *, actor_id: int | None, subject_type: str, subject_id: int, **details: Any
) -> None:
    """Record that ``actor_id`` did ``action`` (e.g. ``learner.erased``) to a subject."""
    from hubs.audit.services import log_security_event

    log_security_event(
        action,
        actor_id=actor_id,
        target_type=subject_type,
        target_id=subject_id,
        details=details,
    )
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
