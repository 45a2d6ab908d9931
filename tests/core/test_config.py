"""Configuration order, the instance secret and the production safety checks."""

from __future__ import annotations

import stat

import pytest

from hubs import create_app


def _app(tmp_path, monkeypatch=None, **config):
    return create_app({"INSTANCE_PATH": str(tmp_path / "instance"), **config})


def test_defaults_then_instance_file_then_environment_then_test_config(tmp_path, monkeypatch):
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "config.py").write_text(
        "BASE_URL = 'https://from-instance.example'\nPAGE_SIZE = 40\nAPI_TOKEN_DAYS = 7\n"
    )
    monkeypatch.setenv("HUBS_PAGE_SIZE", "50")
    monkeypatch.setenv("HUBS_SECRET_KEY", "from-env")
    app = create_app({"INSTANCE_PATH": str(instance), "API_TOKEN_DAYS": 3})
    assert app.config["BASE_URL"] == "https://from-instance.example"  # instance over default
    assert app.config["PAGE_SIZE"] == 50  # environment over instance, parsed as a number
    assert app.config["API_TOKEN_DAYS"] == 3  # test config over everything
    assert app.config["SECRET_KEY"] == "from-env"
    assert app.config["RATELIMIT_STORAGE_URL"] == "memory://"  # untouched default


def test_database_url_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("HUBS_DATABASE_URL", f"sqlite:///{tmp_path}/other.sqlite3")
    app = _app(tmp_path)
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/other.sqlite3"


def test_default_database_is_a_sqlite_file_in_instance(tmp_path, monkeypatch):
    monkeypatch.delenv("HUBS_DATABASE_URL", raising=False)
    app = _app(tmp_path)
    assert app.config["SQLALCHEMY_DATABASE_URI"] == (
        f"sqlite:///{tmp_path / 'instance' / 'hubs.sqlite3'}"
    )


def test_secret_key_is_generated_once_into_instance_and_kept_private(tmp_path, monkeypatch):
    monkeypatch.delenv("HUBS_SECRET_KEY", raising=False)
    first = _app(tmp_path).config["SECRET_KEY"]
    second = _app(tmp_path).config["SECRET_KEY"]
    key_file = tmp_path / "instance" / "secret_key"
    assert first == second == key_file.read_text().strip()
    assert len(first) >= 64
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    other = create_app({"INSTANCE_PATH": str(tmp_path / "elsewhere")}).config["SECRET_KEY"]
    assert other != first  # never a hard-coded key


def test_production_refuses_to_start_with_debug_on(tmp_path, monkeypatch):
    monkeypatch.setenv("FLASK_DEBUG", "1")
    with pytest.raises(RuntimeError, match="debug"):
        _app(tmp_path, ENV="production")
    assert _app(tmp_path, ENV="development").debug


def test_production_cookies_are_secure_httponly_and_lax(tmp_path, monkeypatch):
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    app = _app(tmp_path, ENV="production")
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert not _app(tmp_path, ENV="development").config.get("SESSION_COOKIE_SECURE")


def test_wsgi_module_exposes_the_app(tmp_path, monkeypatch):
    import importlib

    monkeypatch.setenv("HUBS_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    import wsgi

    module = importlib.reload(wsgi)
    assert module.app.name == "hubs"
