"""JSON shapes for tokens and the signed-in user."""

from __future__ import annotations

import marshmallow as ma

from hubs.api.common import Instant, Schema


class TokenRequestSchema(Schema):
    email = ma.fields.Email(required=True)
    password = ma.fields.String(required=True, validate=ma.validate.Length(max=1024))
    name = ma.fields.String(load_default="API", validate=ma.validate.Length(max=100))


class TokenSchema(Schema):
    token = ma.fields.String()
    expires_at = Instant()


class GrantSchema(Schema):
    role = ma.fields.String()
    hub_id = ma.fields.Integer(allow_none=True)
    organisation_id = ma.fields.Integer(allow_none=True)
    is_org_admin = ma.fields.Boolean()


class MeSchema(Schema):
    id = ma.fields.Integer()
    email = ma.fields.String()
    name = ma.fields.String()
    locale = ma.fields.String()
    grants = ma.fields.List(ma.fields.Nested(GrantSchema))
