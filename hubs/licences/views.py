"""Licence pages: the list (searchable), issuing a licence to a learner, revoking it."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from hubs import nav
from hubs.access import current_principal, get_or_404, require, select_visible
from hubs.db import local_today
from hubs.errors import DomainError, InvalidInput
from hubs.extensions import db
from hubs.forms import ConfirmForm
from hubs.learners.models import Learner
from hubs.licences import services
from hubs.licences.forms import IssueForm
from hubs.licences.models import Licence
from hubs.licences.policies import can_issue, issuable_learners
from hubs.locations.models import Resource
from hubs.organisations.models import Organisation
from hubs.web import apply_domain_error, apply_listing, contains, form_page, listing, paginate

bp = Blueprint("licences", __name__, template_folder="templates")

nav.register(
    _l("Licences"),
    "licences.index",
    lambda p: p.is_staff or p.is_booker,
    order=45,
    section=("licences",),
)

SORTS = {
    "name": Learner.family_name,
    "kind": Licence.kind,
    "issued_on": Licence.issued_on,
    "expires_on": Licence.expires_on,
}
STATUSES = ("valid", "expiring", "expired", "revoked")
SEARCH_LIMIT = 20


def status_options() -> list[tuple[str, str]]:
    return [
        ("valid", _("valid today")),
        ("expiring", _("expiring within 30 days")),
        ("expired", _("expired")),
        ("revoked", _("revoked")),
    ]


def _status_filter(stmt: Any, status: str) -> Any:
    today = local_today()
    not_expired = or_(Licence.expires_on.is_(None), Licence.expires_on >= today)
    if status == "valid":
        return stmt.where(Licence.revoked_at.is_(None), Licence.issued_on <= today, not_expired)
    if status == "expiring":
        return stmt.where(
            Licence.id.in_(select(services.expiring_statement(today).subquery().c.id))
        )
    if status == "expired":
        return stmt.where(Licence.revoked_at.is_(None), Licence.expires_on < today)
    if status == "revoked":
        return stmt.where(Licence.revoked_at.is_not(None))
    return stmt


@bp.get("/licences")
@login_required
def index() -> str:
    """Machine licences the user may see, searchable by name, reference, type, organisation."""
    p = current_principal()
    require(p.is_staff or p.is_booker)
    args = listing(SORTS, "expires_on", filters=("status",))
    stmt = (
        select_visible(Licence)
        .join(Learner, Learner.id == Licence.learner_id)
        .join(Organisation, Organisation.id == Learner.organisation_id)
        .options(selectinload(Licence.learner).selectinload(Learner.organisation))
    )
    if args.filters["status"] in STATUSES:
        stmt = _status_filter(stmt, args.filters["status"])
    search = contains(
        Learner.given_name, Learner.family_name, Learner.reference, Licence.kind, Organisation.name
    )
    stmt = apply_listing(stmt, args, SORTS, search)
    return render_template(
        "licences/index.html",
        licences=paginate(stmt, args),
        listing=args,
        status_options=status_options(),
        may_issue=can_issue(p),
        today=local_today(),
    )


@bp.route("/licences/new", methods=["GET", "POST"])
@login_required
def new() -> Response | tuple[str, int] | str:
    """Issue a licence: find the learner, then the type and dates."""
    p = current_principal()
    require(can_issue(p))
    form = IssueForm()
    learner = _chosen_learner(form, p)
    if learner is None:
        return _search_page(p)
    if request.method == "GET":
        form.learner_id.data = str(learner.id)
        form.issued_on.data = local_today()
    if form.validate_on_submit():
        try:
            licence = services.issue_licence(
                learner_id=learner.id,
                kind=form.kind.data or "",
                issued_on=form.issued_on.data,
                expires_on=form.expires_on.data,
                source="coordinator",
                issued_by_id=p.user_id,
            )
        except InvalidInput as error:
            for name, messages in error.fields.items():
                for message in messages:
                    apply_domain_error(form, DomainError(message, field=name))
        else:
            flash(
                _(
                    "Licence %(kind)s issued to %(name)s.",
                    kind=licence.kind,
                    name=learner.display_name,
                ),
                "success",
            )
            return redirect(url_for("licences.index", q=learner.reference))
    return form_page("licences/new.html", form, learner=learner, kinds=_known_kinds())


def _chosen_learner(form: IssueForm, p: Any) -> Learner | None:
    raw = form.learner_id.data if request.method == "POST" else request.args.get("learner_id")
    try:
        learner_id = int(raw or "")
    except ValueError:
        return None
    return db.session.scalar(
        select(Learner).where(
            Learner.id == learner_id, issuable_learners(p), Learner.anonymised_at.is_(None)
        )
    )


def _search_page(p: Any) -> str:
    q = request.args.get("q", "").strip()[:100]
    found: list[Learner] = []
    if q:
        stmt = (
            select(Learner)
            .join(Organisation, Organisation.id == Learner.organisation_id)
            .where(
                issuable_learners(p),
                Learner.anonymised_at.is_(None),
                contains(
                    Learner.given_name, Learner.family_name, Learner.reference, Organisation.name
                )(q),
            )
            .options(selectinload(Learner.organisation))
            .order_by(Learner.family_name, Learner.reference, Learner.id)
            .limit(SEARCH_LIMIT)
        )
        found = list(db.session.scalars(stmt))
    return render_template("licences/choose.html", q=q, found=found, limit=SEARCH_LIMIT)


def _known_kinds() -> list[str]:
    """Licence types resources ask for, as suggestions."""
    stmt = (
        select(Resource.licence_type)
        .where(Resource.licence_type.is_not(None))
        .distinct()
        .order_by(Resource.licence_type)
        .limit(50)
    )
    return [k for k in db.session.scalars(stmt) if k]


@bp.post("/licences/<int:licence_id>/revoke")
@login_required
def revoke(licence_id: int) -> Response:
    """Withdraw a licence (a button that posts confirm=yes)."""
    p = current_principal()
    licence = get_or_404(Licence, licence_id)
    require(can_issue(p))
    if not ConfirmForm().validate_on_submit():
        return Response(_("Please confirm."), 400)
    try:
        services.revoke_licence(licence.id, revoked_by_id=p.user_id)
    except DomainError as error:
        flash(str(error.message), "warning")
    else:
        flash(_("Licence revoked."), "success")
    return redirect(url_for("licences.index"))


from hubs.licences import panels  # noqa: E402, F401  (the coordinator's day panel)
