"""Pages: invite someone, the invitations list (re-send, withdraw), and accepting one."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask import request as flask_request
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import and_
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from hubs.access import current_principal, get_or_404, require, select_visible
from hubs.accounts.models import Role, User
from hubs.accounts.policies import (
    check_role_target,
    grantable_roles,
    manages_people_of,
    may_manage_people,
    role_targets,
)
from hubs.accounts.views.auth import end_browser_session, start_browser_session
from hubs.db import utcnow
from hubs.errors import DomainError
from hubs.forms import ConfirmForm
from hubs.invitations import services
from hubs.invitations.forms import AcceptExistingForm, AcceptForm, InvitationForm
from hubs.invitations.models import Invitation, InvitationStatus
from hubs.web import apply_domain_error, apply_listing, contains, form_page, listing, paginate

bp = Blueprint("invitations", __name__, template_folder="templates")

SORTS = {
    "created": Invitation.created_at,
    "email": Invitation.email,
    "expires": Invitation.expires_at,
}
Page = str | Response | tuple[str, int]


def _me() -> User:
    user: User = current_user._get_current_object()  # type: ignore[attr-defined]
    return user


def _status_condition(status: str) -> Any:
    now = utcnow()
    open_ = and_(Invitation.accepted_at.is_(None), Invitation.withdrawn_at.is_(None))
    return {
        "pending": and_(open_, Invitation.expires_at > now),
        "expired": and_(open_, Invitation.expires_at <= now),
        "accepted": Invitation.accepted_at.is_not(None),
        "withdrawn": Invitation.withdrawn_at.is_not(None),
    }.get(status)


@bp.get("/invitations")
@login_required
def invitation_list() -> str:
    p = current_principal()
    require(may_manage_people(p))
    args = listing(SORTS, "created", filters=("status",))
    stmt = select_visible(Invitation).options(
        selectinload(Invitation.organisation), selectinload(Invitation.hub)
    )
    condition = _status_condition(args.filters["status"])
    if condition is not None:
        stmt = stmt.where(condition)
    if flask_request.args.get("sort") is None:
        args = replace(args, descending=True)  # newest first by default
    stmt = apply_listing(stmt, args, SORTS, contains(Invitation.email, Invitation.name))
    return render_template(
        "invitations/invitation_list.html",
        invitations=paginate(stmt, args),
        listing=args,
        now=utcnow(),
        statuses=[(s.value, s.label) for s in InvitationStatus],
        can_manage=lambda i: _can_manage(p, i),
    )


def _can_manage(p: Any, invitation: Invitation) -> bool:
    """May re-send or withdraw: managers; others for invitations into their organisations."""
    if p.is_manager:
        return True
    return invitation.role == Role.BOOKER and manages_people_of(p, invitation.organisation_id)


def _invitation_form(p: Any) -> InvitationForm:
    form = InvitationForm()
    form.fill_choices(grantable_roles(p), *role_targets(p))
    if not form.is_submitted():
        form.role.data = Role.BOOKER.value
        form.locale.data = "nl"
        preset = flask_request.args.get("organisation_id", "")
        if preset in {choice.value for choice in form.organisation_id.choices}:
            form.organisation_id.data = preset
    return form


@bp.route("/invitations/new", methods=["GET", "POST"])
@login_required
def invitation_new() -> Page:
    """Invite a person by e-mail into an organisation (or, for managers, any role)."""
    p = current_principal()
    require(may_manage_people(p))
    form = _invitation_form(p)
    if form.validate_on_submit():
        try:
            role, org_id, hub_id = form.target()
            check_role_target(p, role, org_id, hub_id)
            invitation = services.invite(
                form.email.data or "",
                role=role,
                invited_by=_me(),
                organisation_id=org_id,
                hub_id=hub_id,
                is_org_admin=bool(form.is_org_admin.data),
                name=form.name.data or "",
                locale=form.locale.data or "nl",
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash(
                _(
                    "The invitation was sent to %(email)s. The link works for %(days)d days.",
                    email=invitation.email,
                    days=current_app.config["INVITATION_DAYS"],
                ),
                "success",
            )
            return redirect(url_for("invitations.invitation_list"))
    return form_page("invitations/invitation_new.html", form, p=p)


def _managed_invitation(invitation_id: int) -> Invitation:
    invitation = get_or_404(Invitation, invitation_id)
    require(_can_manage(current_principal(), invitation))
    return invitation


@bp.post("/invitations/<int:invitation_id>/resend")
@login_required
def invitation_resend(invitation_id: int) -> Response:
    """Send again with a new link (the old one stops working) and a new expiry."""
    invitation = _managed_invitation(invitation_id)
    try:
        services.resend(invitation, _me())
    except DomainError as error:
        flash(str(error.message), "error")
    else:
        flash(_("The invitation was sent again to %(email)s.", email=invitation.email), "success")
    return redirect(url_for("invitations.invitation_list"))


@bp.post("/invitations/<int:invitation_id>/withdraw")
@login_required
def invitation_withdraw(invitation_id: int) -> Response:
    invitation = _managed_invitation(invitation_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.withdraw(invitation, _me())
    except DomainError as error:
        flash(str(error.message), "error")
    else:
        flash(_("The invitation to %(email)s was withdrawn.", email=invitation.email), "success")
    return redirect(url_for("invitations.invitation_list"))


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept(token: str) -> Page:
    """The link from the mail: a new person chooses a password; a known one confirms."""
    invitation = services.open_invitation(token)
    if invitation is None:
        return render_template("invitations/invalid.html"), 410
    existing = services.existing_account(invitation)
    form: Any = AcceptExistingForm() if existing else AcceptForm()
    if not existing and not form.is_submitted():
        form.name.data = invitation.name
    if form.validate_on_submit():
        try:
            user = services.accept(
                token,
                name="" if existing else form.name.data or "",
                password=None if existing else form.password.data or "",
            )
        except services.LinkNotValid:
            return render_template("invitations/invalid.html"), 410
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            end_browser_session()
            if existing:
                flash(_("The invitation was accepted. Sign in with your password."), "success")
                return redirect(url_for("accounts.login"))
            start_browser_session(user)
            flash(_("Welcome to Hubs! Your account is ready."), "success")
            return redirect(url_for("main.index"))
    return form_page(
        "invitations/accept.html",
        form,
        invitation=invitation,
        existing=existing,
        signed_in_as=current_user if current_user.is_authenticated else None,
    )
