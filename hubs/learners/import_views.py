"""Import pages: upload, the dry run with every problem, confirm; template downloads.

The upload is parsed and kept (as text) until the user confirms or a day passes; the
preview is planned again from it on every view, so it always reflects the current data.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from hubs.access import current_principal, get_or_404, require, select_visible
from hubs.db import transactional
from hubs.errors import DomainError
from hubs.extensions import db
from hubs.learners.counting import current_school_year, school_year_label
from hubs.learners.forms import ConfirmForm, ImportForm, options
from hubs.learners.imports import ImportRequest, plan_import, run_import, template_rows
from hubs.learners.models import EnrolmentKind, ImportUpload, Programme
from hubs.learners.parsing import Table, TableError, read_table
from hubs.learners.views import bp, choice, organisations_for_import, year_choices
from hubs.web import apply_domain_error


def _import_form() -> ImportForm:
    p = current_principal()
    form = ImportForm()
    programmes = db.session.scalars(
        select_visible(Programme).where(Programme.active.is_(True)).order_by(Programme.name)
    ).all()
    form.programme_id.choices = options((pr.id, f"{pr.name} ({pr.hub.name})") for pr in programmes)
    form.organisation_id.choices = options((o.id, o.name) for o in organisations_for_import(p))
    form.school_year.choices = options(year_choices())
    if request.method == "GET":
        form.school_year.data = current_school_year()
        for name in ("programme_id", "organisation_id", "school_year"):
            value = request.args.get(name, "")
            if value.isdigit():
                getattr(form, name).data = int(value)
        form.kind.data = choice(EnrolmentKind, request.args.get("kind")) or form.kind.data
    return form


@bp.route("/imports/new", methods=["GET", "POST"])
@login_required
def import_new() -> Any:
    """Upload a group list or an individual list."""
    p = current_principal()
    require(p.is_staff or p.is_booker)
    form = _import_form()
    status = 200
    if form.validate_on_submit():
        upload, status = _store_upload(form)
        if upload is not None:
            return redirect(url_for(".import_preview", upload_id=upload.id))
    elif request.method == "POST":
        status = 422
    return render_template("learners/import_new.html", form=form), status


def _store_upload(form: ImportForm) -> tuple[ImportUpload | None, int]:
    p = current_principal()
    storage = form.file.data
    limit = current_app.config["IMPORT_MAX_BYTES"]
    data = storage.read(limit + 1)
    if len(data) > limit:
        form.file.errors = [str(_l("The file is larger than %(n)d KB.", n=limit // 1024))]
        return None, 413
    request_ = ImportRequest(
        form.programme_id.data,
        form.organisation_id.data,
        EnrolmentKind(form.kind.data),
        form.school_year.data,
    )
    try:
        table = read_table(data, storage.filename or "", current_app.config["IMPORT_MAX_ROWS"])
        plan_import(p, request_, table)  # checks the rights and parameters
        return _save(p.user_id, request_, storage.filename or "", table), 200
    except TableError as error:
        form.file.errors = [str(error.message)]
    except DomainError as error:
        apply_domain_error(form, error)
    return None, 422


@transactional
def _save(user_id: int | None, req: ImportRequest, filename: str, table: Table) -> ImportUpload:
    assert user_id is not None and req.organisation_id is not None
    upload = ImportUpload(
        user_id=user_id,
        programme_id=req.programme_id,
        organisation_id=req.organisation_id,
        kind=req.kind,
        school_year=req.school_year,
        filename=filename[:200],
        table_json=json.dumps(table.to_json(), ensure_ascii=False),
    )
    db.session.add(upload)
    db.session.flush()
    return upload


def _request_of(upload: ImportUpload) -> tuple[ImportRequest, Table]:
    req = ImportRequest(
        upload.programme_id, upload.organisation_id, upload.kind, upload.school_year
    )
    return req, Table.from_json(json.loads(upload.table_json))


@bp.route("/imports/<int:upload_id>", methods=["GET", "POST"])
@login_required
def import_preview(upload_id: int) -> Any:
    """The dry run: what would happen and every problem. POST imports it, all or nothing."""
    p = current_principal()
    upload = get_or_404(ImportUpload, upload_id)
    req, table = _request_of(upload)
    form = ConfirmForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            result = run_import(p, req, table, commit=True)
        except DomainError as error:
            flash(str(error.message), "error")
            return redirect(url_for(".import_preview", upload_id=upload.id))
        if result.ok:
            _forget(upload.id)
            flash(
                _l(
                    "Imported: %(created)d new, %(updated)d changed, %(unchanged)d unchanged.",
                    created=result.counted("create"),
                    updated=result.counted("update"),
                    unchanged=result.counted("unchanged"),
                ),
                "success",
            )
            return redirect(
                url_for(".enrolment_list", programme_id=req.programme_id, year=req.school_year)
            )
    else:
        result = plan_import(p, req, table)
    status = 200 if result.ok else 422 if request.method == "POST" else 200
    return render_template(
        "learners/import_preview.html",
        upload=upload,
        result=result,
        form=form,
        year_label=school_year_label(req.school_year),
    ), status


@transactional
def _forget(upload_id: int) -> None:
    upload = db.session.get(ImportUpload, upload_id)
    if upload is not None:
        db.session.delete(upload)


@bp.get("/imports/template/<kind>.<fmt>")
@login_required
def import_template(kind: str, fmt: str) -> Response:
    """The group or individual list template, as CSV (Dutch Excel: ``;``) or XLSX."""
    if choice(EnrolmentKind, kind) is None or fmt not in ("csv", "xlsx"):
        abort(404)
    header, rows = template_rows(EnrolmentKind(kind))
    name = {"group": "groepslijst", "individual": "deelnemerslijst"}[kind]
    if fmt == "csv":
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows([header, *rows])
        data = ("\ufeff" + buffer.getvalue()).encode("utf-8")
        mimetype = "text/csv; charset=utf-8"
    else:
        data = _xlsx([header, *rows])
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(
        data,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'},
    )


def _xlsx(rows: list[list[str]]) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    # Every cell is written as text: nothing a user typed becomes a formula or a number.
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False}
    )
    sheet = book.add_worksheet("Lijst")
    text = book.add_format({"num_format": "@"})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write_string(r, c, value, text)
    sheet.set_column(0, len(rows[0]) - 1, 16, text)
    book.close()
    return buffer.getvalue()
