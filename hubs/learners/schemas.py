"""JSON shapes of funding sources, programmes, learners, enrolments and imports."""

from __future__ import annotations

from typing import Any

import marshmallow as ma

from hubs.api.common import Schema
from hubs.learners.models import (
    EnrolmentKind,
    EnrolmentStatus,
    LearnerCategory,
    Level,
    Pathway,
)


def _enum(cls: Any, **kwargs: Any) -> ma.fields.Enum:
    return ma.fields.Enum(cls, by_value=True, **kwargs)


class FundingSourceSchema(Schema):
    id = ma.fields.Integer(dump_only=True)
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=120))
    active = ma.fields.Boolean(dump_only=True)


class ProgrammeSchema(Schema):
    id = ma.fields.Integer()
    hub_id = ma.fields.Integer()
    name = ma.fields.String()
    description = ma.fields.String()
    categories = ma.fields.List(_enum(LearnerCategory))
    crebo = ma.fields.String(allow_none=True)
    funding_sources = ma.fields.List(ma.fields.Nested(FundingSourceSchema))
    records_pupil_names = ma.fields.Boolean()
    active = ma.fields.Boolean()


class ProgrammeChangeSchema(Schema):
    """The fields of PATCH; POST also takes ``hub_id`` and requires name and categories."""

    name = ma.fields.String(validate=ma.validate.Length(min=1, max=120))
    description = ma.fields.String(validate=ma.validate.Length(max=2000))
    categories = ma.fields.List(
        ma.fields.String(validate=ma.validate.OneOf([c.value for c in LearnerCategory])),
        validate=ma.validate.Length(min=1),
        metadata={"description": "learner categories served: vo, mbo, employee, other"},
    )
    crebo = ma.fields.String(allow_none=True, metadata={"description": "five digits"})
    funding_source_ids = ma.fields.List(ma.fields.Integer())
    records_pupil_names = ma.fields.Boolean(
        metadata={"description": "keep names of pupils and students (normally not)"}
    )
    active = ma.fields.Boolean()


class ProgrammeCreateSchema(ProgrammeChangeSchema):
    hub_id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=120))
    categories = ma.fields.List(
        ma.fields.String(validate=ma.validate.OneOf([c.value for c in LearnerCategory])),
        required=True,
        validate=ma.validate.Length(min=1),
    )


class ProgrammeQuerySchema(Schema):
    class Meta:
        unknown = ma.EXCLUDE

    hub_id = ma.fields.Integer()
    category = _enum(LearnerCategory)
    active = ma.fields.Boolean()


class LearnerSchema(Schema):
    id = ma.fields.Integer()
    organisation_id = ma.fields.Integer()
    reference = ma.fields.String()
    category = _enum(LearnerCategory)
    level = _enum(Level, allow_none=True)
    leerjaar = ma.fields.Integer(allow_none=True)
    pathway = _enum(Pathway, allow_none=True)
    given_name = ma.fields.String(allow_none=True)
    name_prefix = ma.fields.String(allow_none=True)
    family_name = ma.fields.String(allow_none=True)
    email = ma.fields.String(allow_none=True)
    anonymised = ma.fields.Boolean(attribute="is_anonymised")


class LearnerInSchema(Schema):
    reference = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=40))
    category = _enum(LearnerCategory, required=True)
    level = _enum(Level, allow_none=True)
    leerjaar = ma.fields.Integer(allow_none=True)
    pathway = _enum(Pathway, allow_none=True)
    given_name = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=80))
    name_prefix = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=20))
    family_name = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=80))
    email = ma.fields.Email(allow_none=True)


class LearnerQuerySchema(Schema):
    class Meta:
        unknown = ma.EXCLUDE

    organisation_id = ma.fields.Integer()
    category = _enum(LearnerCategory)


class EnrolmentSchema(Schema):
    id = ma.fields.Integer()
    kind = _enum(EnrolmentKind)
    programme_id = ma.fields.Integer()
    hub_id = ma.fields.Function(lambda e: e.programme.hub_id)
    organisation_id = ma.fields.Integer()
    school_year = ma.fields.Integer()
    group_name = ma.fields.String(allow_none=True)
    headcount = ma.fields.Integer(allow_none=True)
    group_id = ma.fields.Integer(allow_none=True)
    learner = ma.fields.Nested(LearnerSchema, allow_none=True)
    category = _enum(LearnerCategory)
    level = _enum(Level, allow_none=True)
    leerjaar = ma.fields.Integer(allow_none=True)
    pathway = _enum(Pathway, allow_none=True)
    starts_on = ma.fields.Date()
    ends_on = ma.fields.Date()
    status = _enum(EnrolmentStatus)
    note = ma.fields.String()


class EnrolmentCreateSchema(Schema):
    kind = _enum(EnrolmentKind, required=True)
    programme_id = ma.fields.Integer(required=True)
    organisation_id = ma.fields.Integer(
        metadata={"description": "groups, and individuals given as `learner`"}
    )
    school_year = ma.fields.Integer(
        validate=ma.validate.Range(min=2000, max=2100),
        metadata={"description": "year of 1 August; default: the current school year"},
    )
    group_name = ma.fields.String(validate=ma.validate.Length(max=60))
    headcount = ma.fields.Integer()
    category = _enum(LearnerCategory)
    level = _enum(Level, allow_none=True)
    leerjaar = ma.fields.Integer(allow_none=True)
    pathway = _enum(Pathway, allow_none=True)
    learner_id = ma.fields.Integer()
    learner = ma.fields.Nested(LearnerInSchema)
    group_id = ma.fields.Integer(allow_none=True)
    starts_on = ma.fields.Date()
    ends_on = ma.fields.Date()
    status = _enum(EnrolmentStatus)
    note = ma.fields.String(validate=ma.validate.Length(max=2000))


class EnrolmentPatchSchema(Schema):
    status = _enum(EnrolmentStatus)
    starts_on = ma.fields.Date()
    ends_on = ma.fields.Date()
    headcount = ma.fields.Integer()
    group_name = ma.fields.String(validate=ma.validate.Length(max=60))
    level = _enum(Level)
    leerjaar = ma.fields.Integer()
    note = ma.fields.String(validate=ma.validate.Length(max=2000))


class EnrolmentQuerySchema(Schema):
    class Meta:
        unknown = ma.EXCLUDE

    programme_id = ma.fields.Integer()
    hub_id = ma.fields.Integer()
    organisation_id = ma.fields.Integer()
    school_year = ma.fields.Integer()
    category = _enum(LearnerCategory)
    level = _enum(Level)
    kind = _enum(EnrolmentKind)
    status = _enum(EnrolmentStatus)


class ImportFormSchema(Schema):
    class Meta:
        unknown = ma.EXCLUDE  # the file arrives in the same multipart body

    programme_id = ma.fields.Integer(required=True)
    kind = _enum(EnrolmentKind, required=True, metadata={"description": "group or individual"})
    organisation_id = ma.fields.Integer(
        metadata={"description": "required unless you book for exactly one organisation"}
    )
    school_year = ma.fields.Integer(validate=ma.validate.Range(min=2000, max=2100))
    dry_run = ma.fields.Boolean(
        load_default=True, metadata={"description": "preview only (default true)"}
    )


class ImportFileSchema(Schema):
    class Meta:
        unknown = ma.EXCLUDE

    file = ma.fields.Raw(
        required=True,
        metadata={"type": "string", "format": "binary", "description": "CSV or XLSX"},
    )


class ProblemSchema(Schema):
    row = ma.fields.Integer(allow_none=True)
    column = ma.fields.String(allow_none=True)
    value = ma.fields.String()
    message = ma.fields.String()


class RowPlanSchema(Schema):
    row = ma.fields.Integer()
    action = ma.fields.String(metadata={"description": "create, update or unchanged"})
    key = ma.fields.String(metadata={"description": "group name or reference"})
    summary = ma.fields.String()


class ImportPreviewSchema(Schema):
    dry_run = ma.fields.Boolean()
    kind = ma.fields.String()
    programme_id = ma.fields.Integer()
    organisation_id = ma.fields.Integer()
    school_year = ma.fields.Integer()
    rows = ma.fields.Integer()
    created = ma.fields.Integer()
    updated = ma.fields.Integer()
    unchanged = ma.fields.Integer()
    actions = ma.fields.List(ma.fields.Nested(RowPlanSchema))
    ignored_columns = ma.fields.List(ma.fields.String())
    notices = ma.fields.List(ma.fields.String())
    errors = ma.fields.List(ma.fields.Nested(ProblemSchema))
