"""``/api/v1/tokens`` (sign in for integrations) and ``/api/v1/me``."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, g
from flask_login import current_user

from hubs.accounts import services
from hubs.accounts.models import User
from hubs.accounts.schemas import MeSchema, TokenRequestSchema, TokenSchema
from hubs.api.auth import public
from hubs.api.common import Blueprint
from hubs.extensions import limiter

blp = Blueprint("api_accounts", __name__, description="Tokens and the signed-in user")


@blp.post("/tokens")
@limiter.limit(lambda: current_app.config["RATELIMIT_LOGIN"])
@blp.arguments(TokenRequestSchema)
@blp.response(201, TokenSchema)
@blp.doc(security=[])
def create_token(body: dict[str, Any]) -> dict[str, Any]:
    """Exchange e-mail and password for a bearer token (shown once)."""
    user = services.authenticate(body["email"], body["password"])
    if user is None:
        services.record_failed_sign_in(body["email"], channel="api")
        abort(401, description="The e-mail address or password is not correct.")
    secret, token = services.issue_api_token(user, body["name"])
    return {"token": secret, "expires_at": token.expires_at}


public("api_accounts.create_token")


@blp.delete("/tokens/current")
@blp.response(204)
def revoke_current_token() -> None:
    """Revoke the token this request was made with."""
    services.revoke_api_token(g.api_token.id, current_user.id)


@blp.get("/me")
@blp.response(200, MeSchema)
def me() -> User:
    """The user behind the token, with their role grants."""
    user: User = current_user._get_current_object()
    return user
