"""Fresh databases for a run: a SQLite file under bench/out/, or a database of its own
on the PostgreSQL cluster named by ``HUBS_BENCH_POSTGRES_URL`` (never the app's own)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

OUT = Path(__file__).resolve().parent / "out"
# Two runs on one PostgreSQL cluster (two worktrees, say) each need their own databases.
PG_PREFIX = os.environ.get("HUBS_BENCH_PG_PREFIX", "hubs_bench_")

BENCH_CONFIG: dict[str, Any] = {
    "ENV": "testing",
    "TESTING": True,
    "SECRET_KEY": "bench-secret-key",
    "BASE_URL": "http://hubs.bench",
    "MAIL_BACKEND": "folder",
    "MAIL_DELIVER_INLINE": False,
    "RATELIMIT_ENABLED": False,
}


def sqlite_url(name: str) -> str:
    OUT.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{OUT / f'{name}.sqlite3'}"


def fresh(backend: str, name: str, postgres_url: str = "") -> str:
    """An empty database for ``name`` on ``backend`` (any previous one is removed)."""
    if backend == "sqlite":
        url = sqlite_url(name)
        for suffix in ("", "-wal", "-shm"):
            Path(make_url(url).database + suffix).unlink(missing_ok=True)  # type: ignore[operator]
        return url
    database = f"{PG_PREFIX}{name}"
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{database}"'))
    admin.dispose()
    return make_url(postgres_url).set(database=database).render_as_string(hide_password=False)


def existing(backend: str, name: str, postgres_url: str = "") -> str:
    """The URL ``fresh`` gave for ``name`` (for --reuse)."""
    if backend == "sqlite":
        return sqlite_url(name)
    database = f"{PG_PREFIX}{name}"
    return make_url(postgres_url).set(database=database).render_as_string(hide_password=False)


def bench_app(url: str) -> Flask:
    """The bench application (the production app plus the floor endpoint) on ``url``."""
    from bench.app import create_bench_app

    return create_bench_app({**BENCH_CONFIG, "DATABASE_URL": url, "INSTANCE_PATH": str(OUT)})


def migrate(url: str) -> None:
    """The schema at head, as production has it (triggers and exclusion constraint included)."""
    from flask_migrate import upgrade

    app = bench_app(url)
    with app.app_context():
        upgrade()
        from hubs.extensions import db

        db.engine.dispose()
