"""Privacy requests about a learner, and retention of learners' personal data.

Erasure and retention *anonymise* a learner instead of deleting them: the row keeps its
id, category and level, its enrolments stay, so every count stays the same. What goes:
the reference (replaced by ``erased-<id>``), names, e-mail address, the link to an
account, and free text that names the person anywhere a feature registered an eraser.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import String, cast, delete, func, literal, or_, select, update

from hubs.access import Principal
from hubs.db import transactional, utcnow
from hubs.errors import DomainError, NotAllowed
from hubs.extensions import db
from hubs.learners import policies
from hubs.learners.models import Enrolment, ImportUpload, Learner, LearnerCategory
from hubs.privacy import (
    Subject,
    erasers,
    exporters,
    needles_for,
    register_eraser,
    register_exporter,
    register_purger,
)
from hubs.privacy.audit import security_event
from hubs.privacy.text import scrub


def subject_for(learner: Learner) -> Subject:
    """The learner and every string that identifies them in free text."""
    full = " ".join(p for p in (learner.given_name, learner.name_prefix, learner.family_name) if p)
    family = " ".join(p for p in (learner.name_prefix, learner.family_name) if p)
    needles = needles_for(
        learner.reference if not learner.is_anonymised else None,
        learner.email,
        full,
        family,
        learner.given_name,
        learner.family_name,
    )
    return Subject(learner_id=learner.id, needles=needles)


def _visible_learner(p: Principal, learner_id: int) -> Learner:
    learner = db.session.get(Learner, learner_id)
    if learner is None:
        raise DomainError(_l("The learner no longer exists."))
    if not policies.can_handle_privacy_request(p, learner):
        raise NotAllowed(_l("Only coordinators of the learner's hub handle privacy requests."))
    return learner


def export_learner(p: Principal, learner_id: int) -> dict[str, Any]:
    """Everything held on one learner (right of access), as JSON-ready data."""
    learner = _visible_learner(p, learner_id)
    subject = subject_for(learner)
    data: dict[str, Any] = {
        "exported_at": utcnow().isoformat(),
        "subject": {"type": "learner", "id": learner.id},
    }
    for name, exporter in sorted(exporters().items()):
        data[name] = exporter(subject)
    _record_export(p, learner.id)
    return data


@transactional
def _record_export(p: Principal, learner_id: int) -> None:
    # In the unit of work so that, once the log is a table, it is written with it.
    security_event(
        "learner.exported", actor_id=p.user_id, subject_type="learner", subject_id=learner_id
    )


@transactional
def erase_learner(p: Principal, learner_id: int) -> dict[str, int]:
    """Erase a learner on request: every registered eraser runs in this unit of work."""
    learner = _visible_learner(p, learner_id)
    if learner.is_anonymised:
        raise DomainError(_l("This learner's data was already erased."))
    subject = subject_for(learner)
    touched = {name: eraser(subject) for name, eraser in sorted(erasers().items())}
    security_event(
        "learner.erased", actor_id=p.user_id, subject_type="learner", subject_id=learner_id
    )
    return touched


# --- this feature's own eraser, exporter and purger ---------------------------------------


def _export(subject: Subject) -> dict[str, Any]:
    learner = db.session.get(Learner, subject.learner_id)
    assert learner is not None
    enrolments = db.session.scalars(
        select(Enrolment).where(Enrolment.learner_id == learner.id).order_by(Enrolment.starts_on)
    )
    return {
        "learner": {
            "id": learner.id,
            "organisation": learner.organisation.name,
            "reference": learner.reference,
            "category": learner.category.value,
            "level": learner.level.value if learner.level else None,
            "leerjaar": learner.leerjaar,
            "pathway": learner.pathway.value if learner.pathway else None,
            "given_name": learner.given_name,
            "name_prefix": learner.name_prefix,
            "family_name": learner.family_name,
            "email": learner.email,
            "created_at": learner.created_at.isoformat(),
            "anonymised_at": learner.anonymised_at.isoformat() if learner.anonymised_at else None,
        },
        "enrolments": [
            {
                "id": e.id,
                "programme": e.programme.name,
                "hub": e.programme.hub.name,
                "school_year": e.school_year,
                "starts_on": e.starts_on.isoformat(),
                "ends_on": e.ends_on.isoformat(),
                "status": e.status.value,
                "category": e.category.value,
                "level": e.level.value if e.level else None,
                "leerjaar": e.leerjaar,
                "group_id": e.group_id,
                "note": e.note,
            }
            for e in enrolments
        ],
    }


def _anonymised_reference() -> Any:
    return literal("erased-") + cast(Learner.id, String)


def _erase(subject: Subject) -> int:
    learner = db.session.get(Learner, subject.learner_id)
    assert learner is not None
    organisation_id = learner.organisation_id
    db.session.execute(
        update(Learner)
        .where(Learner.id == learner.id)
        .values(_anonymous_values(utcnow()))
        .execution_options(synchronize_session="fetch")
    )
    db.session.execute(
        update(Enrolment).where(Enrolment.learner_id == subject.learner_id).values(note="")
    )
    # Notes and group names elsewhere (a class's note naming the pupil) lose the name.
    scrubbed = scrub(Enrolment, ["note", "group_name"], subject.needles)
    # A pending upload of their organisation may hold them: the uploader uploads again.
    db.session.execute(delete(ImportUpload).where(ImportUpload.organisation_id == organisation_id))
    db.session.expire_all()
    return 1 + len(scrubbed)


def _anonymous_values(now: datetime) -> dict[str, Any]:
    return {
        "reference": _anonymised_reference(),
        "given_name": None,
        "name_prefix": None,
        "family_name": None,
        "email": None,
        "user_id": None,
        "anonymised_at": now,
    }


def retention_cutoff(category: LearnerCategory, today: date) -> date:
    """Data of learners whose last enrolment ended before this date is past retention."""
    years = int(current_app.config["RETENTION_YEARS"][category.value])
    return today - relativedelta(years=years)


def purge(today: date) -> int:
    """Anonymise learners past retention; clear old notes; drop stale uploads."""
    touched = 0
    now = utcnow()
    last_end = (
        select(func.max(Enrolment.ends_on))
        .where(Enrolment.learner_id == Learner.id)
        .scalar_subquery()
    )
    for category in LearnerCategory:
        cutoff = retention_cutoff(category, today)
        result = db.session.execute(
            update(Learner)
            .where(
                Learner.category == category,
                Learner.anonymised_at.is_(None),
                or_(last_end < cutoff, last_end.is_(None) & (Learner.created_at < _start(cutoff))),
            )
            .values(_anonymous_values(now))
            .execution_options(synchronize_session=False)
        )
        touched += int(result.rowcount or 0)  # type: ignore[attr-defined]
        notes = db.session.execute(
            update(Enrolment)
            .where(Enrolment.category == category, Enrolment.ends_on < cutoff, Enrolment.note != "")
            .values(note="")
            .execution_options(synchronize_session=False)
        )
        touched += int(notes.rowcount or 0)  # type: ignore[attr-defined]
    stale = now - timedelta(hours=current_app.config["IMPORT_UPLOAD_HOURS"])
    uploads = db.session.execute(delete(ImportUpload).where(ImportUpload.created_at < stale))
    touched += int(uploads.rowcount or 0)  # type: ignore[attr-defined]
    db.session.expire_all()
    return touched


def _start(day: date) -> datetime:
    from datetime import UTC

    return datetime(day.year, day.month, day.day, tzinfo=UTC)


register_eraser("learners", _erase)
register_exporter("learners", _export)
register_purger("learners", purge)
