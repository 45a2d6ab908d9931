"""Who may see and issue machine licences.

A licence is valid at every hub, so the coordinators of any hub the holder's organisation
is (or was) a member of see it; bookers (teachers, HR) see their own organisation's.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, or_, select, true

from hubs.access import Principal, scope
from hubs.learners.models import Learner
from hubs.licences.models import Licence
from hubs.organisations.models import Membership


def member_orgs_of_my_hubs(p: Principal):  # type: ignore[no-untyped-def]
    """Organisations that are (or were) members of a hub the principal coordinates."""
    return select(Membership.organisation_id).where(Membership.hub_id.in_(p.coordinator_hub_ids))


def holders_visible(p: Principal) -> ColumnElement[bool]:
    """Learners whose licences the principal may see (a criterion on Learner)."""
    if p.is_manager:
        return true()
    return or_(
        Learner.organisation_id.in_(member_orgs_of_my_hubs(p)),
        Learner.organisation_id.in_(p.booker_org_ids),
    )


@scope(Licence)
def _licences(p: Principal) -> ColumnElement[bool]:
    if p.is_manager:
        return true()
    return Licence.learner_id.in_(select(Learner.id).where(holders_visible(p)))


def can_issue(p: Principal) -> bool:
    """Coordinators and programme managers issue and revoke licences."""
    return p.is_staff


def issuable_learners(p: Principal) -> ColumnElement[bool]:
    """Learners a coordinator may issue a licence to: people of their hubs' members."""
    if p.is_manager:
        return true()
    return Learner.organisation_id.in_(member_orgs_of_my_hubs(p))
