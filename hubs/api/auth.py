"""API authentication: ``Authorization: Bearer <token>`` only, never the session cookie.

Because the API ignores cookies, cross-site requests cannot ride on a browser session, so
API routes need no CSRF token. Every API endpoint requires a token unless it is listed in
:data:`PUBLIC_ENDPOINTS`.
"""

from __future__ import annotations

from flask import Flask, abort, g, request
from flask_login import AnonymousUserMixin

from hubs.api.common import API_PREFIX

PUBLIC_ENDPOINTS: set[str] = {"api-docs.openapi_json"}


def public(endpoint: str) -> None:
    """Mark an API endpoint as callable without a token (e.g. creating a token)."""
    PUBLIC_ENDPOINTS.add(endpoint)


def is_api_request() -> bool:
    return request.path == API_PREFIX or request.path.startswith(API_PREFIX + "/")


def _authenticate() -> None:
    if not is_api_request():
        return
    from hubs.accounts.services import user_for_token

    user = None
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, secret = header.partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            abort(401, description="Use 'Authorization: Bearer <token>'.")
        found = user_for_token(secret.strip())
        if found is None:
            abort(401, description="The token is invalid, expired or revoked.")
        user, g.api_token = found
    # Flask-Login reads g._login_user before looking at the session cookie.
    g._login_user = user if user is not None else AnonymousUserMixin()
    if user is None and request.endpoint not in PUBLIC_ENDPOINTS:
        abort(401, description="Sign in with a token: POST /api/v1/tokens.")


def init_app(app: Flask) -> None:
    app.before_request(_authenticate)
