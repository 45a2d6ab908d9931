"""Pages: organisations, one organisation with its memberships, a hub's members; and
their administration (managers: every organisation; coordinators: their hubs' members).
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from hubs import nav
from hubs.access import current_principal, get_or_404, require, select_visible
from hubs.db import local_today
from hubs.errors import DomainError, InvalidInput
from hubs.extensions import db
from hubs.forms import options
from hubs.locations.models import Hub
from hubs.organisations import services
from hubs.organisations.forms import (
    AddMemberForm,
    MembershipForm,
    NewMembershipForm,
    NewOrganisationForm,
    OrganisationForm,
)
from hubs.organisations.models import Membership, Organisation, OrganisationKind
from hubs.organisations.policies import can_create_organisation, can_edit_organisation
from hubs.web import apply_domain_error, apply_listing, form_page, listing, paginate

bp = Blueprint("organisations", __name__, template_folder="templates")

nav.register(
    _l("Organisations"),
    "organisations.organisation_list",
    lambda p: p.is_staff or p.is_booker,
    order=30,
)

ORG_SORTS = {"name": Organisation.name, "kind": Organisation.kind, "town": Organisation.town}
MEMBER_SORTS = {
    "name": Organisation.name,
    "starts_on": Membership.starts_on,
    "ends_on": Membership.ends_on,
}
Page = str | Response | tuple[str, int]


def _my_hubs() -> list[Hub]:
    """The hubs the current user coordinates (all, for managers), by name."""
    p = current_principal()
    stmt = select(Hub).order_by(Hub.name)
    if not p.is_manager:
        stmt = stmt.where(Hub.id.in_(p.coordinator_hub_ids))
    return list(db.session.scalars(stmt.limit(200)))


@bp.get("/organisations")
@login_required
def organisation_list() -> str:
    p = current_principal()
    require(p.is_staff or p.is_booker)
    args = listing(ORG_SORTS, "name", filters=("kind",))
    stmt = select_visible(Organisation)
    if args.filters["kind"] in {k.value for k in OrganisationKind}:
        stmt = stmt.where(Organisation.kind == args.filters["kind"])
    stmt = apply_listing(stmt, args, ORG_SORTS, services.search_condition)
    return render_template(
        "organisations/organisation_list.html",
        organisations=paginate(stmt, args),
        listing=args,
        kind_options=[(k.value, k.label) for k in OrganisationKind],
        may_create=can_create_organisation(p),
    )


@bp.route("/organisations/new", methods=["GET", "POST"])
@login_required
def organisation_new() -> Page:
    p = current_principal()
    require(can_create_organisation(p))
    form = NewOrganisationForm()
    hubs = _my_hubs()
    form.hub_id.choices = ([("", _("no membership yet"))] if p.is_manager else []) + [
        (str(h.id), h.name) for h in hubs
    ]
    if request.method == "GET":
        form.member_since.data = local_today()
        if request.args.get("hub_id"):
            form.hub_id.data = request.args["hub_id"]
    if form.validate_on_submit():
        hub_id = int(form.hub_id.data) if form.hub_id.data else None
        try:
            if hub_id is None and not p.is_manager:
                raise InvalidInput(_l("Choose the hub it becomes a member of."), "hub_id")
            if hub_id is not None:
                require(p.coordinates(hub_id))
            organisation = services.create_organisation(
                form.values(), member_of=hub_id, member_since=form.member_since.data
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash(_("%(name)s was added.", name=organisation.name), "success")
            return redirect(
                url_for("organisations.organisation_detail", organisation_id=organisation.id)
            )
    return form_page("organisations/organisation_new.html", form)


@bp.get("/organisations/<int:organisation_id>")
@login_required
def organisation_detail(organisation_id: int) -> str:
    from hubs.accounts.policies import manages_people_of

    organisation = get_or_404(Organisation, organisation_id)
    p = current_principal()
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
        p=p,
        may_edit=can_edit_organisation(p, organisation.id),
        may_add_membership=p.is_manager or p.is_coordinator,
        manages_people=manages_people_of(p, organisation.id),
    )


@bp.route("/organisations/<int:organisation_id>/edit", methods=["GET", "POST"])
@login_required
def organisation_edit(organisation_id: int) -> Page:
    organisation = get_or_404(Organisation, organisation_id)
    require(can_edit_organisation(current_principal(), organisation.id))
    form = OrganisationForm(obj=organisation)
    if request.method == "GET":
        form.kind.data = organisation.kind.value
        form.holiday_region.data = (
            organisation.holiday_region.value if organisation.holiday_region else ""
        )
    if form.validate_on_submit():
        try:
            services.update_organisation(organisation, form.values())
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash(_("The changes were saved."), "success")
            return redirect(
                url_for("organisations.organisation_detail", organisation_id=organisation.id)
            )
    return form_page("organisations/organisation_edit.html", form, organisation=organisation)


@bp.route("/organisations/<int:organisation_id>/memberships/new", methods=["GET", "POST"])
@login_required
def membership_new(organisation_id: int) -> Page:
    organisation = get_or_404(Organisation, organisation_id)
    p = current_principal()
    require(p.is_manager or p.is_coordinator)
    form = NewMembershipForm()
    form.hub_id.choices = options([(h.id, h.name) for h in _my_hubs()])
    if request.method == "GET":
        form.starts_on.data = local_today()
    if form.validate_on_submit():
        require(p.coordinates(form.hub_id.data))
        try:
            services.add_membership(
                organisation.id, form.hub_id.data, form.starts_on.data, form.ends_on.data
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash(_("The membership was added."), "success")
            return redirect(
                url_for("organisations.organisation_detail", organisation_id=organisation.id)
            )
    return form_page(
        "organisations/membership_form.html", form, organisation=organisation, membership=None
    )


@bp.route("/memberships/<int:membership_id>/edit", methods=["GET", "POST"])
@login_required
def membership_edit(membership_id: int) -> Page:
    membership = get_or_404(Membership, membership_id)
    require(current_principal().coordinates(membership.hub_id))
    form = MembershipForm(obj=membership)
    if form.validate_on_submit():
        try:
            services.update_membership(membership, form.starts_on.data, form.ends_on.data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash(_("The membership was saved."), "success")
            return redirect(url_for("organisations.hub_members", hub_id=membership.hub_id))
    return form_page(
        "organisations/membership_form.html",
        form,
        organisation=membership.organisation,
        membership=membership,
    )


@bp.route("/hubs/<int:hub_id>/members", methods=["GET", "POST"])
@login_required
def hub_members(hub_id: int) -> Page:
    hub = get_or_404(Hub, hub_id)
    p = current_principal()
    require(p.coordinates(hub.id))
    form = AddMemberForm()
    if request.method == "GET":
        form.starts_on.data = local_today()
    if form.validate_on_submit():
        organisation = services.find_by_identifier(form.identifier.data or "")
        try:
            if organisation is None:
                raise InvalidInput(
                    _l("No organisation has this number. Add it as a new organisation."),
                    "identifier",
                )
            services.add_membership(organisation.id, hub.id, form.starts_on.data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash(_("%(name)s is now a member.", name=organisation.name), "success")
            return redirect(url_for("organisations.hub_members", hub_id=hub.id))
    args = listing(MEMBER_SORTS, "name", filters=("when",))
    stmt = (
        select(Membership)
        .join(Organisation, Membership.organisation_id == Organisation.id)
        .where(Membership.hub_id == hub.id)
        .options(selectinload(Membership.organisation))
    )
    today = local_today()
    if args.filters["when"] == "current" or not args.filters["when"]:
        stmt = stmt.where(
            Membership.starts_on <= today,
            (Membership.ends_on.is_(None)) | (Membership.ends_on >= today),
        )
    stmt = apply_listing(stmt, args, MEMBER_SORTS, services.search_condition)
    return form_page(
        "organisations/hub_members.html",
        form,
        hub=hub,
        members=paginate(stmt, args),
        listing=args,
        today=today,
    )
