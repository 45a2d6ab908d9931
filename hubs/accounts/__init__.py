"""Accounts: users, role grants, sign-in, sessions, API tokens, and people administration."""

from flask import Flask


def init_app(app: Flask) -> None:
    from hubs.accounts.views.people import bp as people_bp

    app.register_blueprint(people_bp)
