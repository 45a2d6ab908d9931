"""Sign in and out; forgotten password (request a link, use it once)."""

from __future__ import annotations

from flask import (
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from hubs.accounts import password_reset, services
from hubs.accounts.forms import ForgotPasswordForm, LoginForm, ResetPasswordForm
from hubs.accounts.models import User
from hubs.accounts.views import Page, bp
from hubs.errors import DomainError
from hubs.extensions import limiter, login_manager
from hubs.web import apply_domain_error, form_page, safe_next

login_manager.login_view = "accounts.login"
login_manager.login_message = _l("Please sign in to see this page.")
login_manager.login_message_category = "info"
# Our own session table decides whether a cookie is still valid.
login_manager.session_protection = None


@login_manager.user_loader
def _load_user(key: str) -> User | None:
    return services.load_session_user(key)


def _account_key() -> str:
    return "login-account:" + services.normalise_email(request.form.get("email", ""))


def _reset_account_key() -> str:
    return "reset-account:" + services.normalise_email(request.form.get("email", ""))


def start_browser_session(user: User) -> None:
    """Sign ``user`` in on this browser: a fresh session id, the server-side session."""
    session.clear()  # a new session id at sign-in (no fixation)
    services.sign_in(user)
    login_user(user)
    session["locale"] = user.locale


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_LOGIN"], methods=["POST"])
@limiter.limit(
    lambda: current_app.config["RATELIMIT_LOGIN_ACCOUNT"],
    key_func=_account_key,
    methods=["POST"],
)
def login() -> Response | tuple[str, int]:
    """The sign-in form. Unknown address and wrong password get the same answer."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        email = form.email.data or ""
        user = services.authenticate(email, form.password.data or "")
        if user is None:
            services.record_failed_sign_in(email)
            form.form_errors.append(_("The e-mail address or password is not correct."))
            status = 401
        else:
            target = safe_next(request.args.get("next"))
            start_browser_session(user)
            return redirect(target or url_for("main.index"))
    elif form.is_submitted():
        status = 422
    return render_template("accounts/login.html", form=form), status


@bp.post("/logout")
def logout() -> Response:
    """Sign out: this browser's session ends on the server, so the old cookie is dead."""
    end_browser_session()
    flash(_("You are signed out."), "info")
    return redirect(url_for("accounts.login"))


def end_browser_session() -> None:
    """End this browser's session (server side too), keeping the chosen language."""
    if current_user.is_authenticated and current_user.session_key:
        services.end_session(current_user.session_key)
    logout_user()
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_PASSWORD_RESET"], methods=["POST"])
@limiter.limit(
    lambda: current_app.config["RATELIMIT_PASSWORD_RESET_ACCOUNT"],
    key_func=_reset_account_key,
    methods=["POST"],
)
def forgot_password() -> Page:
    """Ask for a reset link. The answer is the same whether or not the address exists."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        password_reset.request_password_reset(form.email.data or "")
        return redirect(url_for("accounts.reset_sent"))
    return form_page("accounts/forgot_password.html", form)


@bp.get("/password/forgot/sent")
def reset_sent() -> str:
    return render_template(
        "accounts/reset_sent.html", minutes=current_app.config["PASSWORD_RESET_MINUTES"]
    )


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> Page:
    """Choose a new password through the link from the mail."""
    if password_reset.usable_reset(token) is None:
        return render_template("accounts/reset_invalid.html"), 410
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            password_reset.reset_password(token, form.password.data or "")
        except password_reset.LinkNotValid:
            return render_template("accounts/reset_invalid.html"), 410
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            end_browser_session()
            flash(_("Your password was changed. Sign in with your new password."), "success")
            return redirect(url_for("accounts.login"))
    return form_page("accounts/reset_password.html", form)
