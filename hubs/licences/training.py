"""Licences in the company training report (:mod:`hubs.reports.training`).

Licences issued per company (the learner's organisation) with an issue date in the
period. Within some hubs: licences from a course at one of them, or issued by one of
their coordinators. Revoked licences still count: they were issued. One query per call.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, func, or_, select

from hubs.accounts.models import Role, RoleGrant
from hubs.courses.models import Course
from hubs.extensions import db
from hubs.learners.models import Learner
from hubs.licences.models import Licence


def _at_hubs(hub_ids: frozenset[int]) -> ColumnElement[bool]:
    ids = sorted(hub_ids)
    by_course = select(Course.id).where(Course.hub_id.in_(ids))
    by_coordinator = select(RoleGrant.user_id).where(
        RoleGrant.role == Role.COORDINATOR, RoleGrant.hub_id.in_(ids)
    )
    return or_(Licence.course_id.in_(by_course), Licence.issued_by_id.in_(by_coordinator))


def licences_issued(first: date, last: date, hub_ids: frozenset[int] | None) -> dict[int, int]:
    """``organisation_id -> licences issued`` from ``first`` to ``last`` (inclusive)."""
    stmt = (
        select(Learner.organisation_id, func.count(Licence.id))
        .join(Learner, Learner.id == Licence.learner_id)
        .where(Licence.issued_on >= first, Licence.issued_on <= last)
        .group_by(Learner.organisation_id)
    )
    if hub_ids is not None:
        stmt = stmt.where(_at_hubs(hub_ids))
    return {int(org): int(n) for org, n in db.session.execute(stmt)}
