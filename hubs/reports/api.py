"""``/api/v1/reports/growth`` (and ``/use``, ``/companies``): the reports as JSON.

Same options and scope as the pages: coordinators get their hubs, programme managers
everything. Every call is logged as a data export.
"""

from __future__ import annotations

from typing import Any

from flask import abort, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from hubs.access import current_principal
from hubs.api.common import Blueprint
from hubs.reports import services
from hubs.reports.growth import growth_report
from hubs.reports.options import ReportOptions, parse_options
from hubs.reports.schemas import (
    CompaniesSchema,
    GrowthSchema,
    ReportQuerySchema,
    UsageSchema,
)
from hubs.reports.scope import ReportScope, can_read_reports, scope_for
from hubs.reports.training import CompanyTraining, training_report
from hubs.reports.training_document import training_definitions
from hubs.reports.usage import ResourceUse, Use, usage_report
from hubs.reports.usage_document import usage_definitions

blp = Blueprint("api_reports", __name__, description="Reports: growth, use of the hubs, training")


def _read(name: str, fmt: str = "json") -> tuple[ReportOptions, ReportScope]:
    p = current_principal()
    if not can_read_reports(p) or not scope_for(p).allows(name):
        abort(403)
    options = parse_options(request.args)
    services.record_export(name, fmt, options, current_user.id)
    return options, scope_for(p)


ROWS_DEFINITION = _l(
    "A row with a programme counts one hub, programme and category (and level, with "
    "by_level=1). A row without a programme is the total of its hub; the row without a hub "
    "is the total of all hubs in the report. Totals are counted, not added up."
)


@blp.get("/reports/growth")
@blp.arguments(ReportQuerySchema, location="query")
@blp.response(200, GrowthSchema)
def growth(_args: dict[str, Any]) -> dict[str, Any]:
    """Growth per hub × programme × category (× level) from one year to another, with totals."""
    options, scope = _read("growth")
    report = growth_report(options, scope)
    definitions = {d.code: d.text for d in report.definitions}
    definitions["rows"] = str(ROWS_DEFINITION)
    rows = [r.as_api() for r in (*report.rows, *report.hub_totals, report.total)]
    return {
        "basis": options.basis_code,
        "count": options.count.value,
        "definitions": definitions,
        "rows": rows,
    }


def _hours(use: Use, **names: Any) -> dict[str, Any]:
    return {
        **names,
        "available": use.available,
        "booked": use.booked,
        "booked_pct": use.booked_pct,
        "realised": use.realised,
        "realised_pct": use.realised_pct,
        "visits": use.visits,
        "participants": use.participants,
        "no_shows": use.no_shows,
    }


def _resource(r: ResourceUse) -> dict[str, Any]:
    return _hours(r.use, hub=r.hub, resource=r.resource, resource_kind=r.kind.value)


@blp.get("/reports/use")
@blp.arguments(ReportQuerySchema, location="query")
@blp.response(200, UsageSchema)
def use(_args: dict[str, Any]) -> dict[str, Any]:
    """Booked and realised hours against opening hours, per hub, resource, kind, month."""
    options, scope = _read("use")
    report = usage_report(options, scope)
    return {
        "basis": options.basis_code,
        "first_day": report.window.first,
        "last_day": report.window.last,
        "definitions": {d.code: d.text for d in usage_definitions(report)},
        "hubs": [
            *(_hours(u, hub=name) for name, u in report.hubs),
            _hours(report.total, hub=None),
        ],
        "resources": [_resource(r) for r in report.resources],
        "organisation_kinds": [_hours(u, organisation_kind=k.value) for k, u in report.kinds],
        "months": [_hours(u, month=f"{y:04d}-{m:02d}") for (y, m), u in report.months],
        "most_used": [_resource(r) for r in report.most_used],
        "least_used": [_resource(r) for r in report.least_used],
    }


def _company(row: CompanyTraining, name: str | None) -> dict[str, Any]:
    return {
        "company": name,
        "employees_trained": row.employees_trained,
        "course_hours": row.course_hours,
        "licences_issued": row.licences_issued,
    }


@blp.get("/reports/companies")
@blp.arguments(ReportQuerySchema, location="query")
@blp.response(200, CompaniesSchema)
def companies(_args: dict[str, Any]) -> dict[str, Any]:
    """Employees trained, course hours and licences issued per company, and in total."""
    options, scope = _read("companies")
    report = training_report(options, scope)
    rows = [_company(r, r.company) for r in report.rows]
    return {
        "basis": options.basis_code,
        "first_day": report.first,
        "last_day": report.last,
        "has_data": report.has_data,
        "definitions": {d.code: d.text for d in training_definitions(report)},
        "rows": [*rows, _company(report.total(), None)],
    }
