"""Who may see organisations and memberships (registered with :mod:`hubs.access`)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, or_, select, true

from hubs.access import Principal, scope
from hubs.organisations.models import Membership, Organisation


@scope(Organisation)
def _organisations(p: Principal) -> ColumnElement[bool]:
    if p.is_manager:
        return true()
    member_of_my_hubs = select(Membership.organisation_id).where(
        Membership.hub_id.in_(p.coordinator_hub_ids)
    )
    return or_(Organisation.id.in_(p.booker_org_ids), Organisation.id.in_(member_of_my_hubs))


@scope(Membership)
def _memberships(p: Principal) -> ColumnElement[bool]:
    if p.is_manager:
        return true()
    return or_(
        Membership.hub_id.in_(p.coordinator_hub_ids),
        Membership.organisation_id.in_(p.booker_org_ids),
    )


def coordinated_org_ids(p: Principal) -> frozenset[int] | None:
    """Organisations that are (or were) members of hubs ``p`` coordinates (None: all)."""
    from hubs.extensions import db

    if p.is_manager:
        return None
    if "coordinated_org_ids" not in p.extra:
        ids = db.session.scalars(
            select(Membership.organisation_id).where(Membership.hub_id.in_(p.coordinator_hub_ids))
        )
        p.extra["coordinated_org_ids"] = frozenset(ids) if p.coordinator_hub_ids else frozenset()
    result: frozenset[int] = p.extra["coordinated_org_ids"]
    return result


def can_edit_organisation(p: Principal, organisation_id: int) -> bool:
    """Managers; coordinators for organisations that are members of their hubs."""
    ids = coordinated_org_ids(p)
    return ids is None or organisation_id in ids


def can_create_organisation(p: Principal) -> bool:
    return p.is_manager or p.is_coordinator
