"""Pages: snapshots (list, freeze, view, download, share, changes) and targets."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response as WerkzeugResponse

from hubs import nav
from hubs.access import current_principal, get_or_404, require, select_visible
from hubs.booking.models import Booking
from hubs.errors import DomainError
from hubs.exports.responses import XLSX_MIMETYPE, attachment
from hubs.extensions import db
from hubs.forms import options
from hubs.funders import policies, snapshots, targets
from hubs.funders import surveys as survey_services
from hubs.funders.forms import SnapshotForm, SurveyForm, TargetForm
from hubs.funders.models import Indicator, Snapshot, Survey, Target
from hubs.funders.report_targets import hidden_for
from hubs.funders.reporting import funder_report_scope
from hubs.learners.models import FundingSource, Programme
from hubs.reports.scope import can_read_reports
from hubs.web import apply_domain_error, form_page, page_args

bp = Blueprint("funders", __name__, template_folder="templates", url_prefix="/funders")

nav.register(
    _l("Snapshots"),
    "funders.snapshot_list",
    lambda p: policies.can_make_snapshots(p) or (p.is_funder and can_read_reports(p)),
    order=61,
)

nav.register(
    _l("Targets"),
    "funders.target_list",
    lambda p: p.is_staff or (p.is_funder and can_read_reports(p)),
    order=62,
)

nav.register(_l("Satisfaction"), "funders.survey_answers", lambda p: p.is_staff, order=63)

MIMETYPES = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX_MIMETYPE, "pdf": "application/pdf"}


@bp.get("/snapshots")
@login_required
def snapshot_list() -> str:
    """The snapshots the user may see, newest first."""
    p = current_principal()
    require(policies.can_make_snapshots(p) or p.is_funder)
    page, per_page = page_args()
    stmt = (
        select_visible(Snapshot)
        .options(selectinload(Snapshot.recipients))
        .order_by(Snapshot.created_at.desc(), Snapshot.id.desc())
    )
    found = db.paginate(stmt, page=page, per_page=per_page, error_out=False)
    return render_template(
        "funders/snapshot_list.html",
        snapshots=found,
        can_make=policies.can_make_snapshots(p),
    )


def _sources() -> list[FundingSource]:
    return list(db.session.scalars(select(FundingSource).order_by(FundingSource.name)))


@bp.route("/snapshots/new", methods=["GET", "POST"])
@login_required
def snapshot_new() -> tuple[str, int] | WerkzeugResponse:
    """Freeze a report for a period and its recipients."""
    require(policies.can_make_snapshots(current_principal()))
    form = SnapshotForm()
    form.sources.choices = [(s.id, s.name) for s in _sources()]
    if form.validate_on_submit():
        data = snapshots.SnapshotInput(
            title=form.title.data or "",
            report="growth",
            query=snapshots.clean_query(
                {
                    "from": form.from_year.data,
                    "to": form.to_year.data,
                    "basis": form.basis.data,
                    "count": form.count.data,
                }
            ),
            source_ids=frozenset(form.sources.data or ()),
            all_programmes=bool(form.all_programmes.data),
        )
        try:
            snapshot = snapshots.freeze(data, current_user.id)
        except DomainError as error:
            _field_error(form, error)
        else:
            flash(_("The snapshot is frozen. Share it when it is ready."), "success")
            return redirect(url_for("funders.snapshot_detail", snapshot_id=snapshot.id))
    return form_page("funders/snapshot_form.html", form)


def _field_error(form: SnapshotForm, error: DomainError) -> None:
    fields = getattr(error, "fields", {}) or {}
    renames = {"from": "from_year", "to": "to_year"}
    if any(k in renames for k in fields):
        for key, messages in fields.items():
            target = getattr(form, renames.get(key, key), None)
            if target is not None:
                target.errors = [*target.errors, *messages]
        return
    apply_domain_error(form, error)


@bp.get("/snapshots/<int:snapshot_id>")
@login_required
def snapshot_detail(snapshot_id: int) -> str:
    """The frozen report, as it was when it was made."""
    snapshot = get_or_404(Snapshot, snapshot_id)
    document = snapshots.document_from_json(snapshot.document)
    return render_template(
        "funders/snapshot_detail.html",
        snapshot=snapshot,
        document=document,
        can_share=policies.can_make_snapshots(current_principal()),
    )


@bp.get("/snapshots/<int:snapshot_id>.<any(csv, xlsx, pdf):fmt>")
@login_required
def snapshot_download(snapshot_id: int, fmt: str) -> Response:
    """A stored file of the snapshot, byte for byte as it was generated."""
    snapshot = get_or_404(Snapshot, snapshot_id)
    column = {"csv": "csv_file", "xlsx": "xlsx_file", "pdf": "pdf_file"}[fmt]
    data = db.session.scalar(select(getattr(Snapshot, column)).where(Snapshot.id == snapshot.id))
    filename = f"{snapshot.document['filename']}-snapshot-{snapshot.id}.{fmt}"
    snapshots.record_download(snapshot, fmt, current_user.id)
    return Response(data, content_type=MIMETYPES[fmt], headers=attachment(filename))


@bp.post("/snapshots/<int:snapshot_id>/share")
@login_required
def snapshot_share(snapshot_id: int) -> WerkzeugResponse:
    """Share with the funders it concerns (idempotent)."""
    snapshot = get_or_404(Snapshot, snapshot_id)
    require(policies.can_make_snapshots(current_principal()))
    snapshots.share(snapshot, current_user.id)
    flash(_("The snapshot is shared with the funders it concerns."), "success")
    return redirect(url_for("funders.snapshot_detail", snapshot_id=snapshot.id))


@bp.get("/snapshots/<int:snapshot_id>/changes")
@login_required
def snapshot_changes(snapshot_id: int) -> str:
    """What changed since the snapshot, per row: old → new."""
    snapshot = get_or_404(Snapshot, snapshot_id)
    return render_template(
        "funders/snapshot_changes.html",
        snapshot=snapshot,
        changes=snapshots.changes(snapshot),
    )


# --- targets ------------------------------------------------------------------------------


def _target_form() -> TargetForm:
    form = TargetForm()
    programmes = db.session.scalars(
        select(Programme).options(selectinload(Programme.hub)).order_by(Programme.name)
    )
    form.programme_id.choices = options([(p.id, f"{p.name} ({p.hub.name})") for p in programmes])
    form.indicator.choices = options([(i.value, i.label) for i in Indicator])
    return form


@bp.route("/targets", methods=["GET", "POST"])
@login_required
def target_list() -> tuple[str, int] | WerkzeugResponse:
    """Targets with the actual numbers; programme managers set them here."""
    p = current_principal()
    require(p.is_staff or p.is_funder)
    form = _target_form() if policies.can_set_targets(p) else None
    if form is not None and form.validate_on_submit():
        try:
            targets.set_target(
                p,
                form.programme_id.data,
                form.year.data or 0,
                Indicator(form.indicator.data),
                form.value.data or 0,
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash(_("The target is saved."), "success")
            return redirect(url_for("funders.target_list"))
    page, per_page = page_args()
    stmt = (
        select_visible(Target)
        .join(Programme, Programme.id == Target.programme_id)
        .options(selectinload(Target.programme).selectinload(Programme.hub))
        .order_by(Target.year.desc(), Programme.name, Target.indicator)
    )
    found = db.paginate(stmt, page=page, per_page=per_page, error_out=False)
    funder = funder_report_scope(p)
    hidden = hidden_for(funder, {t.year for t in found.items}) if funder else None
    rows = targets.progress(
        found.items, suppress_for_funders=funder is not None, hidden_programmes=hidden
    )
    status = 422 if form is not None and form.is_submitted() and form.errors else 200
    return render_template("funders/target_list.html", targets=found, rows=rows, form=form), status


# --- satisfaction surveys -------------------------------------------------------------------


@bp.route("/survey/<token>", methods=["GET", "POST"])
def survey(token: str) -> tuple[str, int] | WerkzeugResponse:
    """The one-question survey behind a mailed link: no login, answered once."""
    if survey_services.find_open(token) is None:
        return render_template("funders/survey_gone.html"), 410
    form = SurveyForm()
    if form.validate_on_submit():
        data = survey_services.Answer(int(form.score.data or 0), form.comment.data or "")
        try:
            survey_services.answer(token, data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            return render_template("funders/survey_thanks.html"), 200
    return form_page("funders/survey_form.html", form)


@bp.get("/surveys")
@login_required
def survey_answers() -> str:
    """Answers at the hubs the user runs: per programme and hub, and the latest comments."""
    p = current_principal()
    require(p.is_staff)
    page, per_page = page_args()
    stmt = (
        select_visible(Survey)
        .where(Survey.answered_at.is_not(None))
        .options(
            selectinload(Survey.programme),
            selectinload(Survey.booking).selectinload(Booking.programme),
        )
        .order_by(Survey.answered_at.desc())
    )
    answers = db.paginate(stmt, page=page, per_page=per_page, error_out=False)
    return render_template(
        "funders/survey_answers.html",
        answers=answers,
        summary=survey_services.summary(p),
    )
