"""JSON shapes of bookings and availability (marshmallow 4; unknown fields refused)."""

from __future__ import annotations

from typing import Any

import marshmallow as ma

from hubs.api.common import Instant, Schema
from hubs.booking.models import BookingStatus, LearnerCategory, Level

CATEGORIES = [c.value for c in LearnerCategory]
LEVELS = [v.value for v in Level]
STATUSES = [s.value for s in BookingStatus]


class VisitFieldsSchema(Schema):
    """Who comes and why: the fields a booking and a series share."""

    group_name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=60))
    group_size = ma.fields.Integer(
        strict=True, required=True, validate=ma.validate.Range(min=1, max=1000)
    )
    learner_category = ma.fields.String(required=True, validate=ma.validate.OneOf(CATEGORIES))
    level = ma.fields.String(load_default=None, allow_none=True, validate=ma.validate.OneOf(LEVELS))
    purpose = ma.fields.String(load_default="", validate=ma.validate.Length(max=200))
    notes = ma.fields.String(load_default="", validate=ma.validate.Length(max=2000))
    organisation_id = ma.fields.Integer(
        strict=True,
        load_default=None,
        allow_none=True,
        metadata={"description": "coordinators: the member organisation booked for"},
    )


class BookingCreateSchema(VisitFieldsSchema):
    resource_ids = ma.fields.List(
        ma.fields.Integer(strict=True),
        required=True,
        validate=ma.validate.Length(min=1, max=20),
        metadata={"description": "one resource, or a bundle of one hub booked all-or-nothing"},
    )
    start = Instant(required=True)
    end = Instant(required=True)
    learner_ids = ma.fields.List(
        ma.fields.Integer(strict=True),
        load_default=None,
        validate=ma.validate.Length(max=100),
        metadata={
            "description": "machines that need a licence: the learners (of the booking "
            "organisation) who will use them; each needs a valid licence on the booking's "
            "dates, else 422 naming them in ``learner_ids``"
        },
    )
    programme_id = ma.fields.Integer(
        strict=True,
        allow_none=True,
        metadata={
            "description": "the hub's (active) programme the visit is part of, serving the "
            "group's learners; contact hours and visit surveys count for it. Left out: the "
            "programme serving the group in which the booking organisation has its only "
            "enrolment at the hub on that day, if any; null: part of no programme"
        },
    )
    supervised = ma.fields.Boolean(
        load_default=False,
        metadata={
            "description": "school classes (vo, mbo): the hub's instructor supervises the "
            "licensed machines instead (a coordinator confirms it)"
        },
    )


class BookingPatchSchema(Schema):
    start = Instant()
    end = Instant()
    group_name = ma.fields.String(validate=ma.validate.Length(min=1, max=60))
    group_size = ma.fields.Integer(strict=True, validate=ma.validate.Range(min=1, max=1000))
    learner_category = ma.fields.String(validate=ma.validate.OneOf(CATEGORIES))
    level = ma.fields.String(allow_none=True, validate=ma.validate.OneOf(LEVELS))
    purpose = ma.fields.String(validate=ma.validate.Length(max=200))
    notes = ma.fields.String(validate=ma.validate.Length(max=2000))
    programme_id = ma.fields.Integer(
        strict=True,
        allow_none=True,
        metadata={"description": "the hub's programme of the visit; null: none"},
    )
    resource_ids = ma.fields.List(
        ma.fields.Integer(strict=True),
        validate=ma.validate.Length(min=1, max=20),
        metadata={
            "description": "other rooms and machines of the booking's hub (the whole bundle); "
            "checked like a new booking: 409 listing conflicts, 422 naming the field"
        },
    )
    learner_ids = ma.fields.List(
        ma.fields.Integer(strict=True),
        validate=ma.validate.Length(max=100),
        metadata={"description": "licensed machines: who will use them (else as recorded)"},
    )
    supervised = ma.fields.Boolean(
        metadata={"description": "school classes: the hub's instructor supervises instead"}
    )


class ReasonSchema(Schema):
    reason = ma.fields.String(load_default="", validate=ma.validate.Length(max=300))


def _bundle(obj: Any) -> list[Any]:
    lead = obj.lead or obj
    return list(lead.members) or [obj]


class BookingSchema(Schema):
    id = ma.fields.Integer()
    bundle_id = ma.fields.Integer()
    status = ma.fields.Enum(BookingStatus, by_value=True)
    start = Instant(attribute="start_at")
    end = Instant(attribute="end_at")
    hub_id = ma.fields.Integer()
    resource_id = ma.fields.Integer()
    resource_ids = ma.fields.Method(
        "get_resource_ids", metadata={"description": "every resource of the bundle"}
    )
    booking_ids = ma.fields.Method("get_booking_ids")
    organisation_id = ma.fields.Integer()
    group_name = ma.fields.String()
    group_size = ma.fields.Integer()
    learner_category = ma.fields.Enum(LearnerCategory, by_value=True)
    level = ma.fields.Enum(Level, by_value=True, allow_none=True)
    purpose = ma.fields.String()
    notes = ma.fields.String()
    programme_id = ma.fields.Integer(allow_none=True)
    expires_at = Instant(metadata={"description": "requests: when it expires undecided"})
    cancel_reason = ma.fields.String()
    version = ma.fields.Integer()
    created_at = Instant()
    updated_at = Instant()

    def get_resource_ids(self, obj: Any) -> list[int]:
        return [r.resource_id for r in _bundle(obj)]

    def get_booking_ids(self, obj: Any) -> list[int]:
        return [r.id for r in _bundle(obj)]


class BookingQuerySchema(Schema):
    class Meta:
        unknown = ma.EXCLUDE

    hub_id = ma.fields.Integer()
    resource_id = ma.fields.Integer()
    organisation_id = ma.fields.Integer()
    status = ma.fields.String(validate=ma.validate.OneOf(STATUSES))
    when = ma.fields.String(
        load_default="all", validate=ma.validate.OneOf(["upcoming", "past", "all"])
    )
    start = Instant(metadata={"description": "bookings ending after this instant"})
    end = Instant(metadata={"description": "bookings starting before this instant"})


class AvailabilityQuerySchema(Schema):
    class Meta:
        unknown = ma.EXCLUDE

    start = Instant(required=True)
    end = Instant(required=True)


class IntervalSchema(Schema):
    start = Instant()
    end = Instant()


class AvailabilitySchema(Schema):
    resource_id = ma.fields.Integer()
    start = Instant()
    end = Instant()
    free = ma.fields.List(ma.fields.Nested(IntervalSchema))
