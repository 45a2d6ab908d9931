"""JSON shapes of organisations and memberships."""

from __future__ import annotations

import marshmallow as ma

from hubs.api.common import Schema

KINDS = ["vo_school", "mbo_college", "company", "other"]
REGIONS = ["noord", "midden", "zuid"]


def _one_of(values: list[str]) -> ma.validate.OneOf:
    return ma.validate.OneOf(values, error="Must be one of: " + ", ".join(values) + ".")


class MembershipSchema(Schema):
    id = ma.fields.Integer()
    organisation_id = ma.fields.Integer()
    hub_id = ma.fields.Integer()
    starts_on = ma.fields.Date()
    ends_on = ma.fields.Date(
        allow_none=True, metadata={"description": "inclusive; null: open-ended"}
    )


class MembershipCreateSchema(Schema):
    organisation_id = ma.fields.Integer(required=True)
    hub_id = ma.fields.Integer(required=True)
    starts_on = ma.fields.Date(required=True)
    ends_on = ma.fields.Date(load_default=None, allow_none=True)


class MembershipUpdateSchema(Schema):
    starts_on = ma.fields.Date()
    ends_on = ma.fields.Date(
        allow_none=True, metadata={"description": "a date ends the membership"}
    )


class MembershipQuerySchema(Schema):
    class Meta:
        unknown = ma.EXCLUDE

    hub_id = ma.fields.Integer()
    organisation_id = ma.fields.Integer()
    active_on = ma.fields.Date(metadata={"description": "only memberships active on this date"})


class OrganisationSchema(Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    kind = ma.fields.String(metadata={"description": "vo_school, mbo_college, company or other"})
    brin = ma.fields.String(allow_none=True)
    brin_branch = ma.fields.String(allow_none=True)
    kvk = ma.fields.String(allow_none=True)
    town = ma.fields.String()
    holiday_region = ma.fields.String(allow_none=True)


def _organisation_fields(required: bool) -> dict[str, ma.fields.Field]:
    return {
        "name": ma.fields.String(required=required, validate=ma.validate.Length(min=1, max=200)),
        "kind": ma.fields.String(required=required, validate=_one_of(KINDS)),
        "brin": ma.fields.String(
            allow_none=True, metadata={"description": "schools: 4 characters, e.g. 14GH"}
        ),
        "brin_branch": ma.fields.String(
            allow_none=True, metadata={"description": "2 digits; default 00"}
        ),
        "kvk": ma.fields.String(allow_none=True, metadata={"description": "companies: 8 digits"}),
        "town": ma.fields.String(validate=ma.validate.Length(max=120)),
        "holiday_region": ma.fields.String(
            allow_none=True,
            validate=_one_of(REGIONS),
            metadata={"description": "schools: noord, midden or zuid (default midden)"},
        ),
    }


# A new organisation: name and kind required; BRIN for schools, KvK for companies.
OrganisationCreateSchema = Schema.from_dict(
    _organisation_fields(True), name="OrganisationCreateSchema"
)
# A change: only the fields given change.
OrganisationUpdateSchema = Schema.from_dict(
    _organisation_fields(False), name="OrganisationUpdateSchema"
)
