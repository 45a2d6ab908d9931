"""JSON shapes of hubs and resources."""

from __future__ import annotations

import marshmallow as ma

from hubs.api.common import Schema


class OpeningHoursSchema(Schema):
    weekday = ma.fields.Integer(metadata={"description": "0 = Monday … 6 = Sunday"})
    opens_at = ma.fields.Time(format="%H:%M")
    closes_at = ma.fields.Time(format="%H:%M")


class HubSchema(Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    town = ma.fields.String()
    address = ma.fields.String()
    timezone = ma.fields.String()
    opening_hours = ma.fields.List(ma.fields.Nested(OpeningHoursSchema))


class ResourceSchema(Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    hub_id = ma.fields.Integer()
    kind = ma.fields.String(metadata={"description": "machine, room or workspace"})
    capacity = ma.fields.Integer(metadata={"description": "people"})
    requires_licence = ma.fields.String(
        attribute="licence_type",
        allow_none=True,
        metadata={"description": "the machine licence type needed, or null"},
    )
    active = ma.fields.Boolean()
    description = ma.fields.String()


class ResourceQuerySchema(Schema):
    class Meta:
        unknown = ma.EXCLUDE

    hub_id = ma.fields.Integer()
    kind = ma.fields.String(validate=ma.validate.OneOf(["machine", "room", "workspace"]))
    active = ma.fields.Boolean()


def _one_of(values: list[str]) -> ma.validate.OneOf:
    return ma.validate.OneOf(values, error="Must be one of: " + ", ".join(values) + ".")


KINDS = ["machine", "room", "workspace"]


class ResourceCreateSchema(Schema):
    hub_id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=120))
    kind = ma.fields.String(required=True, validate=_one_of(KINDS))
    capacity = ma.fields.Integer(
        required=True,
        validate=ma.validate.Range(min=1, max=500),
        metadata={"description": "people at the same time"},
    )
    requires_licence = ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=ma.validate.Length(max=40),
        metadata={"description": "machine licence type needed (e.g. cnc), or null"},
    )
    description = ma.fields.String(load_default="", validate=ma.validate.Length(max=5000))


class ResourceUpdateSchema(Schema):
    """Change a resource: give only the fields to change; ``active: false`` retires it."""

    name = ma.fields.String(validate=ma.validate.Length(min=1, max=120))
    kind = ma.fields.String(validate=_one_of(KINDS))
    capacity = ma.fields.Integer(validate=ma.validate.Range(min=1, max=500))
    requires_licence = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=40))
    description = ma.fields.String(validate=ma.validate.Length(max=5000))
    active = ma.fields.Boolean(
        metadata={"description": "false retires the resource (its history stays)"}
    )
