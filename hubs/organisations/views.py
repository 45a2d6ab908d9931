"""Pages: organisations the user may see, and one organisation with its memberships."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from sqlalchemy.orm import selectinload

from hubs import nav
from hubs.access import current_principal, get_or_404, require, select_visible
from hubs.extensions import db
from hubs.organisations.models import Membership, Organisation
from hubs.web import page_args

bp = Blueprint("organisations", __name__, template_folder="templates")

nav.register(
    _l("Organisations"),
    "organisations.organisation_list",
    lambda p: p.is_staff or p.is_booker,
    order=30,
)


@bp.get("/organisations")
@login_required
def organisation_list() -> str:
    p = current_principal()
    require(p.is_staff or p.is_booker)
    page, per_page = page_args()
    organisations = db.paginate(
        select_visible(Organisation).order_by(Organisation.name),
        page=page,
        per_page=per_page,
        error_out=False,
    )
    return render_template("organisations/organisation_list.html", organisations=organisations)


@bp.get("/organisations/<int:organisation_id>")
@login_required
def organisation_detail(organisation_id: int) -> str:
    organisation = get_or_404(Organisation, organisation_id)
    memberships = db.session.scalars(
        select_visible(Membership)
        .where(Membership.organisation_id == organisation.id)
        .options(selectinload(Membership.hub))
        .order_by(Membership.starts_on.desc())
        .limit(100)
    ).all()
    return render_template(
        "organisations/organisation_detail.html",
        organisation=organisation,
        memberships=memberships,
    )
