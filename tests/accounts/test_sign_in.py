"""Signing in and out: same answer for unknown users, real session ends, throttling."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from hubs.accounts import services
from hubs.accounts.models import ApiToken
from hubs.extensions import db
from tests.helpers import PASSWORD, csrf_from_html, login_through_form


def _post_login(client, email, password, next_url=None):
    token = csrf_from_html(client.get("/login").get_data(as_text=True))
    url = "/login" + (f"?next={next_url}" if next_url else "")
    return client.post(url, data={"email": email, "password": password, "csrf_token": token})


def _strip_token(html: str) -> str:
    return re.sub(r'(csrf[-_]token"?[^>]*?(?:value|content)=")[^"]+', r"\1", html)


def test_unknown_user_and_wrong_password_get_the_same_answer(client, make):
    user = make.user("manager")
    wrong = _post_login(client, user.email, "not-the-password")
    unknown = _post_login(client, "nobody@tests.example", "not-the-password")
    assert wrong.status_code == unknown.status_code == 401
    assert _strip_token(wrong.get_data(as_text=True)).replace(user.email, "?") == _strip_token(
        unknown.get_data(as_text=True)
    ).replace("nobody@tests.example", "?")
    assert "Het e-mailadres of het wachtwoord klopt niet." in wrong.get_data(as_text=True)


def test_deactivated_user_cannot_sign_in(client, make, app):
    user = make.user("manager")
    with app.app_context():
        services.deactivate_user(db.session.get(type(user), user.id))
    assert _post_login(client, user.email, PASSWORD).status_code == 401


def test_session_id_changes_at_sign_in(client, make):
    user = make.user("manager")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    before = client.get_cookie("hubs_session").value
    login_through_form(client, user)
    after = client.get_cookie("hubs_session").value
    assert before != after
    with client.session_transaction() as session:
        assert "planted" not in session


def test_cookie_flags(client, make):
    response = client.get("/login")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_old_cookie_is_dead_after_logout(client, make, app):
    user = make.user("manager")
    login_through_form(client, user)
    stolen = client.get_cookie("hubs_session").value
    assert client.get("/").status_code == 200
    client.post_form("/logout")
    replay = app.test_client()
    replay.set_cookie("hubs_session", stolen)
    response = replay.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_password_change_ends_other_sessions_but_not_this_one(app, make):
    user = make.user("manager")
    here, elsewhere = app.test_client(), app.test_client()
    login_through_form(here, user)
    login_through_form(elsewhere, user)
    with here.session_transaction() as session:
        this_session_key = session["_user_id"]  # what Flask-Login keeps: our session key
    with app.app_context():
        fresh = db.session.get(type(user), user.id)
        fresh.session_key = this_session_key
        services.change_password(fresh, PASSWORD, "Nieuw-wachtwoord-voor-de-hub")
    assert here.get("/").status_code == 200
    assert elsewhere.get("/").status_code == 302


def test_deactivation_ends_sessions_and_tokens_at_once(app, make, api_headers):
    user = make.user("manager")
    browser = app.test_client()
    login_through_form(browser, user)
    headers = api_headers(user)
    assert app.test_client().get("/api/v1/me", headers=headers).status_code == 200
    with app.app_context():
        services.deactivate_user(db.session.get(type(user), user.id))
        assert all(
            t.revoked_at
            for t in db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id))
        )
    assert browser.get("/").status_code == 302
    assert app.test_client().get("/api/v1/me", headers=headers).status_code == 401


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/hubs", "/hubs"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
    ],
)
def test_next_only_goes_to_local_paths(client, make, target, expected):
    user = make.user("manager")
    response = _post_login(client, user.email, PASSWORD, next_url=target)
    assert response.status_code == 302
    assert response.headers["Location"] == expected


@pytest.fixture
def app_config():
    return {"RATELIMIT_LOGIN": "5 per minute", "RATELIMIT_LOGIN_ACCOUNT": "3 per minute"}


def test_login_is_throttled_per_address(client, make):
    for n in range(5):
        assert _post_login(client, f"x{n}@tests.example", "wrong-password-1").status_code == 401
    response = _post_login(client, "y@tests.example", "wrong-password-1")
    assert response.status_code == 429
    assert "Te veel pogingen" in response.get_data(as_text=True)


def test_login_is_throttled_per_account_across_addresses(app, make):
    user = make.user("manager")
    statuses = []
    for n in range(4):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"10.0.0.{n + 1}"
        statuses.append(_post_login(client, user.email, "wrong-password-1").status_code)
    assert statuses == [401, 401, 401, 429]
