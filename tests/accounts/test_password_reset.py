"""Forgotten password: same answer for every address, a single-use expiring link by real
SMTP, throttled, and the reset ends every session."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from hubs.accounts import services
from hubs.accounts.models import User
from hubs.db import utcnow
from hubs.extensions import db
from hubs.mail.services import deliver_pending
from tests.helpers import (
    PASSWORD,
    link_in,
    login_through_form,
    path_of,
    queued_mail,
    security_events,
)
from tests.smtp import text_body

NEW = "Nieuw-wachtwoord-voor-de-hub"


def _ask(client, email):
    return client.post_form("/password/forgot", {"email": email})


def _reset_link(app, user):
    (message,) = [m for m in queued_mail(app, user.email) if "/password/reset/" in m.body_text]
    return path_of(link_in(message.body_text, "/password/reset/"))


def test_reset_by_mail_over_smtp_then_sign_in_with_the_new_password(app, make, smtp_server):
    user = make.user("manager", locale="en")
    elsewhere = app.test_client()
    login_through_form(elsewhere, user)  # a session that the reset must end
    client = app.test_client()
    response = _ask(client, user.email.upper())
    assert response.status_code == 302 and response.headers["Location"] == "/password/forgot/sent"
    with app.app_context():
        assert deliver_pending().sent == 1
    (mail,) = smtp_server.to(user.email)
    assert mail["Subject"] == "Choose a new password for Hubs"
    link = link_in(text_body(mail), "/password/reset/")
    assert link.startswith("http://hubs.test/password/reset/")
    form = client.get(path_of(link))
    assert form.status_code == 200
    mismatch = client.post_form(path_of(link), {"password": NEW, "repeat": NEW + "x"})
    assert mismatch.status_code == 422
    done = client.post_form(path_of(link), {"password": NEW, "repeat": NEW})
    assert done.status_code == 302 and done.headers["Location"] == "/login"
    assert elsewhere.get("/").status_code == 302  # every session ended
    login_through_form(app.test_client(), user, NEW)
    with app.app_context():
        assert services.authenticate(user.email, PASSWORD) is None
    # Single use.
    assert client.get(path_of(link)).status_code == 410
    again = client.post_form(path_of(link), {"password": NEW + "2", "repeat": NEW + "2"})
    assert again.status_code == 410
    kinds = [e.event for e in security_events(app)]
    assert "auth.reset_requested" in kinds and "auth.password_reset" in kinds
    # A notice that the password changed went out too (security mail).
    with app.app_context():
        deliver_pending()
    assert any("changed" in m["Subject"] for m in smtp_server.to(user.email))


def test_the_answer_is_the_same_whether_or_not_the_address_exists(app, client, make):
    user = make.user("manager")
    known = _ask(client, user.email)
    unknown = _ask(app.test_client(), "nobody@tests.example")
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"]
    page = client.get(known.headers["Location"]).text
    assert "Als er een Hubs-account is met dit e-mailadres" in page
    assert len(queued_mail(app, user.email)) == 1
    assert queued_mail(app, "nobody@tests.example") == []


def test_deactivated_accounts_get_no_link(app, client, make):
    user = make.user("manager")
    with app.app_context():
        services.deactivate_user(db.session.get(User, user.id))
    assert _ask(client, user.email).status_code == 302
    assert queued_mail(app, user.email) == []


def test_link_expires(app, client, make):
    user = make.user("manager")
    _ask(client, user.email)
    link = _reset_link(app, user)
    later = utcnow() + timedelta(minutes=app.config["PASSWORD_RESET_MINUTES"] + 1)
    with time_machine.travel(later, tick=False):
        response = app.test_client().get(link)
    assert response.status_code == 410 and "Nieuwe link aanvragen" in response.text


def test_new_password_must_follow_the_policy(app, client, make):
    user = make.user("manager")
    _ask(client, user.email)
    link = _reset_link(app, user)
    weak = client.post_form(link, {"password": "kort", "repeat": "kort"})
    assert weak.status_code == 422 and "Gebruik minstens 10 tekens." in weak.text
    assert client.get(link).status_code == 200  # still usable after a refused attempt


def test_a_tampered_link_is_refused(client):
    assert client.get("/password/reset/not-a-real-token").status_code == 410


@pytest.fixture
def app_config(request):
    config = {
        "RATELIMIT_PASSWORD_RESET": "3 per minute",
        "RATELIMIT_PASSWORD_RESET_ACCOUNT": "2 per hour",
    }
    if "smtp_server" in request.fixturenames:
        config.update(request.getfixturevalue("smtp_server").config())
    return config


def test_requests_are_throttled_per_client(client, make):
    statuses = [_ask(client, f"x{n}@tests.example").status_code for n in range(4)]
    assert statuses == [302, 302, 302, 429]


def test_requests_are_throttled_per_address(app, make):
    user = make.user("manager")
    statuses = []
    for n in range(3):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"10.0.1.{n + 1}"
        statuses.append(_ask(client, user.email).status_code)
    assert statuses == [302, 302, 429]
    assert len(queued_mail(app, user.email)) == 2
