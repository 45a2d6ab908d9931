"""What surveys hold on a person: the address the link went to and the comment written.

A course survey belongs to the learner of its enrolment. Erasure removes the address and
the comment but keeps the score: satisfaction figures stay the same, and an anonymous score
names nobody. Comments elsewhere that mention the person are scrubbed. Retention
(``invitation``, INVITATION_RETENTION_DAYS): the address once the link is that old, the
comment once the answer is.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import current_app
from sqlalchemy import or_, select, update

from hubs.db import utcnow
from hubs.extensions import db
from hubs.funders.models import Survey
from hubs.learners.models import Enrolment
from hubs.privacy import Subject, register_eraser, register_exporter, register_purger
from hubs.privacy.text import matching, scrub


def _of(subject: Subject) -> Any:
    """The surveys of the learner's enrolments, or sent to one of their addresses."""
    own = Survey.enrolment_id.in_(
        select(Enrolment.id).where(Enrolment.learner_id == subject.learner_id)
    )
    if not subject.needles:
        return own
    return or_(own, matching(Survey, [Survey.email], subject.needles))


def export(subject: Subject) -> list[dict[str, Any]]:
    """The person's surveys: when sent and answered, the address, score and comment."""
    surveys = db.session.scalars(select(Survey).where(_of(subject)).order_by(Survey.id))
    return [
        {
            "id": s.id,
            "kind": s.kind.value,
            "programme_id": s.programme_id,
            "email": s.email,
            "sent_at": s.sent_at.isoformat(),
            "answered_at": s.answered_at.isoformat() if s.answered_at else None,
            "score": s.score,
            "comment": s.comment,
        }
        for s in surveys
    ]


def erase(subject: Subject) -> int:
    """Address and comment of the person's surveys go; other comments naming them are
    scrubbed. The scores stay (anonymous)."""
    result = db.session.execute(
        update(Survey)
        .where(_of(subject))
        .values(email=None, comment="")
        .execution_options(synchronize_session=False)
    )
    scrubbed = scrub(Survey, ["comment"], subject.needles)
    return int(result.rowcount or 0) + len(scrubbed)  # type: ignore[attr-defined]


def purge(today: Any) -> int:
    """Addresses of links sent, and comments of answers given, before the retention."""
    cutoff = utcnow() - timedelta(days=current_app.config["INVITATION_RETENTION_DAYS"])
    addresses = db.session.execute(
        update(Survey)
        .where(Survey.sent_at < cutoff, Survey.email.is_not(None))
        .values(email=None)
        .execution_options(synchronize_session=False)
    )
    comments = db.session.execute(
        update(Survey)
        .where(Survey.answered_at < cutoff, Survey.comment != "")
        .values(comment="")
        .execution_options(synchronize_session=False)
    )
    return int(addresses.rowcount or 0) + int(comments.rowcount or 0)  # type: ignore[attr-defined]


register_eraser("surveys", erase)
register_exporter("surveys", export)
register_purger("surveys", purge)
