"""``/api/v1/organisations`` and ``/api/v1/memberships``.

Programme managers create and change organisations; coordinators add and change the
memberships of their hubs.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_

from hubs.access import current_principal, get_or_404, require, select_visible
from hubs.api.common import Blueprint, PageArgs, page_schema, paginate
from hubs.errors import InvalidInput
from hubs.extensions import db
from hubs.organisations import services
from hubs.organisations.models import Membership, Organisation
from hubs.organisations.schemas import (
    MembershipCreateSchema,
    MembershipQuerySchema,
    MembershipSchema,
    MembershipUpdateSchema,
    OrganisationCreateSchema,
    OrganisationSchema,
    OrganisationUpdateSchema,
)

blp = Blueprint(
    "api_organisations", __name__, description="Schools, colleges, companies and memberships"
)


@blp.get("/organisations")
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_schema(OrganisationSchema))
def list_organisations(args: dict[str, Any]) -> dict[str, Any]:
    """Organisations the caller may see (their own; members of their hubs; all for managers)."""
    return paginate(select_visible(Organisation).order_by(Organisation.name), args)


@blp.post("/organisations")
@blp.arguments(OrganisationCreateSchema)
@blp.response(201, OrganisationSchema)
def create_organisation(body: dict[str, Any]) -> Organisation:
    """Add an organisation (programme managers). BRIN and KvK numbers are checked."""
    require(current_principal().is_manager)
    return services.create_organisation(body)


@blp.get("/organisations/<int:organisation_id>")
@blp.response(200, OrganisationSchema)
def get_organisation(organisation_id: int) -> Organisation:
    """One organisation."""
    return get_or_404(Organisation, organisation_id)


@blp.patch("/organisations/<int:organisation_id>")
@blp.arguments(OrganisationUpdateSchema)
@blp.response(200, OrganisationSchema)
def update_organisation(body: dict[str, Any], organisation_id: int) -> Organisation:
    """Change an organisation (programme managers); give only the fields to change."""
    organisation = get_or_404(Organisation, organisation_id)
    require(current_principal().is_manager)
    return services.update_organisation(organisation, body)


@blp.get("/memberships")
@blp.arguments(PageArgs, location="query")
@blp.arguments(MembershipQuerySchema, location="query", as_kwargs=True)
@blp.response(200, page_schema(MembershipSchema))
def list_memberships(args: dict[str, Any], **filters: Any) -> dict[str, Any]:
    """Memberships the caller may see, optionally of one hub or organisation."""
    stmt = select_visible(Membership).order_by(Membership.hub_id, Membership.starts_on)
    if "hub_id" in filters:
        stmt = stmt.where(Membership.hub_id == filters["hub_id"])
    if "organisation_id" in filters:
        stmt = stmt.where(Membership.organisation_id == filters["organisation_id"])
    if "active_on" in filters:
        day = filters["active_on"]
        stmt = stmt.where(
            Membership.starts_on <= day,
            or_(Membership.ends_on.is_(None), Membership.ends_on >= day),
        )
    return paginate(stmt, args)


@blp.post("/memberships")
@blp.arguments(MembershipCreateSchema)
@blp.response(201, MembershipSchema)
def create_membership(body: dict[str, Any]) -> Membership:
    """Make an organisation a member of a hub you coordinate."""
    require(current_principal().coordinates(body["hub_id"]))
    # Any existing organisation may join (as on the members page, found by its number).
    if db.session.get(Organisation, body["organisation_id"]) is None:
        raise InvalidInput("No organisation with this id.", "organisation_id")
    return services.add_membership(
        body["organisation_id"], body["hub_id"], body["starts_on"], body["ends_on"]
    )


@blp.get("/memberships/<int:membership_id>")
@blp.response(200, MembershipSchema)
def get_membership(membership_id: int) -> Membership:
    """One membership."""
    return get_or_404(Membership, membership_id)


@blp.patch("/memberships/<int:membership_id>")
@blp.arguments(MembershipUpdateSchema)
@blp.response(200, MembershipSchema)
def update_membership(body: dict[str, Any], membership_id: int) -> Membership:
    """Change the period of a membership of a hub you coordinate (set ends_on to end it)."""
    membership = get_or_404(Membership, membership_id)
    require(current_principal().coordinates(membership.hub_id))
    return services.update_membership(
        membership,
        body.get("starts_on", membership.starts_on),
        body.get("ends_on", membership.ends_on),
    )
