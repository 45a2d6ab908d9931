"""Hubs: bookings and learner tracking for the MKB-Deal training hubs in Utrecht-West."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the application: configuration, extensions, blueprints, commands."""
    from hubs import errorpages, i18n, nav, security
    from hubs.api import auth as api_auth
    from hubs.config import load_config
    from hubs.db import install_engine_hooks
    from hubs.extensions import api, csrf, db, limiter, login_manager, migrate
    from hubs.features import register_features

    instance_path = (test_config or {}).get("INSTANCE_PATH") or os.environ.get("HUBS_INSTANCE_PATH")
    app = Flask(__name__, instance_relative_config=True, instance_path=instance_path)
    load_config(app, test_config)
    app.json.sort_keys = False  # type: ignore[attr-defined]  # keep our schemas' order
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", _engine_options(app))
    db.init_app(app)
    with app.app_context():
        install_engine_hooks(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])
    migrate.init_app(
        app,
        db,
        directory=str(Path(app.root_path).parent / "migrations"),
        render_as_batch=True,
        compare_type=True,
    )

    # CSRF is checked by our own hook so that the token-only API is exempt by path.
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    csrf.init_app(app)
    login_manager.init_app(app)
    app.config["RATELIMIT_STORAGE_URI"] = app.config["RATELIMIT_STORAGE_URL"]
    limiter.init_app(app)
    i18n.init_app(app)
    api_auth.init_app(app)
    api.init_app(app)
    api.spec.components.security_scheme(
        "bearerAuth", {"type": "http", "scheme": "bearer", "description": "POST /api/v1/tokens"}
    )
    api.spec.options["security"] = [{"bearerAuth": []}]
    security.init_app(app)
    nav.init_app(app)
    register_features(app)
    # After api.init_app: our handler serves both HTML pages and the API's JSON errors.
    errorpages.init_app(app)
    return app


def _engine_options(app: Flask) -> dict[str, Any]:
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        timeout = app.config["SQLITE_BUSY_TIMEOUT_MS"] / 1000
        return {"connect_args": {"timeout": timeout, "check_same_thread": False}}
    return {"pool_pre_ping": True}
