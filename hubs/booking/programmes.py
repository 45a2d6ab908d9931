"""Which of the hub's programmes a visit is part of.

A booking (and a series) may name a programme of its hub: contact hours and visit surveys
then count for that programme. Only the hub's active programmes may be named. Without
one named (the field left out, or "automatic" on the form), a new booking takes the
programme serving its group in which the booking organisation has its only enrolment at
the hub on the visit's day (none, or several: no programme); a booking may also say it
is part of no programme (``derive_programme`` false: the API's explicit ``null``).
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, bindparam, case, distinct, func, null, select

from hubs.db import execute_core
from hubs.extensions import db
from hubs.learners.counting import AMSTERDAM
from hubs.learners.models import Enrolment, LearnerCategory, Programme


def programme_errors(
    programme_id: int | None, hub_id: int, category: str | None = None
) -> dict[str, list[Any]]:
    """A problem with the named programme, by field (empty: none named, or it is fine).
    With ``category`` (the group's learners) the programme must serve them: a visit of
    employees does not count for a programme of vo pupils."""
    if programme_id is None:
        return {}
    programme = db.session.get(Programme, programme_id)
    if programme is None or programme.hub_id != hub_id or not programme.active:
        return {"programme_id": [_l("Choose one of this hub's current programmes.")]}
    if category and category in _CATEGORIES and not programme.serves(LearnerCategory(category)):
        return {"programme_id": [_l("This programme is not for this group's learners.")]}
    return {}


_CATEGORIES = {c.value for c in LearnerCategory}


def derived_programme(
    organisation_id: int, hub_id: int, start: datetime, category: str | None = None
) -> int | None:
    """The only active programme at the hub in which the organisation has an enrolment
    on the visit's day (serving the group's learners, with ``category``), else None."""
    params = {"organisation_id": organisation_id, "hub_id": hub_id, "day": derivation_day(start)}
    found = list(execute_core(_derived_statement(serving_category(category)), params).scalars())
    return found[0] if len(found) == 1 else None


@cache
def _derived_statement(category: str | None) -> Select[Any]:
    # Built once per category: every booking without a programme runs it (bench/: row 1).
    stmt = (
        select(Enrolment.programme_id)
        .join(Programme, Programme.id == Enrolment.programme_id)
        .where(*_derivation(Enrolment.organisation_id == bindparam("organisation_id"), category))
        .distinct()
        .limit(2)
    )
    return stmt


def derived_programme_column(organisation_id: Any, category: str | None) -> Any:
    """:func:`derived_programme` as a scalar subquery on ``organisation_id`` (a column: it
    rides along the statement that reads the organisation), with the parameters
    ``hub_id`` and ``day``: the programme, or NULL when there are none or several."""
    programme = Enrolment.programme_id
    return (
        select(case((func.count(distinct(programme)) == 1, func.min(programme)), else_=null()))
        .join(Programme, Programme.id == programme)
        .where(*_derivation(Enrolment.organisation_id == organisation_id, category))
        .scalar_subquery()
    )


def derivation_day(start: datetime) -> Any:
    """The ``day`` parameter for a visit starting at ``start``."""
    return start.astimezone(AMSTERDAM).date()


def _derivation(organisation: Any, category: str | None) -> list[Any]:
    conditions = [
        organisation,
        Programme.hub_id == bindparam("hub_id"),
        Programme.active.is_(True),
        Enrolment.starts_on <= bindparam("day"),
        Enrolment.ends_on >= bindparam("day"),
    ]
    if category is not None:
        conditions.append(getattr(Programme, f"serves_{category}").is_(True))
    return conditions


def serving_category(category: str | None) -> str | None:
    """``category`` when it is a learner category (programmes say which they serve)."""
    return category if category in _CATEGORIES else None


def hub_programmes(hub_id: int) -> list[Programme]:
    """The hub's active programmes by name (a hub runs a handful: bounded at 200)."""
    stmt = (
        select(Programme)
        .where(Programme.hub_id == hub_id, Programme.active.is_(True))
        .order_by(Programme.name)
        .limit(200)
    )
    return list(db.session.scalars(stmt))
