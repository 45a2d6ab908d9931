"""Administration of people: lists, role grants, deactivation.

Programme managers see everyone; coordinators the people of their hubs' member
organisations; organisation admins their colleagues (see ``hubs.accounts.policies``).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from hubs import nav
from hubs.access import current_principal, get_or_404, require, select_visible
from hubs.accounts import services
from hubs.accounts.forms import GrantForm
from hubs.accounts.models import Role, RoleGrant, User
from hubs.accounts.policies import (
    can_deactivate,
    can_manage_grant,
    check_role_target,
    grantable_roles,
    may_manage_people,
    role_targets,
)
from hubs.accounts.views import Page
from hubs.errors import DomainError
from hubs.extensions import db
from hubs.forms import ConfirmForm
from hubs.organisations.models import Organisation
from hubs.web import apply_domain_error, apply_listing, contains, listing, paginate

# Its own blueprint, so that the header marks "Users" here and not on profile pages.
bp = Blueprint("people", __name__, template_folder="../templates")

nav.register(
    _l("Users"),
    "people.people_list",
    may_manage_people,
    order=60,
    section=("people", "invitations"),
)

PEOPLE_SORTS = {"name": User.name, "email": User.email, "created": User.created_at}


def _me() -> User:
    user: User = current_user._get_current_object()  # type: ignore[attr-defined]
    return user


@bp.get("/people")
@login_required
def people_list() -> str:
    p = current_principal()
    require(may_manage_people(p))
    args = listing(PEOPLE_SORTS, "name", filters=("organisation_id", "state", "role"))
    stmt = select_visible(User).options(
        selectinload(User.grants).selectinload(RoleGrant.organisation),
        selectinload(User.grants).selectinload(RoleGrant.hub),
    )
    organisation = None
    if args.filters["organisation_id"].isdigit():
        organisation = get_or_404(Organisation, int(args.filters["organisation_id"]))
        stmt = stmt.where(
            User.id.in_(
                select(RoleGrant.user_id).where(RoleGrant.organisation_id == organisation.id)
            )
        )
    if args.filters["role"] in {r.value for r in Role}:
        stmt = stmt.where(
            User.id.in_(select(RoleGrant.user_id).where(RoleGrant.role == args.filters["role"]))
        )
    if args.filters["state"] in ("active", "deactivated"):
        stmt = stmt.where(User.active.is_(args.filters["state"] == "active"))
    stmt = apply_listing(stmt, args, PEOPLE_SORTS, contains(User.name, User.email))
    return render_template(
        "accounts/people_list.html",
        people=paginate(stmt, args),
        listing=args,
        organisation=organisation,
        p=p,
        role_options=[(r.value, r.label) for r in Role],
    )


def _grant_form(p: Any) -> GrantForm:
    form = GrantForm()
    form.fill_choices(grantable_roles(p), *role_targets(p))
    return form


@bp.get("/people/<int:user_id>")
@login_required
def person_detail(user_id: int) -> str:
    return _render_person(get_or_404(User, user_id), _grant_form(current_principal()))


def _render_person(person: User, form: GrantForm, status: int = 200) -> Any:
    p = current_principal()
    grants = db.session.scalars(
        select(RoleGrant)
        .where(RoleGrant.user_id == person.id)
        .options(selectinload(RoleGrant.hub), selectinload(RoleGrant.organisation))
        .order_by(RoleGrant.id)
    ).all()
    return render_template(
        "accounts/person_detail.html",
        person=person,
        grants=grants,
        form=form,
        p=p,
        may_grant=bool(grantable_roles(p)) and person.id != p.user_id,
        can_manage_grant=lambda g: can_manage_grant(p, g),
        may_deactivate=can_deactivate(p, person),
    ), status


@bp.post("/people/<int:user_id>/grants")
@login_required
def grant_add(user_id: int) -> Page:
    """Give a visible person a role the current user may give."""
    person = get_or_404(User, user_id)
    p = current_principal()
    require(bool(grantable_roles(p)) and person.id != p.user_id)
    form = _grant_form(p)
    if form.validate_on_submit():
        try:
            role, org_id, hub_id = form.target()
            check_role_target(p, role, org_id, hub_id)
            services.grant_role(
                person,
                role,
                hub_id=hub_id if role == Role.COORDINATOR else None,
                organisation_id=org_id if role == Role.BOOKER else None,
                is_org_admin=bool(form.is_org_admin.data) and role == Role.BOOKER,
                granted_by=_me(),
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash(_("The role was given."), "success")
            return redirect(url_for("people.person_detail", user_id=person.id))
    return _render_person(person, form, 422)  # type: ignore[no-any-return]


@bp.post("/grants/<int:grant_id>/remove")
@login_required
def grant_remove(grant_id: int) -> Response:
    """Take a role away, e.g. an organisation admin removes a colleague."""
    grant = get_or_404(RoleGrant, grant_id)
    require(can_manage_grant(current_principal(), grant))
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.revoke_grant(grant, _me())
    flash(_("The role was removed."), "success")
    return redirect(url_for("people.person_detail", user_id=grant.user_id))


@bp.post("/people/<int:user_id>/deactivate")
@login_required
def person_deactivate(user_id: int) -> Response:
    """Lock the person out everywhere: sessions and API tokens end at once."""
    person = get_or_404(User, user_id)
    require(can_deactivate(current_principal(), person))
    services.deactivate_user(person, actor=_me())
    flash(
        _("%(name)s was deactivated and signed out everywhere.", name=person.name or person.email),
        "success",
    )
    return redirect(url_for("people.person_detail", user_id=person.id))


@bp.post("/people/<int:user_id>/reactivate")
@login_required
def person_reactivate(user_id: int) -> Response:
    person = get_or_404(User, user_id)
    require(current_principal().is_manager and person.id != current_principal().user_id)
    services.reactivate_user(person, _me())
    flash(_("%(name)s can sign in again.", name=person.name or person.email), "success")
    return redirect(url_for("people.person_detail", user_id=person.id))
