"""argon2id hashes with real parameters, the password policy, upgrading old hashes."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from hubs.accounts import services
from hubs.accounts.models import User
from hubs.extensions import db
from tests.helpers import PASSWORD


def test_default_parameters_meet_owasp(tmp_path):
    from hubs import create_app

    app = create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x", "ENV": "testing"})
    with app.app_context():
        from hubs.accounts.passwords import hash_password

        hashed = hash_password("a long enough passphrase")
    assert hashed.startswith("$argon2id$v=19$")
    params = dict(part.split("=") for part in hashed.split("$")[3].split(","))
    # OWASP: argon2id with at least 19 MiB of memory and 2 iterations.
    assert int(params["m"]) >= 19 * 1024 and int(params["t"]) >= 2


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("kort123", "minstens 10 tekens"),
        ("qwertyuiop", "te vaak"),
        ("password123", "te vaak"),
        ("wachtwoord", "te vaak"),
    ],
)
def test_weak_passwords_are_refused(app, password, problem):
    with app.test_request_context(headers={"Accept-Language": "nl"}):
        problems = services.password_problems(password)
    assert problems and problem in problems[0]


def test_a_good_password_passes(app):
    with app.test_request_context():
        assert services.password_problems("Lasersnijder-in-Woerden") == []


def test_legacy_werkzeug_hash_is_upgraded_at_login(app, make, login, client):
    user = make.user("manager", password=None)
    with app.app_context():
        from hubs.db import write_transaction

        with write_transaction():
            db.session.get(User, user.id).password_hash = generate_password_hash(
                PASSWORD, method="pbkdf2:sha256:1000"
            )
    login(client, user, PASSWORD)
    with app.app_context():
        stored = db.session.scalar(select(User.password_hash).where(User.id == user.id))
    assert stored.startswith("$argon2id$")


def test_weaker_argon2_hash_is_upgraded_at_login(app, make, login, client):
    user = make.user("manager", password=None)
    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD)
    with app.app_context():
        from hubs.db import write_transaction

        with write_transaction():
            db.session.get(User, user.id).password_hash = weak
        app.config["ARGON2_MEMORY_COST"] = 16
    login(client, user, PASSWORD)
    with app.app_context():
        stored = db.session.scalar(select(User.password_hash).where(User.id == user.id))
    assert stored != weak and "m=16" in stored


def test_passwords_are_never_stored_in_clear(ctx, make):
    user = make.user("manager")
    assert PASSWORD not in user.password_hash
