"""HR's overview of its staff on courses (exportable as evidence for subsidy claims) and
a PDF certificate per completed course."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from flask import abort, render_template
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response

from hubs.access import current_principal, get_or_404, require
from hubs.courses import queries
from hubs.courses.models import CourseEnrolment, EnrolmentStatus
from hubs.courses.views import bp
from hubs.db import local_today
from hubs.exports.pdf import render_pdf
from hubs.exports.responses import attachment, pdf_response, xlsx_response
from hubs.exports.tabular import Sheet, csv_stream
from hubs.extensions import db
from hubs.i18n import format_day
from hubs.licences.models import Licence
from hubs.web import page_args

EXPORT_LIMIT = 20000


@bp.get("/staff")
@login_required
def staff() -> str:
    """Per employee: courses, dates, hours attended, result; exports and certificates."""
    p = current_principal()
    require(p.is_booker)
    page_no, per_page = page_args()
    page = db.paginate(
        queries.overview_stmt(p, p.booker_org_ids), page=page_no, per_page=per_page, error_out=False
    )
    return render_template(
        "courses/staff.html",
        page=page,
        rows=queries.with_hours(page.items),
        licence_text=licence_text,
    )


def _header() -> list[str]:
    return [
        _("Employee"),
        _("Reference"),
        _("Organisation"),
        _("Course"),
        _("Hub"),
        _("First session"),
        _("Last session"),
        _("Course hours"),
        _("Hours attended"),
        _("Result"),
        _("Completed on"),
        _("Licence"),
    ]


def _rows(enrolments: list[CourseEnrolment]) -> Iterator[list[Any]]:
    for row in queries.with_hours(enrolments):
        e = row.enrolment
        sessions = e.course.sessions
        yield [
            e.learner.display_name,
            e.learner.reference,
            e.organisation.name,
            e.course.title,
            e.course.hub.name,
            sessions[0].starts_at.date() if sessions else None,
            sessions[-1].starts_at.date() if sessions else None,
            e.course.hours,
            row.hours_attended,
            e.status.label,
            e.completed_on,
            licence_text(row.licence),
        ]


def licence_text(licence: Licence | None) -> str:
    """The licence a course issued, as HR reads it: kind and validity, or revoked."""
    if licence is None:
        return ""
    kind = licence.kind.upper()
    if licence.revoked_at is not None:
        return _("%(kind)s (revoked)", kind=kind)
    if licence.expires_on is None:
        return kind
    return _("%(kind)s, valid until %(date)s", kind=kind, date=format_day(licence.expires_on))


@bp.get("/staff/export.<fmt>")
@login_required
def staff_export(fmt: str) -> Response:
    """The overview as CSV or XLSX (every row, bounded)."""
    p = current_principal()
    require(p.is_booker)
    if fmt not in ("csv", "xlsx"):
        abort(404)
    enrolments = list(
        db.session.scalars(queries.overview_stmt(p, p.booker_org_ids).limit(EXPORT_LIMIT))
    )
    stem = _("training-evidence")
    name = f"{stem}-{local_today().isoformat()}"
    rows = list(_rows(enrolments))
    if fmt == "csv":
        # Bounded, so built in one piece (a streamed body would outlive the request).
        body = "".join(csv_stream(_header(), rows, delimiter=";"))
        return Response(
            body, content_type="text/csv; charset=utf-8", headers=attachment(f"{name}.csv")
        )
    return xlsx_response(f"{name}.xlsx", [Sheet(_("Training evidence"), _header(), rows)])


@bp.get("/enrolments/<int:enrolment_id>/certificate.pdf")
@login_required
def certificate(enrolment_id: int) -> Response:
    """A certificate for a completed course (HR of the employee, the hub's staff)."""
    enrolment = get_or_404(CourseEnrolment, enrolment_id)
    if enrolment.status != EnrolmentStatus.COMPLETED:
        abort(404)
    row = queries.with_hours([enrolment])[0]
    pdf = render_pdf(
        "courses/certificate.html",
        enrolment=enrolment,
        course=enrolment.course,
        hours=row.hours_attended,
        generated_on=local_today(),
    )
    stem = _("certificate")
    return pdf_response(f"{stem}-{enrolment.id}.pdf", pdf)
