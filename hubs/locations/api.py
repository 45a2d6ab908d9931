"""``/api/v1/hubs`` and ``/api/v1/resources``."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import selectinload

from hubs.access import get_or_404, select_visible
from hubs.api.common import Blueprint, PageArgs, page_schema, paginate
from hubs.locations.models import Hub, Resource
from hubs.locations.schemas import HubSchema, ResourceQuerySchema, ResourceSchema

blp = Blueprint("api_locations", __name__, description="Hubs and their resources")


@blp.get("/hubs")
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_schema(HubSchema))
def list_hubs(args: dict[str, Any]) -> dict[str, Any]:
    """List the hubs."""
    stmt = select_visible(Hub).options(selectinload(Hub.opening_hours)).order_by(Hub.name)
    return paginate(stmt, args)


@blp.get("/hubs/<int:hub_id>")
@blp.response(200, HubSchema)
def get_hub(hub_id: int) -> Hub:
    """One hub with its opening hours."""
    return get_or_404(Hub, hub_id)


@blp.get("/resources")
@blp.arguments(PageArgs, location="query")
@blp.arguments(ResourceQuerySchema, location="query", as_kwargs=True)
@blp.response(200, page_schema(ResourceSchema))
def list_resources(args: dict[str, Any], **filters: Any) -> dict[str, Any]:
    """List resources, optionally of one hub (``hub_id``), kind or state."""
    stmt = select_visible(Resource).order_by(Resource.hub_id, Resource.name)
    if "hub_id" in filters:
        stmt = stmt.where(Resource.hub_id == filters["hub_id"])
    if "kind" in filters:
        stmt = stmt.where(Resource.kind == filters["kind"])
    if "active" in filters:
        stmt = stmt.where(Resource.active.is_(filters["active"]))
    return paginate(stmt, args)


@blp.get("/resources/<int:resource_id>")
@blp.response(200, ResourceSchema)
def get_resource(resource_id: int) -> Resource:
    """One resource."""
    return get_or_404(Resource, resource_id)
