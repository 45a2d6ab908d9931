"""JSON shapes of machine licences."""

from __future__ import annotations

import marshmallow as ma

from hubs.api.common import Instant, Schema
from hubs.licences.models import LicenceSource


class LicenceSchema(Schema):
    id = ma.fields.Integer()
    learner_id = ma.fields.Integer()
    organisation_id = ma.fields.Integer(attribute="learner.organisation_id")
    kind = ma.fields.String(metadata={"description": "e.g. cnc, laser, lassen"})
    issued_on = ma.fields.Date()
    expires_on = ma.fields.Date(allow_none=True, metadata={"description": "inclusive; null: none"})
    source = ma.fields.Enum(LicenceSource, by_value=True)
    course_id = ma.fields.Integer(allow_none=True)
    revoked_at = Instant(allow_none=True)
    created_at = Instant()


class LicenceQuerySchema(Schema):
    class Meta:
        unknown = ma.EXCLUDE

    learner_id = ma.fields.Integer()
    kind = ma.fields.String(validate=ma.validate.Length(max=40))
    valid_on = ma.fields.Date(metadata={"description": "only licences valid on this date"})


class LicenceCreateSchema(Schema):
    learner_id = ma.fields.Integer(strict=True, required=True)
    kind = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=40))
    issued_on = ma.fields.Date(required=True)
    expires_on = ma.fields.Date(load_default=None, allow_none=True)
