"""Report pages (filters, charts, tables, definitions; printable) and their downloads."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from hubs import nav
from hubs.access import current_principal, require, select_visible
from hubs.errors import InvalidInput
from hubs.exports.responses import XLSX_MIMETYPE, attachment, pdf_response
from hubs.exports.tabular import stream_file
from hubs.extensions import db
from hubs.learners.models import Programme
from hubs.locations.models import Hub
from hubs.reports import render, services
from hubs.reports.catalog import FORMATS, KINDS, Built
from hubs.reports.options import ReportOptions, parse_options
from hubs.reports.scope import ReportScope, can_read_reports, scope_for

bp = Blueprint("reports", __name__, template_folder="templates", url_prefix="/reports")

nav.register(_l("Reports"), "reports.index", can_read_reports, order=60)


def _scope(report: str | None = None) -> ReportScope:
    p = current_principal()
    require(can_read_reports(p))
    scope = scope_for(p)
    require(scope.allows(report))
    return scope


@bp.get("")
@login_required
def index() -> str:
    """The reports a coordinator or programme manager can open."""
    scope = _scope()
    kinds = [kind for kind in KINDS.values() if scope.allows(kind.name)]
    return render_template("reports/index.html", kinds=kinds)


def _filter_choices(scope: ReportScope) -> dict[str, Any]:
    hubs = select(Hub).order_by(Hub.name)
    programmes = (
        select_visible(Programme)
        .options(selectinload(Programme.hub))
        .order_by(Programme.hub_id, Programme.name)
    )
    if scope.hub_ids is not None:
        hubs = hubs.where(Hub.id.in_(scope.hub_ids))
        programmes = programmes.where(Programme.hub_id.in_(scope.hub_ids))
    return {
        "hubs": db.session.scalars(hubs).all(),
        "programmes": db.session.scalars(programmes.limit(500)).all(),
    }


def _page(name: str) -> tuple[str, int]:
    scope = _scope(name)
    kind = KINDS[name]
    built: Built | None = None
    errors: dict[str, list[Any]] = {}
    options: ReportOptions | None = None
    try:
        options = parse_options(request.args)
    except InvalidInput as error:
        errors = error.fields
    else:
        built = kind.build(options, scope, services.today())
    return render_template(
        "reports/growth.html" if kind.learner_options else "reports/report.html",
        kind=kind,
        built=built,
        options=options,
        errors=errors,
        args=request.args,
        formats=FORMATS,
        scope=scope,
        **_filter_choices(scope),
    ), (422 if errors else 200)


@bp.get("/growth")
@login_required
def growth() -> tuple[str, int]:
    """Growth per hub, programme and category; totals; trend."""
    return _page("growth")


@bp.get("/use")
@login_required
def use() -> tuple[str, int]:
    """Booked and realised hours against opening hours; no-shows; machines ranked."""
    return _page("use")


@bp.get("/companies")
@login_required
def companies() -> tuple[str, int]:
    """Employees trained, course hours and licences per company."""
    return _page("companies")


@bp.get("/<any(growth, use, companies):report>.<any(csv, xlsx, pdf):fmt>")
@login_required
def download(report: str, fmt: str) -> Response:
    """A report as CSV, XLSX or PDF, with the same options as its page."""
    scope = _scope(report)
    try:
        options = parse_options(request.args)
    except InvalidInput:
        # Show the report's page with the message at the field at fault.
        page, status = _page(report)
        return Response(page, status=status)
    built = KINDS[report].build(options, scope, services.today())
    services.record_export(report, fmt, options, current_user.id)
    return respond(built, fmt)


def respond(built: Built, fmt: str) -> Response:
    """The document as a download: CSV and XLSX streamed, PDF in one piece."""
    document = built.document
    filename = f"{document.filename}.{fmt}"
    if fmt == "csv":
        # Rows are computed before the response starts (aggregates), so the generator needs
        # no request context: it only turns them into text, chunk by chunk.
        return Response(
            render.csv_chunks(document),
            content_type="text/csv; charset=utf-8",
            headers=attachment(filename),
        )
    if fmt == "xlsx":
        path = render.xlsx_path(document)
        return Response(stream_file(path), mimetype=XLSX_MIMETYPE, headers=attachment(filename))
    return pdf_response(filename, render.pdf_bytes(document, built.charts, services.today()))
