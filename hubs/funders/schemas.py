"""The funders' API: snapshots (with their rows) and targets."""

from __future__ import annotations

import marshmallow as ma

from hubs.api.common import Schema


class RecipientSchema(Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()


class SnapshotSchema(Schema):
    id = ma.fields.Integer()
    title = ma.fields.String()
    report = ma.fields.String(metadata={"description": "growth"})
    query = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.String(),
        metadata={"description": "the report's options (from, to, basis, count)"},
    )
    all_programmes = ma.fields.Boolean(metadata={"description": "made for every programme"})
    recipients = ma.fields.List(
        ma.fields.Nested(RecipientSchema),
        metadata={"description": "the funding sources whose funders it is for"},
    )
    created_at = ma.fields.DateTime()
    shared_at = ma.fields.DateTime(allow_none=True)


class SectionSchema(Schema):
    key = ma.fields.String()
    title = ma.fields.String()
    note = ma.fields.String()
    columns = ma.fields.List(
        ma.fields.Dict(), metadata={"description": "label and kind (text, int, pct, factor)"}
    )
    rows = ma.fields.List(
        ma.fields.List(ma.fields.Raw()),
        metadata={"description": 'cells in column order; "<10" and "x" are hidden numbers'},
    )


class SnapshotDetailSchema(SnapshotSchema):
    document_title = ma.fields.String()
    options = ma.fields.List(ma.fields.List(ma.fields.String()))
    definitions = ma.fields.List(ma.fields.List(ma.fields.String()))
    sections = ma.fields.List(ma.fields.Nested(SectionSchema))


class TargetQuerySchema(Schema):
    class Meta:
        unknown = ma.EXCLUDE

    year = ma.fields.Integer(metadata={"description": "school year (2022 = 2022/23)"})
    programme_id = ma.fields.Integer()


class TargetSchema(Schema):
    id = ma.fields.Integer()
    programme_id = ma.fields.Integer()
    programme = ma.fields.String()
    year = ma.fields.Integer()
    indicator = ma.fields.String(
        metadata={
            "description": "participants, organisations, contact_hours, satisfaction_avg, "
            "satisfaction_share"
        }
    )
    target = ma.fields.Float()
    actual = ma.fields.Float(
        allow_none=True,
        metadata={
            "description": "null when not known or suppressed. contact_hours: people present "
            "× hours of the visits (bookings) that name the programme, as recorded in the "
            "attendance register; satisfaction: answers to the surveys after its courses "
            "and after visits that name it"
        },
    )
    progress_pct = ma.fields.Float(allow_none=True)
    suppressed = ma.fields.Boolean()
