"""Pages of the accounts feature: signing in and recovering access (``auth``), one's own
profile and API tokens (``profile``), and the administration of people (``people``)."""

from __future__ import annotations

from flask import Blueprint
from werkzeug.wrappers import Response

bp = Blueprint("accounts", __name__, template_folder="../templates")

Page = str | Response | tuple[str, int]


from hubs.accounts.views import auth, people, profile  # noqa: E402,F401  (routes on bp)
