"""Pages: programmes with their counts per school year, enrolments, learners, privacy requests.

The import pages are in :mod:`hubs.learners.import_views` (same blueprint).
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from hubs import nav
from hubs.access import Principal, current_principal, get_or_404, require, select_visible
from hubs.errors import DomainError
from hubs.extensions import db
from hubs.learners import counting, policies, services
from hubs.learners import programmes as programme_services
from hubs.learners.counting import Filters, Period, current_school_year, school_year_label
from hubs.learners.forms import (
    ConfirmForm,
    EnrolmentForm,
    EraseForm,
    FundingSourceForm,
    ProgrammeForm,
    options,
)
from hubs.learners.models import (
    Enrolment,
    EnrolmentKind,
    EnrolmentStatus,
    FundingSource,
    Learner,
    LearnerCategory,
    Level,
    Programme,
)
from hubs.learners.privacy import erase_learner, export_learner
from hubs.locations.models import Hub
from hubs.organisations.models import Organisation
from hubs.web import apply_domain_error, page_args

bp = Blueprint("learners", __name__, template_folder="templates", url_prefix="/learners")

nav.register(
    _l("Learners"),
    "learners.programme_list",
    lambda p: p.is_staff or p.is_booker,
    order=40,
)

FIRST_YEAR = 2020


def year_choices() -> list[tuple[int, str]]:
    last = current_school_year() + 1
    return [(y, school_year_label(y)) for y in range(last, FIRST_YEAR - 1, -1)]


def _int_arg(name: str) -> int | None:
    try:
        return int(request.args[name])
    except (KeyError, ValueError):
        return None


def choice(enum: type[StrEnum], value: str | None) -> str | None:
    """``value`` if it is one of the enum's values, else None (junk in a query string)."""
    return value if value in {m.value for m in enum} else None


def _year_arg() -> int:
    year = _int_arg("year")
    valid = {y for y, _ in year_choices()}
    return year if year in valid else current_school_year()


def _count_filters(p: Principal) -> Filters:
    """Bookers see the numbers of their own organisations only."""
    if p.is_manager:
        return Filters()
    if p.is_coordinator:
        return Filters(hub_ids=p.coordinator_hub_ids)
    return Filters(organisation_ids=p.booker_org_ids)


# --- programmes -----------------------------------------------------------------------------


@bp.get("")
@login_required
def programme_list() -> str:
    """Programmes with participants and enrolments in one school year."""
    p = current_principal()
    require(p.is_staff or p.is_booker)
    year = _year_arg()
    page, per_page = page_args()
    stmt = select_visible(Programme).options(selectinload(Programme.hub))
    hub_id = _int_arg("hub_id")
    if hub_id is not None:
        stmt = stmt.where(Programme.hub_id == hub_id)
    programmes = db.paginate(
        stmt.order_by(Programme.hub_id, Programme.name),
        page=page,
        per_page=per_page,
        error_out=False,
    )
    ids = [programme.id for programme in programmes.items]
    base = _count_filters(p)
    filters = Filters(
        hub_ids=base.hub_ids, organisation_ids=base.organisation_ids, programme_ids=ids
    )
    counts = {
        c.programme_id: c for c in counting.count(Period.school_year(year), ("programme",), filters)
    }
    hubs = db.session.scalars(select_visible(Hub).order_by(Hub.name)).all()
    return render_template(
        "learners/programme_list.html",
        programmes=programmes,
        counts=counts,
        year=year,
        year_label=school_year_label(year),
        years=year_choices(),
        hubs=hubs,
        hub_id=hub_id,
        own_numbers_only=not p.is_staff,
        can_add=p.is_manager or p.is_coordinator,
        can_import=p.is_staff or p.is_booker,
        is_manager=p.is_manager,
    )


def _programme_form(p: Principal, programme: Programme | None = None) -> ProgrammeForm:
    form = ProgrammeForm(obj=programme) if programme else ProgrammeForm()
    hubs = db.session.scalars(select(Hub).order_by(Hub.name)).all()
    form.hub_id.choices = options((h.id, h.name) for h in hubs if p.coordinates(h.id))
    sources = db.session.scalars(select(FundingSource).order_by(FundingSource.name)).all()
    form.funding_source_ids.choices = options((s.id, s.name) for s in sources)
    if programme is not None and request.method == "GET":
        form.categories.data = [c.value for c in programme.categories]
        form.funding_source_ids.data = [s.id for s in programme.funding_sources]
    return form


def _programme_input(form: ProgrammeForm) -> programme_services.ProgrammeInput:
    return programme_services.ProgrammeInput(
        name=form.name.data,
        description=form.description.data or "",
        categories=list(form.categories.data or []),
        crebo=form.crebo.data or "",
        funding_source_ids=list(form.funding_source_ids.data or []),
        records_pupil_names=bool(form.records_pupil_names.data),
        active=bool(form.active.data),
        given={"crebo"},
    )


@bp.route("/programmes/new", methods=["GET", "POST"])
@login_required
def programme_new() -> Any:
    p = current_principal()
    require(p.is_manager or p.is_coordinator)
    form = _programme_form(p)
    if form.validate_on_submit():
        try:
            programme = programme_services.create_programme(
                p, form.hub_id.data, _programme_input(form)
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash(_l("The programme has been added."), "success")
            return redirect(url_for(".programme_detail", programme_id=programme.id))
    return render_template("learners/programme_form.html", form=form, programme=None)


@bp.get("/programmes/<int:programme_id>")
@login_required
def programme_detail(programme_id: int) -> str:
    """A programme and its numbers per school year."""
    p = current_principal()
    programme = get_or_404(Programme, programme_id)
    base = _count_filters(p)
    filters = Filters(programme_ids=[programme.id], organisation_ids=base.organisation_ids)
    history = []
    for year in range(current_school_year(), FIRST_YEAR - 1, -1):
        history.append((year, counting.total(Period.school_year(year), filters)))
    return render_template(
        "learners/programme_detail.html",
        programme=programme,
        history=history,
        can_edit=policies.can_manage_programme(p, programme.hub_id),
        own_numbers_only=not p.is_staff,
    )


@bp.route("/programmes/<int:programme_id>/edit", methods=["GET", "POST"])
@login_required
def programme_edit(programme_id: int) -> Any:
    p = current_principal()
    programme = get_or_404(Programme, programme_id)
    require(policies.can_manage_programme(p, programme.hub_id))
    form = _programme_form(p, programme)
    form.hub_id.choices = options([(programme.hub_id, programme.hub.name)])
    form.hub_id.data = programme.hub_id
    if form.validate_on_submit():
        try:
            programme_services.update_programme(p, programme.id, _programme_input(form))
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash(_l("The programme has been saved."), "success")
            return redirect(url_for(".programme_detail", programme_id=programme.id))
    return render_template("learners/programme_form.html", form=form, programme=programme)


@bp.route("/funding-sources", methods=["GET", "POST"])
@login_required
def funding_sources() -> Any:
    p = current_principal()
    require(p.is_manager)
    form = FundingSourceForm()
    if form.validate_on_submit():
        try:
            programme_services.add_funding_source(p, form.name.data or "")
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash(_l("The funding source has been added."), "success")
            return redirect(url_for(".funding_sources"))
    sources = db.session.scalars(select(FundingSource).order_by(FundingSource.name).limit(200))
    return render_template("learners/funding_sources.html", form=form, sources=list(sources))


# --- enrolments -----------------------------------------------------------------------------


def _enrolment_filters() -> dict[str, Any]:
    args = request.args
    return {
        "year": _year_arg(),
        "programme_id": _int_arg("programme_id"),
        "category": choice(LearnerCategory, args.get("category")),
        "level": choice(Level, args.get("level")),
        "kind": choice(EnrolmentKind, args.get("kind")),
    }


@bp.get("/enrolments")
@login_required
def enrolment_list() -> str:
    """Enrolments per school year, filtered by programme, category, level, kind."""
    p = current_principal()
    require(p.is_staff or p.is_booker)
    f = _enrolment_filters()
    stmt = (
        select_visible(Enrolment)
        .where(Enrolment.school_year == f["year"])
        .options(
            selectinload(Enrolment.learner),
            selectinload(Enrolment.organisation),
            selectinload(Enrolment.programme).selectinload(Programme.hub),
        )
    )
    for key in ("programme_id", "category", "level", "kind"):
        if f[key] is not None:
            stmt = stmt.where(getattr(Enrolment, key) == f[key])
    page, per_page = page_args()
    enrolments = db.paginate(
        stmt.order_by(Enrolment.programme_id, Enrolment.organisation_id, Enrolment.id),
        page=page,
        per_page=per_page,
        error_out=False,
    )
    programmes = db.session.scalars(
        select_visible(Programme).order_by(Programme.name).limit(200)
    ).all()
    return render_template(
        "learners/enrolment_list.html",
        enrolments=enrolments,
        f=f,
        years=year_choices(),
        programmes=programmes,
        categories=list(LearnerCategory),
        levels=list(Level),
        kinds=list(EnrolmentKind),
    )


@bp.route("/enrolments/<int:enrolment_id>", methods=["GET", "POST"])
@login_required
def enrolment_detail(enrolment_id: int) -> Any:
    """One enrolment; its organisation's bookers and the hub's staff can change it."""
    p = current_principal()
    enrolment = get_or_404(Enrolment, enrolment_id)
    can_change = policies.can_change_enrolment(p, enrolment)
    form = EnrolmentForm(obj=enrolment)
    if request.method == "POST":
        require(can_change)
        if form.validate_on_submit():
            changes = services.EnrolmentChanges(
                status=EnrolmentStatus(form.status.data),
                starts_on=form.starts_on.data,
                ends_on=form.ends_on.data,
                headcount=form.headcount.data if enrolment.is_group else None,
                note=form.note.data or "",
            )
            try:
                services.update_enrolment(p, enrolment.id, changes)
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                flash(_l("The enrolment has been saved."), "success")
                return redirect(url_for(".enrolment_detail", enrolment_id=enrolment.id))
    return render_template(
        "learners/enrolment_detail.html", enrolment=enrolment, form=form, can_change=can_change
    )


# --- learners (people) ----------------------------------------------------------------------


@bp.get("/people")
@login_required
def learner_list() -> str:
    """Learners the user may see; for company HR: their employees."""
    p = current_principal()
    require(p.is_staff or p.is_booker)
    category = choice(LearnerCategory, request.args.get("category"))
    stmt = select_visible(Learner).options(selectinload(Learner.organisation))
    if category is not None:
        stmt = stmt.where(Learner.category == category)
    page, per_page = page_args()
    learners = db.paginate(
        stmt.order_by(Learner.organisation_id, Learner.family_name, Learner.reference),
        page=page,
        per_page=per_page,
        error_out=False,
    )
    return render_template(
        "learners/learner_list.html",
        learners=learners,
        category=category,
        categories=list(LearnerCategory),
    )


@bp.get("/people/<int:learner_id>")
@login_required
def learner_detail(learner_id: int) -> str:
    p = current_principal()
    learner = get_or_404(Learner, learner_id)
    enrolments = db.session.scalars(
        select_visible(Enrolment)
        .where(Enrolment.learner_id == learner.id)
        .options(selectinload(Enrolment.programme).selectinload(Programme.hub))
        .order_by(Enrolment.starts_on.desc())
        .limit(100)
    ).all()
    return render_template(
        "learners/learner_detail.html",
        learner=learner,
        enrolments=enrolments,
        can_handle_privacy=policies.can_handle_privacy_request(p, learner),
        export_form=ConfirmForm(),
        erase_form=EraseForm(),
    )


@bp.post("/people/<int:learner_id>/export")
@login_required
def learner_export(learner_id: int) -> Response:
    """Everything held on the learner as a JSON download (right of access)."""
    p = current_principal()
    learner = get_or_404(Learner, learner_id)
    require(policies.can_handle_privacy_request(p, learner))
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for(".learner_detail", learner_id=learner.id))  # type: ignore[return-value]
    data = export_learner(p, learner.id)
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="learner-{learner.id}.json"'},
    )


@bp.post("/people/<int:learner_id>/erase")
@login_required
def learner_erase(learner_id: int) -> Any:
    """Erase the learner's personal data on request; counts stay the same."""
    p = current_principal()
    learner = get_or_404(Learner, learner_id)
    require(policies.can_handle_privacy_request(p, learner))
    form = EraseForm()
    if form.validate_on_submit():
        try:
            erase_learner(p, learner.id)
        except DomainError as error:
            flash(str(error.message), "error")
        else:
            flash(_l("The learner's personal data has been erased."), "success")
        return redirect(url_for(".learner_detail", learner_id=learner.id))
    enrolments: list[Enrolment] = []
    return render_template(
        "learners/learner_detail.html",
        learner=learner,
        enrolments=enrolments,
        can_handle_privacy=True,
        export_form=ConfirmForm(),
        erase_form=form,
    )


def organisations_for_import(p: Principal, hub_id: int | None = None) -> list[Organisation]:
    """Organisations the user may import for."""
    stmt = select_visible(Organisation, p).order_by(Organisation.name).limit(500)
    orgs = db.session.scalars(stmt).all()
    return [o for o in orgs if p.books_for(o.id) or p.is_staff]


from hubs.learners import import_views  # noqa: E402,F401  (routes on this blueprint)
