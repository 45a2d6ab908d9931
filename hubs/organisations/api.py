"""``/api/v1/organisations``."""

from __future__ import annotations

from typing import Any

from hubs.access import get_or_404, select_visible
from hubs.api.common import Blueprint, PageArgs, page_schema, paginate
from hubs.organisations.models import Organisation
from hubs.organisations.schemas import OrganisationSchema

blp = Blueprint("api_organisations", __name__, description="Schools, colleges, companies")


@blp.get("/organisations")
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_schema(OrganisationSchema))
def list_organisations(args: dict[str, Any]) -> dict[str, Any]:
    """Organisations the caller may see (their own; members of their hubs; all for managers)."""
    return paginate(select_visible(Organisation).order_by(Organisation.name), args)


@blp.get("/organisations/<int:organisation_id>")
@blp.response(200, OrganisationSchema)
def get_organisation(organisation_id: int) -> Organisation:
    """One organisation."""
    return get_or_404(Organisation, organisation_id)
