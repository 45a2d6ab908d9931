"""Start page per role, language switch, ``/healthz`` and ``/readyz``."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required
from sqlalchemy import func, select, text
from werkzeug.wrappers import Response

from hubs import nav
from hubs.access import current_principal, select_visible
from hubs.accounts import services as account_services
from hubs.extensions import db, limiter
from hubs.locations.models import Hub, Resource
from hubs.organisations.models import Membership, Organisation
from hubs.web import safe_next

bp = Blueprint("main", __name__, template_folder="templates")


@bp.get("/")
@login_required
def index() -> str:
    """What the signed-in user can do, by role; features add sections on top (the
    coordinator's day: hubs.nav.register_start_section)."""
    p = current_principal()
    hubs: list[Hub] = list(db.session.scalars(select_visible(Hub).order_by(Hub.name).limit(50)))
    resource_counts = dict(
        db.session.execute(
            select(Resource.hub_id, func.count())
            .where(Resource.active.is_(True))
            .group_by(Resource.hub_id)
        ).all()
    )
    organisations = db.session.scalars(
        select(Organisation)
        .where(Organisation.id.in_(p.booker_org_ids))
        .order_by(Organisation.name)
    ).all()
    memberships = db.session.scalars(
        select(Membership)
        .where(Membership.organisation_id.in_(p.booker_org_ids))
        .order_by(Membership.starts_on)
        .limit(50)
    ).all()
    return render_template(
        "main/index.html",
        p=p,
        hubs=hubs,
        my_hubs=[h for h in hubs if h.id in p.coordinator_hub_ids],
        resource_counts=resource_counts,
        organisations=organisations,
        memberships=memberships,
        start_sections=nav.start_sections(p),
    )


@bp.post("/language")
@limiter.exempt
def set_language() -> Response:
    """Switch the interface language; remembered on the account when signed in."""
    lang = request.form.get("lang", "")
    if lang in current_app.config["LANGUAGES"]:
        session["locale"] = lang
        if current_user.is_authenticated:
            account_services.set_locale(current_user, lang)
    target = safe_next(request.form.get("next")) or url_for("main.index")
    return redirect(target)


@bp.get("/healthz")
@limiter.exempt
def healthz() -> Response:
    """The process is up (no database access)."""
    return jsonify(status="ok")


@bp.get("/readyz")
@limiter.exempt
def readyz() -> Response | tuple[Response, int, dict[str, str]]:
    """The database answers; else 503 with Retry-After."""
    try:
        db.session.execute(text("SELECT 1"))
        db.session.rollback()
    except Exception:  # noqa: BLE001 - any failure means "not ready"
        db.session.rollback()
        return jsonify(status="unavailable"), 503, {"Retry-After": "10"}
    return jsonify(status="ok")
