"""The signed-in user's own profile: name, language, password, notifications, API tokens."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from flask import abort, current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response

from hubs import nav
from hubs.access import get_or_404
from hubs.accounts import services
from hubs.accounts.forms import NotificationsForm, PasswordChangeForm, ProfileForm, TokenForm
from hubs.accounts.models import ApiToken, User
from hubs.accounts.views import Page, bp
from hubs.db import local_today, utcnow
from hubs.errors import DomainError
from hubs.extensions import db
from hubs.forms import ConfirmForm, options
from hubs.i18n import AMSTERDAM
from hubs.mail import kinds
from hubs.mail.services import opt_outs, set_opt_outs
from hubs.web import apply_domain_error, form_page

nav.register_user_menu(_l("My profile"), "accounts.profile", order=10)
nav.register_user_menu(_l("API tokens"), "accounts.tokens", order=20)


def _me() -> User:
    user: User = current_user._get_current_object()  # type: ignore[attr-defined]
    return user


def _notifications_form(user: User) -> NotificationsForm:
    form = NotificationsForm(prefix="n")
    choosable = kinds.choosable()
    form.receive.choices = options([(k.code, str(k.label)) for k in choosable])
    if not form.is_submitted():
        off = opt_outs(user.id)
        form.receive.data = [k.code for k in choosable if k.code not in off]
    return form


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile() -> Page:
    """Name and language; notification choices below (a form of their own)."""
    user = _me()
    form = ProfileForm(obj=user)
    if form.validate_on_submit():
        try:
            services.update_profile(user, form.name.data or "", form.locale.data or "nl")
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            session["locale"] = user.locale
            flash(_("Your profile was saved."), "success")
            return redirect(url_for("accounts.profile"))
    return form_page(
        "accounts/profile.html",
        form,
        user=user,
        notifications=_notifications_form(user),
    )


@bp.post("/profile/notifications")
@login_required
def notifications() -> Response:
    user = _me()
    form = _notifications_form(user)
    if not form.validate_on_submit():
        abort(400)
    chosen = set(form.receive.data or [])
    set_opt_outs(user.id, {k.code for k in kinds.choosable()} - chosen)
    flash(_("Your notification choices were saved."), "success")
    return redirect(url_for("accounts.profile"))


@bp.route("/profile/password", methods=["GET", "POST"])
@login_required
def change_password() -> Page:
    """A new password; every other browser of this user is signed out."""
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            services.change_password(
                _me(), form.current_password.data or "", form.new_password.data or ""
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash(_("Your password was changed. You were signed out everywhere else."), "success")
            return redirect(url_for("accounts.profile"))
    return form_page("accounts/change_password.html", form)


def _token_list(user: User) -> list[ApiToken]:
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id)
            .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc())
            .limit(100)
        )
    )


@bp.route("/profile/tokens", methods=["GET", "POST"])
@login_required
def tokens() -> Page:
    """Personal API tokens: create one (its secret is shown once), see use, revoke."""
    user = _me()
    form = TokenForm()
    max_days = current_app.config["API_TOKEN_MAX_DAYS"]
    if not form.is_submitted():
        form.expires_on.data = local_today() + timedelta(days=current_app.config["API_TOKEN_DAYS"])
    secret = None
    if form.validate_on_submit():
        # Valid until the end of the chosen day, Dutch time.
        day = form.expires_on.data
        expires_at = datetime.combine(day + timedelta(days=1), time(0), AMSTERDAM)  # type: ignore[operator]
        try:
            secret, _token = services.issue_api_token(user, form.name.data or "", expires_at)
        except DomainError as error:
            apply_domain_error(form, error)
            if error.field == "expires_at":
                form.expires_on.errors = [*form.expires_on.errors, str(error.message)]
        else:
            form = TokenForm(formdata=None)
            form.expires_on.data = local_today() + timedelta(
                days=current_app.config["API_TOKEN_DAYS"]
            )
    status = 422 if form.errors or form.form_errors else 200
    return render_template(
        "accounts/tokens.html",
        form=form,
        tokens=_token_list(user),
        secret=secret,
        now=utcnow(),
        max_days=max_days,
        confirm=ConfirmForm(),
    ), (201 if secret else status)


@bp.post("/profile/tokens/<int:token_id>/revoke")
@login_required
def token_revoke(token_id: int) -> Response:
    token = get_or_404(ApiToken, token_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if services.revoke_api_token(token.id, _me().id):
        flash(_("The token %(name)s was revoked; it no longer works.", name=token.name), "success")
    else:
        flash(_("This token was already revoked or has expired."), "info")
    return redirect(url_for("accounts.tokens"))
