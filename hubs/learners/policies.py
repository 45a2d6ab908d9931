"""Who may see and change programmes, learners and enrolments."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, exists, false, or_, select, true

from hubs.access import Principal, scope
from hubs.extensions import db
from hubs.learners.models import Enrolment, FundingSource, ImportUpload, Learner, Programme
from hubs.organisations.models import Membership


def _member_hubs(p: Principal) -> ColumnElement[bool]:
    """Hubs where one of the principal's organisations is (or was) a member."""
    return Programme.hub_id.in_(
        select(Membership.hub_id).where(Membership.organisation_id.in_(p.booker_org_ids))
    )


@scope(FundingSource)
def _funding_sources(p: Principal) -> ColumnElement[bool]:
    return true()


@scope(Programme)
def _programmes(p: Principal) -> ColumnElement[bool]:
    # Bookers see the programmes of the hubs their organisation is a member of. Funders
    # read programmes only through their (scoped, suppressed) reports (hubs.funders).
    if p.is_manager:
        return true()
    return or_(Programme.hub_id.in_(p.coordinator_hub_ids), _member_hubs(p))


@scope(Enrolment)
def _enrolments(p: Principal) -> ColumnElement[bool]:
    if p.is_manager:
        return true()
    at_my_hubs = Enrolment.programme_id.in_(
        select(Programme.id).where(Programme.hub_id.in_(p.coordinator_hub_ids))
    )
    return or_(at_my_hubs, Enrolment.organisation_id.in_(p.booker_org_ids))


@scope(Learner)
def _learners(p: Principal) -> ColumnElement[bool]:
    if p.is_manager:
        return true()
    enrolled_at_my_hubs = exists().where(
        Enrolment.learner_id == Learner.id,
        Enrolment.programme_id.in_(
            select(Programme.id).where(Programme.hub_id.in_(p.coordinator_hub_ids))
        ),
    )
    return or_(enrolled_at_my_hubs, Learner.organisation_id.in_(p.booker_org_ids))


@scope(ImportUpload)
def _uploads(p: Principal) -> ColumnElement[bool]:
    return ImportUpload.user_id == p.user_id if p.user_id is not None else false()


# --- permissions on visible objects -------------------------------------------------


def can_manage_programme(p: Principal, hub_id: int) -> bool:
    """Create and change programmes of a hub: its coordinators and programme managers."""
    return p.coordinates(hub_id)


def can_manage_funding_sources(p: Principal) -> bool:
    return p.is_manager


def can_enrol(p: Principal, hub_id: int, organisation_id: int) -> bool:
    """Enrol (and import) for an organisation at a hub: hub staff, or its own bookers."""
    return p.coordinates(hub_id) or p.books_for(organisation_id)


def can_change_enrolment(p: Principal, enrolment: Enrolment) -> bool:
    return can_enrol(p, enrolment.programme.hub_id, enrolment.organisation_id)


def can_handle_privacy_request(p: Principal, learner: Learner) -> bool:
    """Export or erase a learner's data: programme managers and coordinators of a hub
    where the learner is enrolled (the learner is visible to them through that)."""
    if p.is_manager:
        return True
    if not p.coordinator_hub_ids:
        return False
    return (
        db.session.scalar(
            select(Enrolment.id)
            .join(Programme, Programme.id == Enrolment.programme_id)
            .where(
                Enrolment.learner_id == learner.id,
                Programme.hub_id.in_(p.coordinator_hub_ids),
            )
            .limit(1)
        )
        is not None
    )


def is_member(organisation_id: int, hub_id: int, starts_on: date, ends_on: date) -> bool:
    """The organisation is a member of the hub at some time in ``[starts_on, ends_on]``."""
    return (
        db.session.scalar(
            select(Membership.id)
            .where(
                Membership.organisation_id == organisation_id,
                Membership.hub_id == hub_id,
                Membership.starts_on <= ends_on,
                or_(Membership.ends_on.is_(None), Membership.ends_on >= starts_on),
            )
            .limit(1)
        )
        is not None
    )
