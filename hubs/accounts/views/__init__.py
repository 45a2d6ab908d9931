"""Pages of the accounts feature: signing in and recovering access (``auth``), one's own
profile and API tokens (``profile``), and the administration of people (``people``)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template
from werkzeug.wrappers import Response

bp = Blueprint("accounts", __name__, template_folder="../templates")

Page = str | Response | tuple[str, int]


def form_page(template: str, form: Any, **context: Any) -> Page:
    """Render a form page; 422 when a submitted form had errors."""
    status = 422 if form.is_submitted() and (form.errors or form.form_errors) else 200
    return render_template(template, form=form, **context), status


from hubs.accounts.views import auth, people, profile  # noqa: E402,F401  (routes on bp)
