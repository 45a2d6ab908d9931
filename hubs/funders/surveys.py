"""Satisfaction surveys: sent after a visit or a course, answered once without login.

``send_due`` (the ``flask surveys send`` command) finds visits (the lead booking of a
bundle, confirmed, ended in the last 30 days) and course enrolments (individual, with an
e-mail address, ended in the last 30 days) without a survey, and mails each a single-use
link; a unique key per booking and per enrolment makes it idempotent. Answers count per
programme (a course survey: its enrolment's programme; a visit survey: the programme its
booking names, if any) and per hub (all surveys).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, exists, func, or_, select, update

from hubs.booking.models import Booking, BookingStatus
from hubs.db import transactional, utcnow
from hubs.errors import DomainError, InvalidInput
from hubs.extensions import db
from hubs.funders.models import Survey, SurveyKind
from hubs.learners.counting import AMSTERDAM, Period
from hubs.learners.models import Enrolment, EnrolmentKind, Learner, Programme
from hubs.mail import kinds
from hubs.mail.services import queue_mail

kinds.register("survey", _l("Short surveys after a visit or a course"))

WINDOW = timedelta(days=30)
BATCH = 500
SATISFIED = 7


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class SurveyGone(DomainError):
    """The link is unknown or was used already."""

    status = 410
    code = "survey_gone"


def _new(kind: SurveyKind, email: str, hub_id: int, **subject: Any) -> tuple[Survey, str]:
    token = secrets.token_urlsafe(24)
    survey = Survey(kind=kind, email=email, hub_id=hub_id, token_hash=token_hash(token), **subject)
    db.session.add(survey)
    return survey, token


def _due_visits(now: datetime) -> list[Booking]:
    surveyed = exists().where(Survey.booking_id == Booking.id)
    stmt = (
        select(Booking)
        .where(
            or_(Booking.bundle_id.is_(None), Booking.bundle_id == Booking.id),
            Booking.status == BookingStatus.CONFIRMED,
            Booking.end_at <= now,
            Booking.end_at > now - WINDOW,
            Booking.booked_by_id.is_not(None),
            ~surveyed,
        )
        .order_by(Booking.end_at)
        .limit(BATCH)
    )
    return list(db.session.scalars(stmt))


def _due_courses(today: Any) -> list[tuple[Enrolment, str, int]]:
    surveyed = exists().where(Survey.enrolment_id == Enrolment.id)
    stmt = (
        select(Enrolment, Learner.email, Programme.hub_id)
        .join(Learner, Learner.id == Enrolment.learner_id)
        .join(Programme, Programme.id == Enrolment.programme_id)
        .where(
            Enrolment.kind == EnrolmentKind.INDIVIDUAL,
            Learner.email.is_not(None),
            Enrolment.ends_on < today,
            Enrolment.ends_on >= today - WINDOW,
            ~surveyed,
        )
        .order_by(Enrolment.ends_on)
        .limit(BATCH)
    )
    return [(e, str(email), int(hub)) for e, email, hub in db.session.execute(stmt).all()]


@transactional
def send_due(now: datetime | None = None) -> int:
    """Create and mail the surveys that are due; returns how many (idempotent)."""
    now = now or utcnow()
    today = now.astimezone(AMSTERDAM).date()
    sent = 0
    for booking in _due_visits(now):
        from hubs.accounts.models import User

        booker = db.session.get(User, booking.booked_by_id)
        if booker is None or not booker.email:
            continue
        _survey, token = _new(SurveyKind.VISIT, booker.email, booking.hub_id, booking_id=booking.id)
        _mail(booker, token, what=booking.hub.name)
        sent += 1
    for enrolment, email, hub_id in _due_courses(today):
        _survey, token = _new(
            SurveyKind.COURSE,
            email,
            hub_id,
            enrolment_id=enrolment.id,
            programme_id=enrolment.programme_id,
        )
        _mail(email, token, what=enrolment.programme.name)
        sent += 1
    db.session.flush()
    return sent


def _mail(to: Any, token: str, what: str) -> None:
    queue_mail(
        to=to,
        kind="survey.invitation",
        template="funders/survey",
        subject=_l("How was it? One question about %(what)s", what=what),
        token=token,
        what=what,
    )


def find_open(token: str) -> Survey | None:
    """The unanswered survey of this link, or None."""
    return db.session.scalar(
        select(Survey).where(Survey.token_hash == token_hash(token), Survey.answered_at.is_(None))
    )


@dataclass(frozen=True)
class Answer:
    score: int | None
    comment: str = ""


@transactional
def answer(token: str, data: Answer) -> None:
    """Record the answer once (compare-and-swap on the unanswered link)."""
    if data.score is None or not 1 <= data.score <= 10:
        raise InvalidInput(_("Choose a score from 1 to 10."), field="score")
    comment = (data.comment or "").strip()
    if len(comment) > 2000:
        raise InvalidInput(_("Keep the comment under 2000 characters."), field="comment")
    result = db.session.execute(
        update(Survey)
        .where(Survey.token_hash == token_hash(token), Survey.answered_at.is_(None))
        .values(score=data.score, comment=comment, answered_at=utcnow())
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise SurveyGone(_("This survey link was used already or does not exist."))


def answer_programme_id() -> Any:
    """SQL: the programme an answer counts for (select from Survey outer-joined Booking)."""
    return case((Survey.booking_id.is_not(None), Booking.programme_id), else_=Survey.programme_id)


def _with_booking(stmt: Any) -> Any:
    return stmt.outerjoin(Booking, Booking.id == Survey.booking_id)


def _between(period: Period) -> Any:
    start = datetime.combine(period.starts_on, time(0), AMSTERDAM).astimezone(UTC)
    end = datetime.combine(period.ends_on + timedelta(days=1), time(0), AMSTERDAM).astimezone(UTC)
    return and_(Survey.answered_at >= start, Survey.answered_at < end)


def satisfaction(programme_ids: Any, period: Period) -> dict[int, tuple[int, float, float]]:
    """Per programme: answers, average score and share scoring 7 or more (in %).

    Visits and courses together (see :func:`answer_programme_id`); one query.
    """
    programme = answer_programme_id()
    stmt = select(
        programme,
        func.count(Survey.id),
        func.avg(Survey.score),
        func.sum(case((Survey.score >= SATISFIED, 1), else_=0)),
    ).select_from(Survey)
    rows = db.session.execute(
        _with_booking(stmt)
        .where(
            programme.in_(list(programme_ids)),
            Survey.answered_at.is_not(None),
            _between(period),
        )
        .group_by(programme)
    ).all()
    return {
        int(pid): (int(n), round(float(avg), 1), round(100 * int(good) / int(n), 1))
        for pid, n, avg, good in rows
        if n
    }


@dataclass(frozen=True)
class Summary:
    hub: str
    programme: str | None
    answers: int
    average: float
    satisfied_pct: float


def summary(p: Any) -> list[Summary]:
    """Answers per hub and programme (None: visits without a programme) at the user's hubs."""
    from hubs.access import visible
    from hubs.locations.models import Hub

    stmt = select(
        Hub.name,
        Programme.name,
        func.count(Survey.id),
        func.avg(Survey.score),
        func.sum(case((Survey.score >= SATISFIED, 1), else_=0)),
    ).select_from(Survey)
    rows = db.session.execute(
        _with_booking(stmt)
        .join(Hub, Hub.id == Survey.hub_id)
        .outerjoin(Programme, Programme.id == answer_programme_id())
        .where(Survey.answered_at.is_not(None), visible(Survey, p))
        .group_by(Hub.name, Programme.name)
        .order_by(Hub.name, Programme.name)
        .limit(200)
    ).all()
    return [
        Summary(hub, programme, int(n), round(float(avg), 1), round(100 * int(good) / int(n), 1))
        for hub, programme, n, avg, good in rows
    ]
