"""Who may see and manage people, their role grants and API tokens.

Coordinators look after the people of the organisations that are members of their hubs;
organisation admins after the colleagues of their own organisation; programme managers
after everyone. "The people of an organisation" are the users with a booker grant there.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, and_, false, or_, select, true

from hubs.access import Principal, scope
from hubs.accounts.models import ApiToken, Role, RoleGrant, User
from hubs.errors import InvalidInput
from hubs.extensions import db
from hubs.locations.models import Hub
from hubs.organisations.models import Membership, Organisation


def people_org_criterion(p: Principal, column: Any) -> ColumnElement[bool]:
    """SQL: the organisation id in ``column`` is one whose people ``p`` manages."""
    if p.is_manager:
        return true()
    conditions: list[ColumnElement[bool]] = []
    if p.coordinator_hub_ids:
        members = select(Membership.organisation_id).where(
            Membership.hub_id.in_(p.coordinator_hub_ids)
        )
        conditions.append(column.in_(members))
    if p.admin_org_ids:
        conditions.append(column.in_(p.admin_org_ids))
    return or_(*conditions) if conditions else false()


def people_org_ids(p: Principal) -> frozenset[int] | None:
    """The organisations whose people ``p`` manages (None: all, for managers)."""
    if p.is_manager:
        return None
    if "people_org_ids" not in p.extra:
        ids: set[int] = set(p.admin_org_ids)
        if p.coordinator_hub_ids:
            ids.update(
                db.session.scalars(
                    select(Membership.organisation_id).where(
                        Membership.hub_id.in_(p.coordinator_hub_ids)
                    )
                )
            )
        p.extra["people_org_ids"] = frozenset(ids)
    result: frozenset[int] = p.extra["people_org_ids"]
    return result


def manages_people_of(p: Principal, organisation_id: int | None) -> bool:
    """May invite, grant and remove people of this organisation."""
    ids = people_org_ids(p)
    return organisation_id is not None and (ids is None or organisation_id in ids)


def may_manage_people(p: Principal) -> bool:
    """Sees the people section at all."""
    return p.is_manager or p.is_coordinator or bool(p.admin_org_ids)


def can_manage_grant(p: Principal, grant: RoleGrant) -> bool:
    """May take this role away (never one's own)."""
    if grant.user_id == p.user_id:
        return False
    if p.is_manager:
        return True
    return grant.role == Role.BOOKER and manages_people_of(p, grant.organisation_id)


def can_deactivate(p: Principal, user: User) -> bool:
    """Managers: anyone but themselves. Others: people whose every role is a booker role
    in an organisation they manage (a coordinator cannot lock out a colleague coordinator).
    """
    if user.id == p.user_id:
        return False
    if p.is_manager:
        return True
    return bool(user.grants) and all(
        g.role == Role.BOOKER and manages_people_of(p, g.organisation_id) for g in user.grants
    )


def check_role_target(
    p: Principal, role: Role, organisation_id: int | None, hub_id: int | None
) -> None:
    """Refuse (at the field) a role ``p`` may not give, or give there (grants, invitations)."""
    if role not in grantable_roles(p):
        raise InvalidInput(_l("You may not give this role."), "role")
    if role == Role.BOOKER:
        if organisation_id is None:
            raise InvalidInput(_l("Choose the organisation."), "organisation_id")
        if not manages_people_of(p, organisation_id):
            raise InvalidInput(
                _l("You may not give roles in this organisation."), "organisation_id"
            )
    if role == Role.COORDINATOR and hub_id is None:
        raise InvalidInput(_l("Choose the hub."), "hub_id")


def role_targets(p: Principal) -> tuple[list[Organisation], list[Hub]]:
    """The organisations (booker roles) and hubs (coordinator roles) ``p`` may give roles
    in, by name; bounded for the choice lists of a form."""
    orgs = select(Organisation).order_by(Organisation.name).limit(500)
    if not p.is_manager:
        orgs = orgs.where(people_org_criterion(p, Organisation.id))
    hubs = (
        list(db.session.scalars(select(Hub).order_by(Hub.name).limit(200))) if p.is_manager else []
    )
    return list(db.session.scalars(orgs)), hubs


def grantable_roles(p: Principal) -> list[Role]:
    """Roles ``p`` may give (booker roles only within organisations they manage)."""
    if p.is_manager:
        return [Role.BOOKER, Role.COORDINATOR, Role.FUNDER, Role.MANAGER]
    return [Role.BOOKER] if may_manage_people(p) else []


@scope(User)
def _users(p: Principal) -> ColumnElement[bool]:
    if p.is_manager:
        return true()
    colleagues = select(RoleGrant.user_id).where(
        RoleGrant.role == Role.BOOKER,
        people_org_criterion(p, RoleGrant.organisation_id),
    )
    return or_(User.id == p.user_id, User.id.in_(colleagues))


@scope(RoleGrant)
def _grants(p: Principal) -> ColumnElement[bool]:
    if p.is_manager:
        return true()
    return or_(
        RoleGrant.user_id == p.user_id,
        and_(
            RoleGrant.role == Role.BOOKER,
            people_org_criterion(p, RoleGrant.organisation_id),
        ),
    )


@scope(ApiToken)
def _tokens(p: Principal) -> ColumnElement[bool]:
    # Tokens are personal: not even a programme manager sees someone else's.
    return ApiToken.user_id == p.user_id
