"""JSON shapes of courses and enrolments (marshmallow 4; unknown fields refused)."""

from __future__ import annotations

import marshmallow as ma

from hubs.api.common import Instant, Schema


class CourseSessionSchema(Schema):
    start = Instant(attribute="starts_at")
    end = Instant(attribute="ends_at")
    booking_id = ma.fields.Integer()


class CourseSchema(Schema):
    id = ma.fields.Integer()
    title = ma.fields.String()
    description = ma.fields.String()
    level = ma.fields.String()
    hub_id = ma.fields.Integer()
    hub = ma.fields.Function(lambda c: c.hub.name)
    status = ma.fields.Function(lambda c: c.status.value)
    audience = ma.fields.Function(
        lambda c: c.audience.value, metadata={"description": "companies, schools or both"}
    )
    seats = ma.fields.Integer()
    seats_left = ma.fields.Integer(metadata={"description": "free seats now"})
    waiting = ma.fields.Integer(metadata={"description": "people on the waiting list"})
    min_participants = ma.fields.Integer()
    decision_on = ma.fields.Date(allow_none=True)
    enrol_deadline = ma.fields.Date()
    price_cents = ma.fields.Integer(metadata={"description": "price per seat in euro cents"})
    grants_licence_kind = ma.fields.String(allow_none=True)
    licence_valid_months = ma.fields.Integer(allow_none=True)
    hours = ma.fields.Float()
    sessions = ma.fields.List(ma.fields.Nested(CourseSessionSchema))


class CourseQuerySchema(Schema):
    class Meta:
        unknown = ma.EXCLUDE

    hub_id = ma.fields.Integer(load_default=None)


class CourseEnrolInputSchema(Schema):
    learner_ids = ma.fields.List(
        ma.fields.Integer(strict=True),
        required=True,
        validate=ma.validate.Length(min=1, max=100),
        metadata={"description": "employees (learners) of your organisation, in order"},
    )


class CourseEnrolmentSchema(Schema):
    id = ma.fields.Integer()
    course_id = ma.fields.Integer()
    learner_id = ma.fields.Integer()
    organisation_id = ma.fields.Integer()
    status = ma.fields.Function(lambda e: e.status.value)


class CourseRefusalSchema(Schema):
    learner_id = ma.fields.Integer()
    reason = ma.fields.Function(lambda r: str(r.reason))


class CourseEnrolResultSchema(Schema):
    enrolled = ma.fields.List(ma.fields.Nested(CourseEnrolmentSchema))
    waiting = ma.fields.List(ma.fields.Nested(CourseEnrolmentSchema))
    refused = ma.fields.List(ma.fields.Nested(CourseRefusalSchema))
