"""The security log: what is recorded (ids, never names or addresses), who sees it."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from hubs.audit.services import log_security_event, purge_security_events
from hubs.db import utcnow
from tests.helpers import PASSWORD, csrf_from_html, login_through_form, main_of, security_events


def _failed_login(client, email):
    token = csrf_from_html(client.get("/login").text)
    return client.post(
        "/login", data={"email": email, "password": "wrong-password-1", "csrf_token": token}
    )


def test_sign_ins_and_failed_sign_ins_are_logged_by_id_and_address(app, make):
    user = make.user("manager", name="Marieke Jansen")
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "192.0.2.10"
    _failed_login(client, user.email)
    _failed_login(client, "nobody@tests.example")
    login_through_form(client, user)
    failed = security_events(app, "auth.sign_in_failed")
    assert [e.user_id for e in failed] == [user.id, None]
    assert all(e.actor_id is None and e.ip == "192.0.2.10" for e in failed)
    (signed_in,) = security_events(app, "auth.sign_in")
    assert (signed_in.actor_id, signed_in.user_id, signed_in.ip) == (user.id, user.id, "192.0.2.10")


def test_api_token_requests_are_logged(app, client, make):
    user = make.user("manager")
    client.post("/api/v1/tokens", json={"email": user.email, "password": "wrong-password-1"})
    client.post("/api/v1/tokens", json={"email": user.email, "password": PASSWORD})
    assert security_events(app, "auth.sign_in_failed")[0].details == {"channel": "api"}
    (created,) = security_events(app, "api_token.created")
    assert created.user_id == user.id and created.target_type == "api_token"


def test_no_names_or_addresses_are_stored(app, make):
    """Everything the log holds is an id, a code or an address of a machine."""
    org = make.organisation(hubs=(make.hub(),))
    admin = make.user(("booker", org, True), name="Anna Admin")
    client = app.test_client()
    _failed_login(client, "someone@tests.example")
    login_through_form(client, admin)
    client.post_form(
        "/invitations/new",
        {
            "email": "new@school.example",
            "name": "Nieuwe Naam",
            "role": "booker",
            "organisation_id": str(org.id),
            "locale": "nl",
        },
    )
    rows = security_events(app)
    assert {e.event for e in rows} >= {"auth.sign_in", "auth.sign_in_failed", "invitation.sent"}
    text = repr(
        [(e.event, e.actor_id, e.user_id, e.target_type, e.target_id, e.details) for e in rows]
    )
    for personal in ("@", "Anna", "Nieuwe", "someone"):
        assert personal not in text


def test_the_service_refuses_unknown_events_and_free_text(app):
    with app.app_context():
        with pytest.raises(ValueError, match="unknown security event"):
            log_security_event("made.up", actor_id=1)
        with pytest.raises(ValueError):
            log_security_event("data.exported", actor_id=1, details={"file": "Jan Jansen.xlsx"})
        with pytest.raises(ValueError):
            log_security_event("data.exported", actor_id=1, details={"to": "jan@x.example"})
        event = log_security_event(
            "data.exported",
            actor_id=1,
            target_type="report",
            details={"format": "xlsx", "rows": 120},
        )
    assert event.details == {"format": "xlsx", "rows": 120} and event.ip is None


def test_only_managers_see_the_log_in_the_menu_and_the_page(app, make):
    hub = make.hub()
    for user, allowed in [
        (make.user("manager"), True),
        (make.user(("coordinator", hub)), False),
        (make.user("funder"), False),
    ]:
        client = app.test_client()
        login_through_form(client, user)
        assert (client.get("/security-log").status_code == 200) is allowed
        assert ("Beveiligingslog" in client.get("/").text) is allowed


def _rows(response):
    html = main_of(response)
    return html[html.index("<tbody>") : html.index("</tbody>")]


def test_log_page_filters_and_paginates(app, client, make):
    manager = make.user("manager")
    other = make.user("funder")
    with app.app_context():
        for _ in range(30):
            log_security_event("auth.sign_in_failed", actor_id=None, user_id=other.id)
        log_security_event("user.deactivated", actor_id=manager.id, user_id=other.id)
    login_through_form(client, manager)
    page = main_of(client.get("/security-log"))
    assert (
        "Gebruiker gedeactiveerd" in _rows(client.get("/security-log")) and "Pagina 1 van 2" in page
    )
    only = _rows(client.get("/security-log?event=user.deactivated"))
    assert "Mislukte inlogpoging" not in only and "Gebruiker gedeactiveerd" in only
    mine = _rows(client.get(f"/security-log?user_id={manager.id}"))
    assert "Gebruiker gedeactiveerd" in mine and "Ingelogd" in mine
    assert "Mislukte inlogpoging" not in mine
    tomorrow = (utcnow() + timedelta(days=2)).date().isoformat()
    assert "Geen gebeurtenissen gevonden." in main_of(client.get(f"/security-log?since={tomorrow}"))
    bad = client.get("/security-log?user_id=abc")
    assert bad.status_code == 422


def test_old_events_are_purged_after_the_retention_period(app, make):
    with app.app_context():
        log_security_event("auth.sign_in", actor_id=1)
        assert purge_security_events() == 0
        later = utcnow() + timedelta(days=app.config["SECURITY_LOG_RETENTION_DAYS"] + 1)
        with time_machine.travel(later, tick=False):
            log_security_event("auth.sign_in", actor_id=2)
            assert purge_security_events() == 1
    assert [e.actor_id for e in security_events(app)] == [2]
