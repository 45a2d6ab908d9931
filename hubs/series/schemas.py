"""JSON shapes of series (marshmallow 4; unknown fields refused, naive times refused)."""

from __future__ import annotations

from typing import Any

import marshmallow as ma

from hubs.api.common import Instant, Schema
from hubs.booking.schemas import VisitFieldsSchema
from hubs.series.models import WEEKDAY_CODES
from hubs.series.services import SCOPES

STATES = ["free", "conflict", "skipped"]


class SeriesCreateSchema(VisitFieldsSchema):
    resource_ids = ma.fields.List(
        ma.fields.Integer(strict=True),
        required=True,
        validate=ma.validate.Length(min=1, max=20),
        metadata={"description": "one resource, or a bundle of one hub: every date books all"},
    )
    first_start = Instant(required=True, metadata={"description": "the first lesson's start"})
    first_end = Instant(
        required=True, metadata={"description": "the first lesson's end (the same day)"}
    )
    until = ma.fields.Date(
        required=True, metadata={"description": "the last date (inclusive, local)"}
    )
    interval_weeks = ma.fields.Integer(
        strict=True, load_default=1, validate=ma.validate.Range(min=1, max=52)
    )
    weekdays = ma.fields.List(
        ma.fields.String(validate=ma.validate.OneOf(WEEKDAY_CODES)),
        load_default=None,
        validate=ma.validate.Length(min=1, max=7),
        metadata={"description": "mon … sun; default: the weekday of first_start"},
    )
    programme_id = ma.fields.Integer(
        strict=True,
        allow_none=True,
        metadata={
            "description": "the hub's (active) programme of the lessons, passed to every "
            "date's booking; left out: as for a single booking"
        },
    )
    skip_conflicts = ma.fields.Boolean(
        load_default=False,
        metadata={
            "description": "false: all or nothing (409 when a date is taken); "
            "true: book the free dates"
        },
    )
    learner_ids = ma.fields.List(
        ma.fields.Integer(strict=True),
        load_default=None,
        validate=ma.validate.Length(max=100),
        metadata={
            "description": "machines that need a licence: the learners (of the booking "
            "organisation) who will use them; each needs a valid licence on every date, "
            "else 422 naming them in ``learner_ids`` (or, with ``skip_conflicts``, those "
            "dates are conflicts)"
        },
    )
    supervised = ma.fields.Boolean(
        load_default=False,
        metadata={
            "description": "school classes (vo, mbo): the hub's instructor supervises the "
            "licensed machines instead (the series is a request a coordinator confirms)"
        },
    )


class DryRunSchema(Schema):
    class Meta:
        unknown = ma.EXCLUDE

    dry_run = ma.fields.Boolean(
        load_default=False, metadata={"description": "true: the preview only, nothing is booked"}
    )


class ConflictSchema(Schema):
    resource_id = ma.fields.Integer()
    resource = ma.fields.String()
    start = ma.fields.String()
    end = ma.fields.String()
    booking_id = ma.fields.Integer(metadata={"description": "only your own bookings"})
    group_name = ma.fields.String(metadata={"description": "only your own bookings"})
    status = ma.fields.String(metadata={"description": "only your own bookings"})


class PreviewOccurrenceSchema(Schema):
    date = ma.fields.String()
    start = ma.fields.String(allow_none=True)
    end = ma.fields.String(allow_none=True)
    state = ma.fields.String(metadata={"description": "free, conflict or skipped"})
    reason = ma.fields.String()
    conflicts = ma.fields.List(ma.fields.Nested(ConflictSchema))


class PreviewSchema(Schema):
    dry_run = ma.fields.Boolean()
    occurrences = ma.fields.List(ma.fields.Nested(PreviewOccurrenceSchema))


class OccurrenceSchema(Schema):
    date = ma.fields.Date(attribute="occurrence.on_date")
    start = Instant(allow_none=True)
    end = Instant(allow_none=True)
    state = ma.fields.Method(
        "get_state",
        metadata={"description": "booked (see status), skipped, or conflict (not booked)"},
    )
    status = ma.fields.Method(
        "get_status", metadata={"description": "the booking's status (booked dates)"}
    )
    booking_id = ma.fields.Integer(attribute="occurrence.booking_id", allow_none=True)
    reason = ma.fields.String(attribute="occurrence.reason")

    def get_state(self, obj: Any) -> str:
        return str(obj.occurrence.state.value)

    def get_status(self, obj: Any) -> str | None:
        return obj.booking.status.value if obj.booking is not None else None


class SeriesSchema(Schema):
    id = ma.fields.Integer()
    hub_id = ma.fields.Integer()
    organisation_id = ma.fields.Integer()
    resource_ids = ma.fields.List(ma.fields.Integer())
    rule = ma.fields.String(metadata={"description": "RFC 5545 RRULE of the dates"})
    timezone = ma.fields.String()
    first_day = ma.fields.Date()
    until = ma.fields.Date()
    start_time = ma.fields.Time(format="%H:%M", metadata={"description": "local wall-clock time"})
    end_time = ma.fields.Time(format="%H:%M")
    interval_weeks = ma.fields.Integer()
    weekdays = ma.fields.Method("get_weekdays")
    group_name = ma.fields.String()
    group_size = ma.fields.Integer()
    learner_category = ma.fields.String(attribute="learner_category.value")
    level = ma.fields.Method("get_level")
    purpose = ma.fields.String()
    programme_id = ma.fields.Integer(allow_none=True)
    created_at = Instant()
    occurrences = ma.fields.Method("get_occurrences")

    def get_weekdays(self, obj: Any) -> list[str]:
        return [c for c in obj.weekdays.split(",") if c]

    def get_level(self, obj: Any) -> str | None:
        return obj.level.value if obj.level else None

    def get_occurrences(self, obj: Any) -> list[dict[str, Any]]:
        from hubs.series.queries import rows

        return [OccurrenceSchema().dump(r) for r in rows(obj)]


class CancelSchema(Schema):
    scope = ma.fields.String(required=True, validate=ma.validate.OneOf(SCOPES))
    booking_id = ma.fields.Integer(
        strict=True,
        load_default=None,
        allow_none=True,
        metadata={"description": "the date (any of its rows) for scope occurrence or following"},
    )
    reason = ma.fields.String(load_default="", validate=ma.validate.Length(max=300))


class CancelResultSchema(Schema):
    series = ma.fields.Nested(SeriesSchema)
    cancelled = ma.fields.List(ma.fields.Integer(), metadata={"description": "booking ids"})
    kept = ma.fields.List(
        ma.fields.Dict(), metadata={"description": "dates left as they were, with the reason"}
    )
