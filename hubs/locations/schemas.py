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
