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
