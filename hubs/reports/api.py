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
from hubs.reports.schemas import GrowthSchema, ReportQuerySchema
from hubs.reports.scope import ReportScope, can_read_reports, scope_for

blp = Blueprint("api_reports", __name__, description="Reports: growth, use of the hubs, training")


def _read(name: str, fmt: str = "json") -> tuple[ReportOptions, ReportScope]:
    p = current_principal()
    if not can_read_reports(p):
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
