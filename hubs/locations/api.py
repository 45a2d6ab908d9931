"""``/api/v1/hubs`` and ``/api/v1/resources``: read; coordinators create and change
resources of their hubs (``active: false`` retires one)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import selectinload

from hubs.access import current_principal, get_or_404, require, select_visible
from hubs.api.common import Blueprint, PageArgs, page_schema, paginate
from hubs.errors import InvalidInput
from hubs.locations import services
from hubs.locations.models import Hub, Resource
from hubs.locations.schemas import (
    HubSchema,
    ResourceCreateSchema,
    ResourceQuerySchema,
    ResourceSchema,
    ResourceUpdateSchema,
)

blp = Blueprint("api_locations", __name__, description="Hubs and their resources")

# The API calls the licence "requires_licence"; the services call it "licence_type".
_API_NAMES = {"licence_type": "requires_licence"}


def _api_fields(data: dict[str, Any]) -> dict[str, Any]:
    fields = dict(data)
    if "requires_licence" in fields:
        fields["licence_type"] = fields.pop("requires_licence")
    return fields


def _renamed(error: InvalidInput) -> InvalidInput:
    fields = {_API_NAMES.get(k, k): v for k, v in error.fields.items()}
    return InvalidInput(error.message, fields=fields)


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


@blp.post("/resources")
@blp.arguments(ResourceCreateSchema)
@blp.response(201, ResourceSchema)
def create_resource(body: dict[str, Any]) -> Resource:
    """Add a machine, room or workspace to a hub you coordinate."""
    hub = get_or_404(Hub, body.pop("hub_id"))
    require(current_principal().coordinates(hub.id))
    try:
        return services.create_resource(hub, **_api_fields(body))
    except InvalidInput as error:
        raise _renamed(error) from None


@blp.get("/resources/<int:resource_id>")
@blp.response(200, ResourceSchema)
def get_resource(resource_id: int) -> Resource:
    """One resource."""
    return get_or_404(Resource, resource_id)


@blp.patch("/resources/<int:resource_id>")
@blp.arguments(ResourceUpdateSchema)
@blp.response(200, ResourceSchema)
def update_resource(body: dict[str, Any], resource_id: int) -> Resource:
    """Change a resource of a hub you coordinate; ``{"active": false}`` retires it."""
    resource = get_or_404(Resource, resource_id)
    require(current_principal().coordinates(resource.hub_id))
    try:
        return services.update_resource(resource, **_api_fields(body))
    except InvalidInput as error:
        raise _renamed(error) from None
