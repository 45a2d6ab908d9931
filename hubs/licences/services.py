"""Licence use cases: issue, revoke, which learners hold a valid licence, reminders."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select, update
from sqlalchemy.orm import selectinload

from hubs.db import transactional, utcnow
from hubs.errors import DomainError, InvalidInput
from hubs.extensions import db
from hubs.learners.models import Learner
from hubs.licences.models import Licence, LicenceSource

KIND_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
REMIND_DAYS = 30


def normalise_kind(kind: str | None) -> str:
    """The stored spelling of a licence kind, as resources name it: "CNC" -> "cnc"."""
    return (kind or "").strip().lower().replace(" ", "-")


@transactional
def issue_licence(
    *,
    learner_id: int,
    kind: str,
    issued_on: date,
    expires_on: date | None,
    source: str = "course",
    course_id: int | None = None,
    issued_by_id: int | None = None,
) -> Licence:
    """Record that a learner may use machines of ``kind`` at every hub from ``issued_on``
    until ``expires_on`` (inclusive; None: no expiry). Joins the caller's unit of work.

    Raises InvalidInput naming the field at fault (learner_id, kind, expires_on, source).
    """
    errors: dict[str, list[object]] = {}
    code = normalise_kind(kind)
    if not KIND_RE.match(code):
        errors["kind"] = [_l("Give the licence type in letters and digits, e.g. cnc or laser.")]
    if expires_on is not None and expires_on < issued_on:
        errors["expires_on"] = [_l("The expiry date cannot be before the issue date.")]
    if source not in {s.value for s in LicenceSource}:
        errors["source"] = [_l("Unknown source: use coordinator or course.")]
    learner = db.session.get(Learner, learner_id)
    if learner is None or learner.is_anonymised:
        errors["learner_id"] = [_l("Unknown learner.")]
    if errors:
        raise InvalidInput(fields=errors)
    licence = Licence(
        learner_id=learner_id,
        kind=code,
        issued_on=issued_on,
        expires_on=expires_on,
        source=LicenceSource(source),
        course_id=course_id,
        issued_by_id=issued_by_id,
        created_at=utcnow(),
    )
    db.session.add(licence)
    db.session.flush()
    return licence


@transactional
def revoke_licence(licence_id: int, *, revoked_by_id: int | None) -> Licence:
    """Withdraw a licence from now on (compare-and-swap: revoking twice changes nothing
    and raises DomainError)."""
    result = db.session.execute(
        update(Licence)
        .where(Licence.id == licence_id, Licence.revoked_at.is_(None))
        .values(revoked_at=utcnow(), revoked_by_id=revoked_by_id)
        .execution_options(synchronize_session=False)
    )
    if not result.rowcount:  # type: ignore[attr-defined]
        raise DomainError(_l("This licence has already been revoked."))
    licence = db.session.get(Licence, licence_id, populate_existing=True)
    assert licence is not None
    return licence


@transactional
def revoke_course_licences(course_id: int, learner_id: int, *, revoked_by_id: int | None) -> int:
    """Withdraw the licences course ``course_id`` issued to a learner (their completion
    was taken back); returns how many were still in force. Joins the caller's unit of
    work."""
    result = db.session.execute(
        update(Licence)
        .where(
            Licence.course_id == course_id,
            Licence.learner_id == learner_id,
            Licence.source == LicenceSource.COURSE,
            Licence.revoked_at.is_(None),
        )
        .values(revoked_at=utcnow(), revoked_by_id=revoked_by_id)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def valid_licences(learner_ids: Iterable[int], kind: str, on_dates: Iterable[date]) -> set[int]:
    """The learners among ``learner_ids`` holding a licence of ``kind`` that is valid on
    every one of ``on_dates`` (one query)."""
    ids = set(learner_ids)
    days = sorted(set(on_dates))
    if not ids or not days:
        return set()
    stmt = select(Licence.learner_id).where(
        Licence.learner_id.in_(ids),
        Licence.kind == normalise_kind(kind),
        Licence.revoked_at.is_(None),
        Licence.issued_on <= days[0],
        or_(Licence.expires_on.is_(None), Licence.expires_on >= days[-1]),
    )
    return set(db.session.scalars(stmt.distinct()))


def expiring_statement(today: date, days: int = REMIND_DAYS):  # type: ignore[no-untyped-def]
    """Licences (not revoked) expiring from today up to ``days`` days ahead, soonest first."""
    return (
        select(Licence)
        .where(
            Licence.revoked_at.is_(None),
            Licence.expires_on >= today,
            Licence.expires_on <= today + timedelta(days=days),
        )
        .options(selectinload(Licence.learner).selectinload(Learner.organisation))
        .order_by(Licence.expires_on, Licence.id)
    )


def remind_expiring(today: date, days: int = REMIND_DAYS) -> int:
    """Mail each organisation's bookers about its people's licences expiring within
    ``days`` days. Each licence is mentioned once (``reminded_at``): safe to run daily
    and twice. Returns the number of licences reminded of."""
    due = db.session.scalars(expiring_statement(today, days).where(Licence.reminded_at.is_(None)))
    by_org: dict[int, list[int]] = defaultdict(list)
    for licence in due:
        by_org[licence.learner.organisation_id].append(licence.id)
    db.session.commit()  # end the read before the writes
    return sum(_remind_organisation(org_id, ids) for org_id, ids in by_org.items())


@transactional
def _remind_organisation(organisation_id: int, licence_ids: list[int]) -> int:
    from hubs.licences.mail import mail_expiring

    result = db.session.execute(
        update(Licence)
        .where(Licence.id.in_(licence_ids), Licence.reminded_at.is_(None))
        .values(reminded_at=utcnow())
        .returning(Licence.id)
    )
    claimed = list(result.scalars())
    if claimed:
        mail_expiring(organisation_id, claimed)
    return len(claimed)
