"""Test fixtures: one fresh database per test, on SQLite and (when configured) PostgreSQL.

Conventions (see tests/README.md):
- ``app`` is a fresh application on a fresh, migrated database. No app context is pushed,
  so every ``client`` request runs like a real one (own context, own session, own ``g``).
- ``ctx`` pushes an app context for service-level tests. Do not use ``client`` while it is
  pushed (the client refuses: requests would share the test's ``g`` and session).
- ``make`` builds rows (``make.hub()``, ``make.user(...)``); ``login(client, user)`` signs
  in through the real form; ``api_headers(user)`` gives a bearer token header.
- Every test that uses ``app`` runs once per database backend.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import settings
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.helpers import Factory, HubsClient

pytest_plugins = ["tests.smtp"]

# Property-based tests: thorough locally, bounded in CI (2 cores, ~30 minutes in all).
settings.register_profile("ci", max_examples=40, deadline=None, derandomize=True)
settings.register_profile("dev", max_examples=100, deadline=None)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE")
    or ("ci" if os.environ.get("HUBS_TEST_REQUIRE_ALL") else "dev")
)

PG_URL = os.environ.get("HUBS_TEST_POSTGRES_URL", "")
REQUIRE_ALL = os.environ.get("HUBS_TEST_REQUIRE_ALL", "") == "1"
BACKENDS = ["sqlite", "postgresql"]

TEST_CONFIG: dict[str, Any] = {
    "ENV": "testing",
    "TESTING": True,
    "SECRET_KEY": "test-secret-key",
    "BASE_URL": "http://hubs.test",
    # Cheap hashes keep the suite fast; test_passwords checks the real defaults.
    "ARGON2_TIME_COST": 1,
    "ARGON2_MEMORY_COST": 8,
    "ARGON2_PARALLELISM": 1,
    "RATELIMIT_STORAGE_URL": "memory://",
    # Mail goes to a folder unless a test asks for the real SMTP server (smtp_server).
    "MAIL_BACKEND": "folder",
    "MAIL_DELIVER_INLINE": False,
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Group tests by backend so each worker builds each template once.
    items.sort(key=lambda item: "postgresql" in item.nodeid)


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def _migrate(url: str) -> None:
    from flask_migrate import upgrade

    from hubs import create_app

    app = create_app({**TEST_CONFIG, "DATABASE_URL": url})
    with app.app_context():
        upgrade()
        from hubs.extensions import db

        db.engine.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    if name == "postgresql" and not PG_URL:
        if REQUIRE_ALL:
            pytest.fail("HUBS_TEST_POSTGRES_URL is not set but PostgreSQL is required")
        pytest.skip("PostgreSQL tests need HUBS_TEST_POSTGRES_URL")
    return name


@pytest.fixture(scope="session")
def database_template(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated database: a template file (SQLite) or a per-worker database (PostgreSQL)."""
    if backend == "sqlite":
        path = tmp_path_factory.mktemp("template") / "template.sqlite3"
        url = f"sqlite:///{path}"
        _migrate(url)
        engine = create_engine(url)
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.exec_driver_sql("PRAGMA journal_mode=DELETE")
        engine.dispose()
        yield str(path)
        return
    name = f"hubs_test_{_worker()}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    _migrate(url)
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _truncate_postgres(url: str) -> None:
    from hubs.extensions import db

    tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
def database_url(backend: str, database_template: str, tmp_path: Path) -> Iterator[str]:
    """A fresh database for one test."""
    if backend == "sqlite":
        path = tmp_path / "hubs.sqlite3"
        shutil.copyfile(database_template, path)
        yield f"sqlite:///{path}"
        return
    yield database_template
    _truncate_postgres(database_template)


@pytest.fixture
def app_config(request: pytest.FixtureRequest) -> dict[str, Any]:
    """Override in a module to change settings. Asking for ``smtp_server`` wires it in."""
    if "smtp_server" in request.fixturenames:
        return dict(request.getfixturevalue("smtp_server").config())
    return {}


@pytest.fixture
def app(database_url: str, app_config: dict[str, Any], tmp_path: Path) -> Iterator[Flask]:
    from hubs import create_app
    from hubs.extensions import db

    instance = tmp_path / "instance"
    instance.mkdir(exist_ok=True)
    application = create_app(
        {
            **TEST_CONFIG,
            "DATABASE_URL": database_url,
            "INSTANCE_PATH": str(instance),
            **app_config,
        }
    )
    application.test_client_class = HubsClient
    from hubs.extensions import limiter

    with application.app_context():
        limiter.reset()  # in-memory limits would otherwise carry over between tests
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def make_app(tmp_path: Path) -> Iterator[Any]:
    """``make_app(**config)``: more apps (e.g. two "workers"); their engines are disposed."""
    from hubs import create_app
    from hubs.extensions import db

    created: list[Flask] = []

    def factory(**config: Any) -> Flask:
        application = create_app(
            {**TEST_CONFIG, "INSTANCE_PATH": str(tmp_path / "instance"), **config}
        )
        application.test_client_class = HubsClient
        created.append(application)
        return application

    yield factory
    for application in created:
        with application.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def backend_name(app: Flask) -> str:
    return "postgresql" if app.config["DATABASE_URL"].startswith("postgresql") else "sqlite"


@pytest.fixture
def ctx(app: Flask) -> Iterator[Flask]:
    """An app context for service-level tests (no client requests while it is pushed)."""
    with app.app_context():
        yield app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def make(app: Flask) -> Factory:
    return Factory(app)


@pytest.fixture
def login(app: Flask):  # type: ignore[no-untyped-def]
    """``login(client, user)``: sign in through the real form."""
    from tests.helpers import login_through_form

    return login_through_form


@pytest.fixture
def api_headers(app: Flask):  # type: ignore[no-untyped-def]
    """``api_headers(user)``: an ``Authorization: Bearer`` header for ``user``."""
    from tests.helpers import bearer_headers

    return lambda user: bearer_headers(app, user)
