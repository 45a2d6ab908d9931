"""Configuration: defaults here, then ``instance/config.py``, then ``HUBS_*`` environment.

Every setting can be given as an environment variable with the ``HUBS_`` prefix, e.g.
``HUBS_DATABASE_URL`` or ``HUBS_SMTP_HOST``. Values are parsed as JSON when they look like
JSON (``HUBS_SMTP_PORT=2525`` is an int), otherwise taken as strings.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from flask import Flask


class Defaults:
    """Settings every deployment starts from."""

    # "production" (the safe default), "development" (make run) or "testing".
    ENV = "production"
    # A SQLite file in instance/ unless HUBS_DATABASE_URL says otherwise.
    DATABASE_URL: str | None = None
    SECRET_KEY: str | None = None
    # Links in mail and calendar feeds are built from this, never from the Host header.
    BASE_URL = "http://127.0.0.1:5000"

    BABEL_DEFAULT_LOCALE = "nl"
    BABEL_DEFAULT_TIMEZONE = "Europe/Amsterdam"
    LANGUAGES = ("nl", "en")

    # Request size limit (uploads included); larger bodies get a 413.
    MAX_CONTENT_LENGTH = 8 * 1024 * 1024
    MAX_FORM_MEMORY_SIZE = 2 * 1024 * 1024

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_NAME = "hubs_session"
    PERMANENT_SESSION_LIFETIME = 12 * 3600

    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session

    # Rate limits: in-memory per process unless a shared storage is configured.
    RATELIMIT_STORAGE_URL = "memory://"
    RATELIMIT_LOGIN = "10 per minute;50 per hour"
    RATELIMIT_LOGIN_ACCOUNT = "5 per minute;30 per hour"
    RATELIMIT_ENABLED = True

    # argon2id parameters (RFC 9106 "low memory" profile, above the OWASP minimum).
    ARGON2_TIME_COST = 3
    ARGON2_MEMORY_COST = 64 * 1024  # KiB
    ARGON2_PARALLELISM = 4
    PASSWORD_MIN_LENGTH = 10

    API_TOKEN_DAYS = 30  # default lifetime of an API token
    API_TOKEN_MAX_DAYS = 366  # the longest a user may choose
    INVITATION_DAYS = 7  # an invitation link works this long
    PASSWORD_RESET_MINUTES = 60  # a "forgot password" link works this long
    # "Forgot password" requests: per client address, and per e-mail address asked for.
    RATELIMIT_PASSWORD_RESET = "5 per minute;20 per hour"
    RATELIMIT_PASSWORD_RESET_ACCOUNT = "3 per hour"
    SECURITY_LOG_RETENTION_DAYS = 365
    INVITATION_RETENTION_DAYS = 90  # ended invitations (with their address) are then removed
    PAGE_SIZE = 25

    # flask-smorest / OpenAPI
    API_TITLE = "Hubs API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"

    # Mail: "smtp" (production), "console" (make run) or "folder" (.eml files).
    MAIL_BACKEND = "smtp"
    MAIL_FROM = "Hubs MKB-Deal <noreply@hubs.example>"
    MAIL_FOLDER = ""  # default: instance/mail
    # Deliver right after the request that queued mail (development); production runs
    # `flask outbox work` instead. Defaults to on for the console and folder backends.
    MAIL_DELIVER_INLINE: bool | None = None
    SMTP_HOST = "localhost"
    SMTP_PORT = 25
    SMTP_USERNAME = ""
    SMTP_PASSWORD = ""
    SMTP_STARTTLS = False
    SMTP_SSL = False
    SMTP_TIMEOUT = 10
    MAIL_MAX_ATTEMPTS = 10
    MAIL_RETRY_SECONDS = 30  # the first retry's delay; it doubles per attempt (max 6 h)
    MAIL_BATCH_SIZE = 50
    MAIL_LEASE_SECONDS = 300
    MAIL_RETENTION_DAYS = 30

    # Imports of group and individual lists (CSV/XLSX): larger files get a 413, more
    # rows a 422.
    IMPORT_MAX_BYTES = 2 * 1024 * 1024
    IMPORT_MAX_ROWS = 5000
    # Retention of learners' personal data, in years after their last enrolment ends,
    # per learner category (`flask privacy purge` anonymises what is past it).
    RETENTION_YEARS = {"vo": 2, "mbo": 2, "employee": 7, "other": 2}
    # Parsed uploads waiting for confirmation are removed after this many hours.
    IMPORT_UPLOAD_HOURS = 24

    SQLALCHEMY_RECORD_QUERIES = False
    # How long a SQLite writer waits for the write lock before giving up.
    SQLITE_BUSY_TIMEOUT_MS = 30000


def load_config(app: Flask, test_config: dict[str, Any] | None) -> None:
    """Fill ``app.config``: defaults, ``instance/config.py``, ``HUBS_*`` env, test overrides."""
    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("HUBS")
    if test_config:
        app.config.update(test_config)

    if not app.config.get("DATABASE_URL"):
        app.config["DATABASE_URL"] = "sqlite:///" + str(Path(app.instance_path) / "hubs.sqlite3")
    app.config["SQLALCHEMY_DATABASE_URI"] = app.config["DATABASE_URL"]
    app.config["BASE_URL"] = str(app.config["BASE_URL"]).rstrip("/")
    app.config["TESTING"] = app.config.get("TESTING") or app.config["ENV"] == "testing"
    if app.config["MAIL_DELIVER_INLINE"] is None:
        app.config["MAIL_DELIVER_INLINE"] = app.config["MAIL_BACKEND"] in ("console", "folder")
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(app)
    if app.config["ENV"] == "production":
        app.config["SESSION_COOKIE_SECURE"] = True
        if app.debug or app.config.get("DEBUG"):
            raise RuntimeError(
                "Refusing to start: debug mode is on while HUBS_ENV is 'production'."
            )


def _instance_secret(app: Flask) -> str:
    """Read the instance's random secret key, creating it once (never committed)."""
    path = Path(app.instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".secret_key.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
        try:
            os.link(tmp, path)  # atomic: a worker racing us keeps whichever key won
        except FileExistsError:
            pass
        finally:
            os.unlink(tmp)
    return path.read_text().strip()
