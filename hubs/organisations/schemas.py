"""JSON shapes of organisations and memberships."""

from __future__ import annotations

import marshmallow as ma

from hubs.api.common import Schema


class MembershipSchema(Schema):
    id = ma.fields.Integer()
    organisation_id = ma.fields.Integer()
    hub_id = ma.fields.Integer()
    starts_on = ma.fields.Date()
    ends_on = ma.fields.Date(allow_none=True)


class OrganisationSchema(Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    kind = ma.fields.String(metadata={"description": "vo_school, mbo_college, company or other"})
    brin = ma.fields.String(allow_none=True)
    brin_branch = ma.fields.String(allow_none=True)
    kvk = ma.fields.String(allow_none=True)
    town = ma.fields.String()
    holiday_region = ma.fields.String(allow_none=True)
