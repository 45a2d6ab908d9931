"""JSON shapes of a visit's attendance (marshmallow 4; unknown fields refused)."""

from __future__ import annotations

import marshmallow as ma

from hubs.api.common import Instant, Schema


class AttendanceInputSchema(Schema):
    present = ma.fields.Integer(
        strict=True,
        load_default=None,
        allow_none=True,
        validate=ma.validate.Range(min=0, max=1000),
        metadata={"description": "the number present (visits without a list of names)"},
    )
    learner_ids = ma.fields.List(
        ma.fields.Integer(strict=True),
        load_default=None,
        allow_none=True,
        validate=ma.validate.Length(max=500),
        metadata={"description": "who came (visits with a list of names: ``expected``)"},
    )


class AttendanceSchema(Schema):
    booking_id = ma.fields.Integer(metadata={"description": "the visit's bundle id"})
    recorded = ma.fields.Boolean()
    present = ma.fields.Integer(allow_none=True)
    no_show = ma.fields.Boolean(allow_none=True)
    group_size = ma.fields.Integer(metadata={"description": "people booked"})
    listed = ma.fields.Boolean()
    expected = ma.fields.List(
        ma.fields.Integer(), metadata={"description": "learners on the visit's list of names"}
    )
    learner_ids = ma.fields.List(ma.fields.Integer(), metadata={"description": "who came"})
    recorded_by_id = ma.fields.Integer(allow_none=True)
    updated_at = Instant(allow_none=True)
