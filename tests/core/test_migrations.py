"""The migrations build the schema from empty and agree with the models."""

from __future__ import annotations

import warnings

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from hubs.extensions import db


def _diff(app):
    with app.app_context(), db.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True, "render_as_batch": True})
        with warnings.catch_warnings():
            # Expression indexes cannot be reflected; tests below check them directly.
            warnings.filterwarnings("ignore", message=".*expression-based index.*")
            return compare_metadata(ctx, db.metadata)


def test_models_and_migrations_agree(app):
    assert _diff(app) == []


def test_downgrade_to_empty_and_upgrade_again(app):
    from flask_migrate import downgrade, upgrade

    with app.app_context():
        downgrade(revision="base")
        with db.engine.connect() as conn:
            tables = set(db.inspect(conn).get_table_names()) - {"alembic_version"}
        assert tables == set()
        upgrade()
    assert _diff(app) == []


def test_one_grant_per_user_role_and_scope(app, make):
    user = make.user("manager")
    with app.app_context(), pytest.raises(IntegrityError), db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO role_grants (user_id, role, is_org_admin, created_at) "
                "VALUES (:u, 'manager', false, CURRENT_TIMESTAMP)"
            ),
            {"u": user.id},
        )
