"""Sign in and sign out."""

from __future__ import annotations

from flask import (
    Blueprint,
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

from hubs.accounts import services
from hubs.accounts.forms import LoginForm
from hubs.accounts.models import User
from hubs.extensions import limiter, login_manager
from hubs.web import safe_next

bp = Blueprint("accounts", __name__, template_folder="templates")

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
        user = services.authenticate(form.email.data or "", form.password.data or "")
        if user is None:
            form.form_errors.append(_("The e-mail address or password is not correct."))
            status = 401
        else:
            target = safe_next(request.args.get("next"))
            session.clear()  # a new session id at sign-in (no fixation)
            services.start_session(user)
            login_user(user)
            session["locale"] = user.locale
            return redirect(target or url_for("main.index"))
    elif form.is_submitted():
        status = 422
    return render_template("accounts/login.html", form=form), status


@bp.post("/logout")
def logout() -> Response:
    """Sign out: this browser's session ends on the server, so the old cookie is dead."""
    if current_user.is_authenticated and current_user.session_key:
        services.end_session(current_user.session_key)
    logout_user()
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale
    flash(_("You are signed out."), "info")
    return redirect(url_for("accounts.login"))
