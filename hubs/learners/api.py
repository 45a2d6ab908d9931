"""``/api/v1/funding-sources``, ``/programmes``, ``/learners``, ``/enrolments`` and imports."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, jsonify
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from hubs.access import current_principal, get_or_404, select_visible
from hubs.api.common import Blueprint, PageArgs, page_schema, paginate
from hubs.errors import InvalidInput
from hubs.learners import programmes as programme_services
from hubs.learners import services
from hubs.learners.counting import current_school_year
from hubs.learners.imports import ImportRequest, ImportResult, run_import
from hubs.learners.models import (
    Enrolment,
    EnrolmentKind,
    FundingSource,
    Learner,
    LearnerCategory,
    Programme,
)
from hubs.learners.parsing import TableError, TooLarge, read_table
from hubs.learners.schemas import (
    EnrolmentCreateSchema,
    EnrolmentPatchSchema,
    EnrolmentQuerySchema,
    EnrolmentSchema,
    FundingSourceSchema,
    ImportFileSchema,
    ImportFormSchema,
    ImportPreviewSchema,
    LearnerQuerySchema,
    LearnerSchema,
    ProgrammeChangeSchema,
    ProgrammeCreateSchema,
    ProgrammeQuerySchema,
    ProgrammeSchema,
)

blp = Blueprint("api_learners", __name__, description="Programmes, learners and enrolments")


@blp.get("/funding-sources")
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_schema(FundingSourceSchema))
def list_funding_sources(args: dict[str, Any]) -> dict[str, Any]:
    """The funding sources programmes can count for."""
    return paginate(select_visible(FundingSource).order_by(FundingSource.name), args)


@blp.post("/funding-sources")
@blp.arguments(FundingSourceSchema)
@blp.response(201, FundingSourceSchema)
def create_funding_source(data: dict[str, Any]) -> FundingSource:
    """Add a funding source (programme managers)."""
    return programme_services.add_funding_source(current_principal(), data["name"])


# --- programmes -----------------------------------------------------------------------------


@blp.get("/programmes")
@blp.arguments(PageArgs, location="query")
@blp.arguments(ProgrammeQuerySchema, location="query", as_kwargs=True)
@blp.response(200, page_schema(ProgrammeSchema))
def list_programmes(args: dict[str, Any], **filters: Any) -> dict[str, Any]:
    """Programmes the caller may see, optionally of one hub, category or state."""
    stmt = (
        select_visible(Programme)
        .options(selectinload(Programme.funding_sources))
        .order_by(Programme.hub_id, Programme.name)
    )
    if "hub_id" in filters:
        stmt = stmt.where(Programme.hub_id == filters["hub_id"])
    if "category" in filters:
        category: LearnerCategory = filters["category"]
        stmt = stmt.where(getattr(Programme, f"serves_{category.value}").is_(True))
    if "active" in filters:
        stmt = stmt.where(Programme.active.is_(filters["active"]))
    return paginate(stmt, args)


@blp.post("/programmes")
@blp.arguments(ProgrammeCreateSchema)
@blp.response(201, ProgrammeSchema)
def create_programme(data: dict[str, Any]) -> Programme:
    """Add a programme to a hub (its coordinators, programme managers)."""
    hub_id = data.pop("hub_id")
    return programme_services.create_programme(current_principal(), hub_id, _programme_input(data))


@blp.get("/programmes/<int:programme_id>")
@blp.response(200, ProgrammeSchema)
def get_programme(programme_id: int) -> Programme:
    """One programme."""
    return get_or_404(Programme, programme_id)


@blp.patch("/programmes/<int:programme_id>")
@blp.arguments(ProgrammeChangeSchema)
@blp.response(200, ProgrammeSchema)
def update_programme(data: dict[str, Any], programme_id: int) -> Programme:
    """Change a programme."""
    get_or_404(Programme, programme_id)
    return programme_services.update_programme(
        current_principal(), programme_id, _programme_input(data)
    )


def _programme_input(data: dict[str, Any]) -> programme_services.ProgrammeInput:
    return programme_services.ProgrammeInput(**data, given=set(data))


# --- learners -------------------------------------------------------------------------------


@blp.get("/learners")
@blp.arguments(PageArgs, location="query")
@blp.arguments(LearnerQuerySchema, location="query", as_kwargs=True)
@blp.response(200, page_schema(LearnerSchema))
def list_learners(args: dict[str, Any], **filters: Any) -> dict[str, Any]:
    """Learners the caller may see (HR: their company's employees)."""
    stmt = select_visible(Learner).order_by(Learner.organisation_id, Learner.reference)
    if "organisation_id" in filters:
        stmt = stmt.where(Learner.organisation_id == filters["organisation_id"])
    if "category" in filters:
        stmt = stmt.where(Learner.category == filters["category"])
    return paginate(stmt, args)


@blp.get("/learners/<int:learner_id>")
@blp.response(200, LearnerSchema)
def get_learner(learner_id: int) -> Learner:
    """One learner."""
    return get_or_404(Learner, learner_id)


# --- enrolments -----------------------------------------------------------------------------


@blp.get("/enrolments")
@blp.arguments(PageArgs, location="query")
@blp.arguments(EnrolmentQuerySchema, location="query", as_kwargs=True)
@blp.response(200, page_schema(EnrolmentSchema))
def list_enrolments(args: dict[str, Any], **filters: Any) -> dict[str, Any]:
    """Enrolments the caller may see, filtered by programme, hub, year, category, level …"""
    stmt = (
        select_visible(Enrolment)
        .join(Programme, Programme.id == Enrolment.programme_id)
        .options(selectinload(Enrolment.learner), selectinload(Enrolment.programme))
        .order_by(Enrolment.school_year.desc(), Enrolment.id)
    )
    if "hub_id" in filters:
        stmt = stmt.where(Programme.hub_id == filters.pop("hub_id"))
    for name, value in filters.items():
        stmt = stmt.where(getattr(Enrolment, name) == value)
    return paginate(stmt, args)


@blp.post("/enrolments")
@blp.arguments(EnrolmentCreateSchema)
@blp.response(201, EnrolmentSchema)
def create_enrolment(data: dict[str, Any]) -> Enrolment:
    """Enrol a group (``kind: group``) or a learner (``kind: individual``)."""
    kind = data.pop("kind")
    programme_id = data.pop("programme_id")
    learner = data.pop("learner", None)
    enrolment = services.EnrolmentInput(**data)
    if learner is not None:
        enrolment.learner = services.LearnerInput(**learner)
    p = current_principal()
    if kind == EnrolmentKind.GROUP:
        return services.enrol_group(p, programme_id, enrolment)
    return services.enrol_individual(p, programme_id, enrolment)


@blp.get("/enrolments/<int:enrolment_id>")
@blp.response(200, EnrolmentSchema)
def get_enrolment(enrolment_id: int) -> Enrolment:
    """One enrolment."""
    return get_or_404(Enrolment, enrolment_id)


@blp.patch("/enrolments/<int:enrolment_id>")
@blp.arguments(EnrolmentPatchSchema)
@blp.response(200, EnrolmentSchema)
def update_enrolment(data: dict[str, Any], enrolment_id: int) -> Enrolment:
    """Change status, dates, headcount, level or note."""
    get_or_404(Enrolment, enrolment_id)
    changes = services.EnrolmentChanges(**data)
    return services.update_enrolment(current_principal(), enrolment_id, changes)


# --- imports --------------------------------------------------------------------------------


@blp.post("/enrolments/imports")
@blp.arguments(ImportFormSchema, location="form")
@blp.arguments(ImportFileSchema, location="files")
@blp.response(200, ImportPreviewSchema)
@blp.alt_response(201, schema=ImportPreviewSchema, description="imported")
@blp.alt_response(422, schema=ImportPreviewSchema, description="problems; nothing written")
def import_enrolments(form: dict[str, Any], files: dict[str, Any]) -> Any:
    """Import a group list or an individual list (CSV or XLSX); a dry run by default.

    The answer lists every problem as ``{"row", "column", "value", "message"}``; with any
    problem nothing is written (422). ``dry_run=false`` commits all rows or none (201).
    """
    data = read_upload(files["file"])
    try:
        table = read_table(
            data, files["file"].filename or "", current_app.config["IMPORT_MAX_ROWS"]
        )
    except TooLarge as exc:
        abort(413, description=str(exc.message))
    except TableError as exc:
        return _problems_only(exc.message)
    import_request = ImportRequest(
        programme_id=form["programme_id"],
        organisation_id=form.get("organisation_id"),
        kind=form["kind"],
        school_year=form.get("school_year") or current_school_year(),
    )
    result = run_import(current_principal(), import_request, table, commit=not form["dry_run"])
    return _answer(result, form["dry_run"])


def read_upload(storage: Any) -> bytes:
    """The uploaded bytes, or 413 when larger than the import limit."""
    limit = current_app.config["IMPORT_MAX_BYTES"]
    data: bytes = storage.read(limit + 1)
    if len(data) > limit:
        abort(413, description=f"An import file may be at most {limit // 1024} KB.")
    if not data:
        raise InvalidInput(_l("The file is empty."), field="file")
    return data


def preview(result: ImportResult, dry_run: bool) -> dict[str, Any]:
    return {
        "dry_run": dry_run,
        **result.summary(),
        "actions": result.plans,
        "ignored_columns": result.ignored_columns,
        "notices": [str(n) for n in result.notices],
        "errors": [p.as_dict() for p in result.problems],
    }


def _answer(result: ImportResult, dry_run: bool) -> Any:
    if not result.ok:
        body = ImportPreviewSchema().dump(preview(result, dry_run))
        response = jsonify(
            {
                "status": 422,
                "error": "unprocessable_entity",
                "message": "The file has problems; nothing was written.",
                **body,
            }
        )
        response.status_code = 422
        return response
    return preview(result, dry_run), (200 if dry_run else 201)


def _problems_only(message: Any) -> Response:
    response = jsonify(
        {
            "status": 422,
            "error": "unprocessable_entity",
            "message": str(message),
            "errors": [{"row": None, "column": None, "value": "", "message": str(message)}],
        }
    )
    response.status_code = 422
    return response
