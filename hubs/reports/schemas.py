"""The reports API: its query (documented here, read by :func:`parse_options`) and answers."""

from __future__ import annotations

import marshmallow as ma

from hubs.api.common import Schema


class ReportQuerySchema(Schema):
    """Documents the query string; values are checked by ``hubs.reports.options``."""

    class Meta:
        unknown = ma.EXCLUDE

    from_ = ma.fields.String(
        data_key="from", metadata={"description": "first year, e.g. 2021 (default: last year)"}
    )
    to = ma.fields.String(metadata={"description": "last year, e.g. 2022 (default: this year)"})
    basis = ma.fields.String(
        metadata={"description": "school (1 Aug – 31 Jul, default) or calendar"}
    )
    count = ma.fields.String(metadata={"description": "participants (default) or enrolments"})
    reference_date = ma.fields.String(
        metadata={
            "description": "optional YYYY-MM-DD in the first year; every year is counted on "
            "the same day and month"
        }
    )
    hub_id = ma.fields.List(ma.fields.String(), metadata={"description": "hub ids (repeat)"})
    programme_id = ma.fields.List(
        ma.fields.String(), metadata={"description": "programme ids (repeat)"}
    )
    by_level = ma.fields.String(metadata={"description": "1: a row per level too"})


class GrowthRowSchema(Schema):
    hub = ma.fields.String(
        allow_none=True, metadata={"description": "null in the row of all hubs together"}
    )
    programme = ma.fields.String(
        allow_none=True, metadata={"description": "null in a total row (per hub, all hubs)"}
    )
    category = ma.fields.String(
        allow_none=True, metadata={"description": "vo, mbo, employee, other"}
    )
    level = ma.fields.String(allow_none=True)
    from_count = ma.fields.Raw(metadata={"description": "number in the first year"})
    to_count = ma.fields.Raw(metadata={"description": "number in the last year"})
    change = ma.fields.Integer(allow_none=True)
    change_pct = ma.fields.Float(
        allow_none=True, metadata={"description": "percentage, one decimal (359.3)"}
    )
    factor = ma.fields.Float(allow_none=True, metadata={"description": "ratio, two decimals"})
    sentence = ma.fields.String()
    suppressed = ma.fields.Boolean(
        metadata={"description": "true when a small number is hidden: its value is null"}
    )


class GrowthSchema(Schema):
    basis = ma.fields.String(metadata={"description": "school or calendar"})
    count = ma.fields.String(metadata={"description": "participants or enrolments"})
    definitions = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String())
    rows = ma.fields.List(ma.fields.Nested(GrowthRowSchema))


class HoursSchema(Schema):
    available = ma.fields.Float(allow_none=True, metadata={"description": "hours available"})
    booked = ma.fields.Float(metadata={"description": "booked hours (one decimal)"})
    booked_pct = ma.fields.Float(allow_none=True, metadata={"description": "utilisation, %"})
    realised = ma.fields.Float(metadata={"description": "realised hours"})
    realised_pct = ma.fields.Float(allow_none=True)
    visits = ma.fields.Integer(allow_none=True)
    participants = ma.fields.Integer(allow_none=True)
    no_shows = ma.fields.Integer(
        allow_none=True,
        metadata={"description": "visits that took place, recorded with nobody present"},
    )


class UsageRowSchema(HoursSchema):
    hub = ma.fields.String(allow_none=True, metadata={"description": "null: all hubs shown"})
    resource = ma.fields.String(allow_none=True)
    resource_kind = ma.fields.String(allow_none=True, metadata={"description": "machine, room…"})
    organisation_kind = ma.fields.String(allow_none=True)
    month = ma.fields.String(allow_none=True, metadata={"description": "YYYY-MM"})


class UsageSchema(Schema):
    basis = ma.fields.String()
    first_day = ma.fields.Date()
    last_day = ma.fields.Date()
    definitions = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String())
    hubs = ma.fields.List(ma.fields.Nested(UsageRowSchema))
    resources = ma.fields.List(ma.fields.Nested(UsageRowSchema))
    organisation_kinds = ma.fields.List(ma.fields.Nested(UsageRowSchema))
    months = ma.fields.List(ma.fields.Nested(UsageRowSchema))
    most_used = ma.fields.List(ma.fields.Nested(UsageRowSchema))
    least_used = ma.fields.List(ma.fields.Nested(UsageRowSchema))


class CompanyRowSchema(Schema):
    company = ma.fields.String(allow_none=True, metadata={"description": "null: all companies"})
    employees_trained = ma.fields.Integer(
        allow_none=True, metadata={"description": "null: no data"}
    )
    course_hours = ma.fields.Float(allow_none=True)
    licences_issued = ma.fields.Integer(allow_none=True)


class CompaniesSchema(Schema):
    basis = ma.fields.String()
    first_day = ma.fields.Date()
    last_day = ma.fields.Date()
    has_data = ma.fields.Boolean(
        metadata={"description": "false while courses and licences are not recorded"}
    )
    definitions = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.String())
    rows = ma.fields.List(ma.fields.Nested(CompanyRowSchema))
