"""``/api/v1/docs``: the API documentation as a plain page, built from the OpenAPI
document on the server (no JavaScript, no CDN, within the CSP)."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

from hubs.api.auth import public
from hubs.api.common import API_PREFIX
from hubs.api.docs import describe
from hubs.extensions import api

bp = Blueprint("api_docs", __name__, template_folder="templates", url_prefix=API_PREFIX)


@bp.get("/docs")
def docs() -> str:
    """Human-readable API documentation (public, like the OpenAPI document)."""
    return render_template(
        "api/docs.html",
        doc=describe(api.spec.to_dict()),
        base_url=current_app.config["BASE_URL"],
        prefix=API_PREFIX,
    )


public("api_docs.docs")
