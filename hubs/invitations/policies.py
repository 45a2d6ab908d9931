"""Who may see invitations: managers all; others those into organisations they manage."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, or_, true

from hubs.access import Principal, scope
from hubs.accounts.models import Role
from hubs.accounts.policies import people_org_criterion
from hubs.invitations.models import Invitation


@scope(Invitation)
def _invitations(p: Principal) -> ColumnElement[bool]:
    if p.is_manager:
        return true()
    return or_(
        Invitation.invited_by_id == p.user_id,
        and_(
            Invitation.role == Role.BOOKER,
            people_org_criterion(p, Invitation.organisation_id),
        ),
    )
