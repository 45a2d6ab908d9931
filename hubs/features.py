"""The list of features: their blueprints, API blueprints, policies and commands.

Adding a feature means adding it here, nowhere else in the core.
"""

from __future__ import annotations

import importlib

from flask import Flask, request

from hubs.api.auth import is_api_request
from hubs.extensions import api, csrf

# Packages under hubs/ in registration order. Each may have: ``init_app(app)`` in its
# __init__.py, views.py (``bp``), api.py (``blp``), policies.py (visibility scopes),
# privacy.py (erasers, exporters and purgers registered with hubs.privacy),
# cli.py (``register(app)``) and demo.py (``load(ctx)``).
FEATURES = [
    "main",
    "accounts",
    "locations",
    "organisations",
    "mail",
    "audit",
    "invitations",
    "api",
    "exports",
    "privacy",
    "learners",
    "booking",
    "licences",
    "attendance",
    "series",
    "courses",
    "reports",
    "calendar",
    "funders",
]


def register_features(app: Flask) -> None:
    for name in FEATURES:
        package = importlib.import_module(f"hubs.{name}")
        if hasattr(package, "init_app"):
            package.init_app(app)
        # privacy.py registers the feature's erasers, exporters and purgers (hubs.privacy).
        for module in ("models", "policies", "privacy"):
            _import_optional(f"hubs.{name}.{module}")
        views = _import_optional(f"hubs.{name}.views")
        if views is not None:
            app.register_blueprint(views.bp)
        api_module = _import_optional(f"hubs.{name}.api")
        if api_module is not None:
            api.register_blueprint(api_module.blp)
        cli = _import_optional(f"hubs.{name}.cli")
        if cli is not None:
            cli.register(app)
    from hubs.demo import cli as demo_cli

    demo_cli.register(app)

    @app.before_request
    def _csrf_for_html_forms() -> None:
        if is_api_request():
            return
        if request.method in ("POST", "PUT", "PATCH", "DELETE"):
            csrf.protect()


def _import_optional(module: str):  # type: ignore[no-untyped-def]
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name == module:
            return None
        raise
