"""The profile: name and language, password change, notification choices, API tokens."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from hubs.accounts.models import ApiToken, User
from hubs.db import local_today, utcnow
from hubs.extensions import db
from hubs.mail import kinds
from hubs.mail.models import NotificationOptOut
from tests.helpers import PASSWORD, login_through_form, queued_mail, security_events

NEW = "Nieuw-wachtwoord-voor-de-hub"

kinds.register("probe_news", _l("Probe news"))


def test_user_menu_offers_profile_and_tokens(client, make):
    login_through_form(client, make.user("funder"))
    page = client.get("/").text
    assert 'href="/profile"' in page and 'href="/profile/tokens"' in page


def test_name_and_language(app, client, make):
    user = make.user("funder")
    login_through_form(client, user)
    empty = client.post_form("/profile", {"name": "", "locale": "nl"})
    assert empty.status_code == 422
    response = client.post_form("/profile", {"name": "Provincie Utrecht", "locale": "en"})
    assert response.status_code == 302
    page = client.get("/profile").text
    assert '<html lang="en">' in page and "My profile" in page
    with app.app_context():
        stored = db.session.get(User, user.id)
    assert (stored.name, stored.locale) == ("Provincie Utrecht", "en")


def test_password_change_ends_other_sessions_and_notifies(app, make):
    user = make.user("manager")
    here, elsewhere = app.test_client(), app.test_client()
    login_through_form(here, user)
    login_through_form(elsewhere, user)
    wrong = here.post_form(
        "/profile/password",
        {"current_password": "nope-nope-nope", "new_password": NEW, "repeat": NEW},
    )
    assert wrong.status_code == 422 and "Het huidige wachtwoord klopt niet." in wrong.text
    response = here.post_form(
        "/profile/password", {"current_password": PASSWORD, "new_password": NEW, "repeat": NEW}
    )
    assert response.status_code == 302
    assert here.get("/").status_code == 200
    assert elsewhere.get("/").status_code == 302
    (notice,) = queued_mail(app, user.email)
    assert notice.subject == "Uw wachtwoord voor Hubs is gewijzigd"
    assert [e.event for e in security_events(app, "auth.password_changed")] == [
        "auth.password_changed"
    ]


def test_notification_choices_but_never_security_mail(app, client, make):
    user = make.user("manager")
    login_through_form(client, user)
    page = client.get("/profile").text
    assert "Probe news" in page
    assert 'value="account"' not in page  # account/security mail cannot be switched off
    response = client.post_form("/profile/notifications", {"n-receive": []})
    assert response.status_code == 302
    with app.app_context():
        codes = set(
            db.session.scalars(
                select(NotificationOptOut.kind).where(NotificationOptOut.user_id == user.id)
            )
        )
    assert "probe_news" in codes and "account" not in codes
    client.post_form("/profile/notifications", {"n-receive": ["probe_news"]})
    with app.app_context():
        assert "probe_news" not in set(
            db.session.scalars(
                select(NotificationOptOut.kind).where(NotificationOptOut.user_id == user.id)
            )
        )


def test_tokens_created_shown_once_used_and_revoked(app, client, make):
    user = make.user("manager")
    login_through_form(client, user)
    until = (local_today() + timedelta(days=10)).isoformat()
    created = client.post_form("/profile/tokens", {"name": "Magister export", "expires_on": until})
    assert created.status_code == 201
    secret = created.text.split('id="new-token" type="text" readonly value="')[1].split('"')[0]
    assert secret.startswith("hubs_")
    assert secret not in client.get("/profile/tokens").text  # shown only once
    api = app.test_client()
    assert api.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    page = client.get("/profile/tokens").text
    assert "Magister export" in page and "nooit" not in page  # last use is shown
    with app.app_context():
        token = db.session.scalar(select(ApiToken).where(ApiToken.name == "Magister export"))
        assert token.expires_at.date() >= local_today() + timedelta(days=10)
    assert client.post_form(f"/profile/tokens/{token.id}/revoke").status_code == 400
    revoked = client.post_form(f"/profile/tokens/{token.id}/revoke", {"confirm": "yes"})
    assert revoked.status_code == 302
    assert api.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    events = [e.event for e in security_events(app) if e.event.startswith("api_token")]
    assert events == ["api_token.created", "api_token.revoked"]


def test_token_expiry_is_bounded_and_a_name_is_needed(client, make, app):
    login_through_form(client, make.user("manager"))
    too_long = (local_today() + timedelta(days=app.config["API_TOKEN_MAX_DAYS"] + 2)).isoformat()
    response = client.post_form("/profile/tokens", {"name": "Lang", "expires_on": too_long})
    assert response.status_code == 422 and "hoogstens 366 dagen" in response.text
    past = client.post_form("/profile/tokens", {"name": "Oud", "expires_on": "2001-01-01"})
    assert past.status_code == 422
    nameless = client.post_form("/profile/tokens", {"name": "", "expires_on": too_long})
    assert nameless.status_code == 422


def test_someone_elses_token_cannot_be_revoked(app, make):
    owner, other = make.user("manager"), make.user("manager")
    from hubs.accounts.services import issue_api_token

    with app.app_context():
        _, token = issue_api_token(owner, "private")
    client = app.test_client()
    login_through_form(client, other)
    assert (
        client.post_form(f"/profile/tokens/{token.id}/revoke", {"confirm": "yes"}).status_code
        == 404
    )
    assert "private" not in client.get("/profile/tokens").text


def test_expired_token_is_listed_as_expired(app, client, make):
    user = make.user("manager")
    from hubs.accounts.services import issue_api_token

    with app.app_context():
        issue_api_token(user, "kort", utcnow() + timedelta(hours=1))
    with time_machine.travel(utcnow() + timedelta(hours=2), tick=False):
        login_through_form(client, user)
        page = client.get("/profile/tokens").text
    assert "verlopen" in page
