"""Invitations: by mail over real SMTP, single use, expiry, re-send, withdraw, rights."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from sqlalchemy import select

from hubs.accounts.models import Role, RoleGrant, User
from hubs.db import utcnow
from hubs.extensions import db
from hubs.invitations.models import Invitation
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

NEW_PASSWORD = "Lasersnijden-in-Woerden-2025"


def _invite(client, org, email="nieuwe.docent@school.example", **extra):
    data = {"email": email, "name": "Nieuwe Docent", "role": "booker", "locale": "nl"}
    data["organisation_id"] = str(org.id)
    data.update(extra)
    return client.post_form("/invitations/new", data)


def _deliver(app):
    with app.app_context():
        return deliver_pending()


def test_org_admin_invites_a_colleague_who_sets_a_password_and_is_signed_in(
    app, client, make, smtp_server
):
    hub = make.hub()
    org = make.organisation(hubs=(hub,), name="Groene Hart College")
    admin = make.user(("booker", org, True))
    login_through_form(client, admin)
    response = _invite(client, org)
    assert response.status_code == 302
    assert _deliver(app).sent == 1
    (mail,) = smtp_server.to("nieuwe.docent@school.example")
    assert mail["Subject"] == "U bent uitgenodigd voor Hubs"
    body = text_body(mail)
    assert "Groene Hart College" in body
    link = link_in(body, "/invitation/")
    assert link.startswith("http://hubs.test/invitation/")

    invitee = app.test_client()
    page = invitee.get(path_of(link))
    assert page.status_code == 200 and "nieuwe.docent@school.example" in page.text
    weak = invitee.post_form(
        path_of(link),
        {"name": "Nieuwe Docent", "password": "wachtwoord123", "repeat": "wachtwoord123"},
    )
    assert weak.status_code == 422 and "komt te vaak voor" in weak.text
    done = invitee.post_form(
        path_of(link), {"name": "Nieuwe Docent", "password": NEW_PASSWORD, "repeat": NEW_PASSWORD}
    )
    assert done.status_code == 302 and done.headers["Location"] == "/"
    assert invitee.get("/").status_code == 200  # signed in
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "nieuwe.docent@school.example"))
        grant = db.session.scalar(select(RoleGrant).where(RoleGrant.user_id == user.id))
        assert (grant.role, grant.organisation_id, grant.is_org_admin) == (
            Role.BOOKER,
            org.id,
            False,
        )
    # The link works once.
    assert app.test_client().get(path_of(link)).status_code == 410
    # And the new password signs in from another browser.
    other = app.test_client()
    login_through_form(other, user, NEW_PASSWORD)
    kinds = [e.event for e in security_events(app)]
    assert "invitation.sent" in kinds and "invitation.accepted" in kinds
    assert "role.granted" in kinds


def test_links_come_from_base_url_not_from_the_host_header(app, client, make):
    org = make.organisation(hubs=(make.hub(),))
    admin = make.user(("booker", org, True))
    client.environ_base["HTTP_HOST"] = "evil.example"  # every request claims this Host
    login_through_form(client, admin)
    response = client.post_form(
        "/invitations/new",
        {
            "email": "x@school.example",
            "role": "booker",
            "organisation_id": str(org.id),
            "locale": "en",
        },
    )
    assert response.status_code == 302
    (message,) = queued_mail(app, "x@school.example")
    assert "evil.example" not in message.body_text + message.body_html
    assert link_in(message.body_text, "/invitation/").startswith("http://hubs.test/")
    assert message.subject == "You are invited to Hubs"  # the invitation's language


def test_token_is_long_random_and_stored_only_as_a_hash(app, client, make):
    org = make.organisation(hubs=(make.hub(),))
    login_through_form(client, make.user(("booker", org, True)))
    _invite(client, org)
    (message,) = queued_mail(app, "nieuwe.docent@school.example")
    token = link_in(message.body_text, "/invitation/").rsplit("/", 1)[1]
    assert len(token) >= 43  # 32 random bytes, base64: 256 bits
    with app.app_context():
        stored = db.session.scalars(select(Invitation.token_hash)).all()
    assert token not in stored and len(stored[0]) == 64


def test_link_expires_after_seven_days_and_resend_gives_a_new_one(app, client, make):
    org = make.organisation(hubs=(make.hub(),))
    admin = make.user(("booker", org, True))
    login_through_form(client, admin)
    _invite(client, org)
    (first,) = queued_mail(app, "nieuwe.docent@school.example")
    old_link = path_of(link_in(first.body_text, "/invitation/"))
    later = utcnow() + timedelta(days=7, minutes=1)
    with time_machine.travel(later, tick=False):
        assert app.test_client().get(old_link).status_code == 410
        client = app.test_client()  # the old browser session has run out by now
        login_through_form(client, admin)
        with app.app_context():
            invitation = db.session.scalar(select(Invitation))
        listing = client.get("/invitations?status=expired")
        assert "nieuwe.docent@school.example" in listing.text
        response = client.post_form(f"/invitations/{invitation.id}/resend")
        assert response.status_code == 302
        second = queued_mail(app, "nieuwe.docent@school.example")[-1]
        new_link = path_of(link_in(second.body_text, "/invitation/"))
        assert new_link != old_link
        assert app.test_client().get(old_link).status_code == 410
        assert app.test_client().get(new_link).status_code == 200


def test_withdrawn_invitation_no_longer_works(app, client, make):
    org = make.organisation(hubs=(make.hub(),))
    login_through_form(client, make.user(("booker", org, True)))
    _invite(client, org)
    (message,) = queued_mail(app, "nieuwe.docent@school.example")
    link = path_of(link_in(message.body_text, "/invitation/"))
    with app.app_context():
        invitation = db.session.scalar(select(Invitation))
    # A bare POST (no confirm=yes) withdraws nothing.
    assert client.post_form(f"/invitations/{invitation.id}/withdraw").status_code == 400
    assert app.test_client().get(link).status_code == 200
    response = client.post_form(f"/invitations/{invitation.id}/withdraw", {"confirm": "yes"})
    assert response.status_code == 302
    assert app.test_client().get(link).status_code == 410
    again = client.post_form(f"/invitations/{invitation.id}/withdraw", {"confirm": "yes"})
    assert again.status_code == 302  # explained with a message, not an error page
    assert "al geaccepteerd of ingetrokken" in client.get("/invitations").text


def test_a_second_open_invitation_for_the_same_role_is_refused(app, client, make):
    org = make.organisation(hubs=(make.hub(),))
    login_through_form(client, make.user(("booker", org, True)))
    assert _invite(client, org).status_code == 302
    again = _invite(client, org)
    assert again.status_code == 422 and "Stuur die opnieuw" in again.text
    assert len(queued_mail(app, "nieuwe.docent@school.example")) == 1


def test_coordinator_invites_into_member_organisations_of_their_hub_only(app, client, make):
    hub, other_hub = make.hub(), make.hub()
    member = make.organisation(hubs=(hub,))
    stranger = make.organisation(hubs=(other_hub,))
    login_through_form(client, make.user(("coordinator", hub)))
    page = client.get("/invitations/new")
    assert member.name in page.text and stranger.name not in page.text
    refused = _invite(client, stranger, email="a@b.example")
    assert refused.status_code == 422
    assert queued_mail(app, "a@b.example") == []
    assert _invite(client, member, email="c@d.example", is_org_admin="y").status_code == 302
    with app.app_context():
        invitation = db.session.scalar(select(Invitation))
    assert invitation.is_org_admin and invitation.organisation_id == member.id


def test_booker_without_admin_flag_cannot_invite(client, make):
    org = make.organisation(hubs=(make.hub(),))
    login_through_form(client, make.user(("booker", org)))
    assert client.get("/invitations/new").status_code == 403
    assert _invite(client, org).status_code == 403


def test_manager_invites_a_coordinator_for_a_hub(app, client, make):
    hub = make.hub(name="MAKE Center Test")
    login_through_form(client, make.user("manager"))
    missing_hub = client.post_form(
        "/invitations/new", {"email": "coord@hubs.example", "role": "coordinator", "locale": "nl"}
    )
    assert missing_hub.status_code == 422 and "Kies de hub." in missing_hub.text
    response = client.post_form(
        "/invitations/new",
        {
            "email": "coord@hubs.example",
            "role": "coordinator",
            "hub_id": str(hub.id),
            "locale": "nl",
        },
    )
    assert response.status_code == 302
    (message,) = queued_mail(app, "coord@hubs.example")
    assert "coördinator van MAKE Center Test" in message.body_text


def test_someone_with_an_account_accepts_and_signs_in_with_their_own_password(app, client, make):
    hub = make.hub()
    first, second = make.organisation(hubs=(hub,)), make.organisation(hubs=(hub,))
    teacher = make.user(("booker", first))
    login_through_form(client, make.user(("coordinator", hub)))
    _invite(client, second, email=teacher.email)
    (message,) = queued_mail(app, teacher.email)
    link = path_of(link_in(message.body_text, "/invitation/"))
    invitee = app.test_client()
    page = invitee.get(link)
    assert "U heeft al een Hubs-account" in page.text and 'name="password"' not in page.text
    response = invitee.post_form(link, {})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    login_through_form(invitee, teacher, PASSWORD)  # password unchanged
    with app.app_context():
        orgs = set(
            db.session.scalars(
                select(RoleGrant.organisation_id).where(RoleGrant.user_id == teacher.id)
            )
        )
    assert orgs == {first.id, second.id}


def test_deactivated_account_cannot_be_invited(app, client, make):
    from hubs.accounts import services

    org = make.organisation(hubs=(make.hub(),))
    gone = make.user(("booker", org))
    with app.app_context():
        services.deactivate_user(db.session.get(User, gone.id))
    login_through_form(client, make.user("manager"))
    response = _invite(client, org, email=gone.email)
    assert response.status_code == 422 and "gedeactiveerd" in response.text


def test_invitation_list_is_scoped_searchable_and_filtered(app, client, make):
    hub = make.hub()
    mine, theirs = make.organisation(hubs=(hub,)), make.organisation(hubs=(make.hub(),))
    admin = make.user(("booker", mine, True))
    other_admin = make.user(("booker", theirs, True))
    other = app.test_client()
    login_through_form(other, other_admin)
    _invite(other, theirs, email="hidden@theirs.example")
    login_through_form(client, admin)
    _invite(client, mine, email="anna@mine.example")
    _invite(client, mine, email="bob@mine.example")
    page = client.get("/invitations").text
    assert "anna@mine.example" in page and "hidden@theirs.example" not in page
    assert "bob@mine.example" not in client.get("/invitations?q=anna").text
    assert "anna@mine.example" not in client.get("/invitations?status=accepted").text
    sorted_page = client.get("/invitations?sort=email&dir=asc").text
    assert sorted_page.index("anna@") < sorted_page.index("bob@")


def test_with_smtp_down_the_invitation_still_succeeds_and_arrives_once_later(
    app, client, make, smtp_server
):
    org = make.organisation(hubs=(make.hub(),))
    login_through_form(client, make.user(("booker", org, True)))
    smtp_server.stop()
    assert _invite(client, org).status_code == 302  # nothing fails for the user
    assert _deliver(app).retried == 1
    smtp_server.start()
    with time_machine.travel(utcnow() + timedelta(minutes=5), tick=False):
        assert _deliver(app).sent == 1
        assert _deliver(app).attempted == 0
    (mail,) = smtp_server.to("nieuwe.docent@school.example")
    link = path_of(link_in(text_body(mail), "/invitation/"))
    assert app.test_client().get(link).status_code == 200
