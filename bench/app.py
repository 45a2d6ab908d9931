"""The bench application: production's ``create_app()`` plus the floor endpoint.

``POST /api/v1/bench/floor`` inserts one row with no rules at all. It runs through the
same stack as ``POST /api/v1/bookings`` (gunicorn, Flask, token authentication, the same
write transaction: ``BEGIN IMMEDIATE`` on SQLite), so the ratio between the two is what
the booking rules cost. It is registered here only, never in :func:`hubs.create_app`.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, jsonify, request
from flask.wrappers import Response
from sqlalchemy import text

from hubs import create_app
from hubs.db import write_transaction

FLOOR_TABLE = """
CREATE TABLE IF NOT EXISTS bench_floor (
    id {pk},
    resource_id INTEGER NOT NULL,
    start_at VARCHAR(40) NOT NULL,
    end_at VARCHAR(40) NOT NULL,
    group_name VARCHAR(60) NOT NULL
)
"""

floor = Blueprint("bench_floor", __name__)


@floor.post("/api/v1/bench/floor")
def insert_one() -> tuple[Response, int]:
    """The floor: one INSERT of what the client sent, in one write transaction."""
    data: dict[str, Any] = request.get_json(force=True)
    with write_transaction() as session:
        session.execute(
            text(
                "INSERT INTO bench_floor (resource_id, start_at, end_at, group_name) "
                "VALUES (:r, :s, :e, :g)"
            ),
            {
                "r": int(data["resource_ids"][0]),
                "s": str(data["start"]),
                "e": str(data["end"]),
                "g": str(data["group_name"]),
            },
        )
    return jsonify({"ok": True}), 201


def floor_table_ddl(dialect: str) -> str:
    pk = "SERIAL PRIMARY KEY" if dialect == "postgresql" else "INTEGER PRIMARY KEY"
    return FLOOR_TABLE.format(pk=pk)


def create_bench_app(config: dict[str, Any] | None = None) -> Flask:
    """``create_app()`` with the floor endpoint added."""
    app = create_app(config)
    app.register_blueprint(floor)
    return app


def wsgi() -> Flask:
    """Entry point for gunicorn: ``gunicorn 'bench.app:wsgi()'`` (configured by HUBS_*)."""
    return create_bench_app()
