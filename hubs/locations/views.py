"""Pages: the hubs and, per hub, its opening hours and resources."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from sqlalchemy import select

from hubs import nav
from hubs.access import current_principal, get_or_404, has_scope, select_visible
from hubs.extensions import db
from hubs.locations.models import Hub, Resource
from hubs.web import page_args

bp = Blueprint("locations", __name__, template_folder="templates")

nav.register(_l("Hubs"), "locations.hub_list", lambda p: True, order=20)


@bp.get("/hubs")
@login_required
def hub_list() -> str:
    page, per_page = page_args()
    hubs = db.paginate(
        select_visible(Hub).order_by(Hub.name), page=page, per_page=per_page, error_out=False
    )
    return render_template("locations/hub_list.html", hubs=hubs)


@bp.get("/hubs/<int:hub_id>")
@login_required
def hub_detail(hub_id: int) -> str:
    hub = get_or_404(Hub, hub_id)
    p = current_principal()
    resources = None
    if has_scope(Resource):
        page, per_page = page_args()
        resources = db.paginate(
            select_visible(Resource, p)
            .where(Resource.hub_id == hub.id)
            .order_by(Resource.active.desc(), Resource.kind, Resource.name),
            page=page,
            per_page=per_page,
            error_out=False,
        )
    return render_template("locations/hub_detail.html", hub=hub, resources=resources, p=p)


@bp.get("/resources/<int:resource_id>")
@login_required
def resource_detail(resource_id: int) -> str:
    resource = get_or_404(Resource, resource_id)
    hub = db.session.scalar(select(Hub).where(Hub.id == resource.hub_id))
    return render_template("locations/resource_detail.html", resource=resource, hub=hub)
