"""Running the hubs, end to end in Chromium with a real SMTP server (aiosmtpd):

- a coordinator sets up a new resource and a new member school and invites its teacher;
  the teacher gets the mail, opens the link, chooses a password and is signed in;
- a forgotten password is reset through the link in the mail;
- a deactivated user is locked out everywhere: browser, API token, sign-in, reset mail.

Mail is delivered by the outbox (``deliver_pending``, what ``flask outbox work`` runs) to
the test's SMTP server and read back from it; links come from ``BASE_URL``, here the
live server.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from hubs.demo import DEMO_PASSWORD
from hubs.mail.services import deliver_pending
from tests.helpers import link_in
from tests.smtp import text_body

pytestmark = pytest.mark.browser

COORDINATOR = "coordinator.technohub@hubs.example"
NEW_PASSWORD = "Frezen-en-lassen-in-Woerden"


@pytest.fixture
def app_config(app_config: dict[str, Any], smtp_server: Any) -> dict[str, Any]:
    return {**app_config, **smtp_server.config()}


@pytest.fixture
def hubs_app(app: Flask, live_server: str) -> Flask:
    """The demo data, with mail links pointing at the live server."""
    from hubs.demo.cli import load_demo

    app.config["BASE_URL"] = live_server
    with app.app_context():
        load_demo()
    return app


def _mail_to(app: Flask, smtp_server: Any, address: str) -> str:
    """Deliver the outbox (as the worker would) and return the newest mail's text."""
    with app.app_context():
        deliver_pending()
    messages = smtp_server.to(address)
    assert messages, f"no mail for {address}"
    return text_body(messages[-1])


def _flash(page: Page) -> Any:
    return page.locator(".flashes")


def test_coordinator_sets_up_a_resource_and_a_school_and_invites_its_teacher(
    hubs_app, smtp_server, new_context, sign_in
):
    coordinator = new_context().new_page()
    sign_in(coordinator, COORDINATOR, DEMO_PASSWORD)
    coordinator.get_by_role("link", name="Hubs", exact=True).first.click()
    coordinator.get_by_role("link", name="TechnoHUB Woerden").click()

    # A new machine.
    coordinator.get_by_role("link", name="Nieuwe machine of ruimte").click()
    coordinator.get_by_label("Naam").fill("Lasersnijder 3")
    coordinator.get_by_label("Soort").select_option("machine")
    coordinator.get_by_label("Capaciteit (personen)").fill("4")
    coordinator.get_by_label("Machinepaspoort nodig").fill("Laser")
    coordinator.get_by_role("button", name="Toevoegen").click()
    expect(coordinator.get_by_role("heading", level=1)).to_have_text("Lasersnijder 3")
    expect(coordinator.locator("dl.facts")).to_contain_text("laser")

    # A new member school of the hub, with a mistake first.
    coordinator.get_by_role("link", name="TechnoHUB Woerden").click()
    coordinator.get_by_role("link", name="Aangesloten organisaties").click()
    coordinator.get_by_role("link", name="Nieuwe organisatie").click()
    coordinator.get_by_label("Naam").fill("Kalsbeek College")
    coordinator.get_by_label("Soort").select_option("vo_school")
    coordinator.get_by_label("BRIN-nummer").fill("2KB")
    coordinator.get_by_label("Plaats").fill("Woerden")
    coordinator.get_by_role("button", name="Organisatie toevoegen").click()
    summary = coordinator.locator(".error-summary")
    expect(summary).to_contain_text("twee cijfers en twee letters")
    coordinator.get_by_label("BRIN-nummer").fill("02KB")
    coordinator.get_by_role("button", name="Organisatie toevoegen").click()
    expect(coordinator.get_by_role("heading", level=1)).to_have_text("Kalsbeek College")
    expect(coordinator.get_by_role("main")).to_contain_text("TechnoHUB Woerden")

    # Invite the school's teacher.
    coordinator.get_by_role("link", name="Iemand uitnodigen").click()
    coordinator.get_by_label("E-mailadres").fill("m.dekker@kalsbeek.example")
    coordinator.get_by_label("Naam").fill("Mirjam Dekker")
    coordinator.get_by_role("button", name="Uitnodiging versturen").click()
    expect(_flash(coordinator)).to_contain_text("m.dekker@kalsbeek.example")

    # The teacher receives the mail and follows its link.
    body = _mail_to(hubs_app, smtp_server, "m.dekker@kalsbeek.example")
    assert "Kalsbeek College" in body
    link = link_in(body, "/invitation/")
    teacher = new_context().new_page()
    teacher.goto(link)
    expect(teacher.get_by_role("heading", level=1)).to_have_text("Welkom bij Hubs")
    expect(teacher.get_by_label("Uw naam")).to_have_value("Mirjam Dekker")
    teacher.get_by_label("Kies een wachtwoord").fill("wachtwoord123")
    teacher.get_by_label("Herhaal het wachtwoord").fill("wachtwoord123")
    teacher.get_by_role("button", name="Mijn account maken").click()
    expect(teacher.locator(".error-summary")).to_contain_text("komt te vaak voor")
    teacher.get_by_label("Kies een wachtwoord").fill(NEW_PASSWORD)
    teacher.get_by_label("Herhaal het wachtwoord").fill(NEW_PASSWORD)
    teacher.get_by_role("button", name="Mijn account maken").click()
    expect(teacher).to_have_url(re.compile(r"/$"))
    expect(_flash(teacher)).to_contain_text("Welkom bij Hubs!")
    expect(teacher.get_by_role("main")).to_contain_text("Kalsbeek College")
    expect(teacher.get_by_role("main")).to_contain_text("TechnoHUB Woerden")

    # The link is used up; the password works in a fresh browser.
    other = new_context().new_page()
    other.goto(link)
    expect(other.get_by_role("heading", level=1)).to_have_text("Deze uitnodiging werkt niet meer")
    sign_in(other, "m.dekker@kalsbeek.example", NEW_PASSWORD)

    # The coordinator sees the invitation as accepted.
    coordinator.goto("/invitations?status=accepted")
    expect(coordinator.get_by_role("main")).to_contain_text("m.dekker@kalsbeek.example")


def test_a_forgotten_password_is_reset_through_the_mail(
    hubs_app, smtp_server, new_context, sign_in
):
    page = new_context().new_page()
    page.goto("/login")
    page.get_by_role("link", name="Wachtwoord vergeten?").click()
    page.get_by_label("E-mailadres").fill("teacher.a@school-a.example")
    page.get_by_role("button", name="Link versturen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kijk in uw mail")

    link = link_in(
        _mail_to(hubs_app, smtp_server, "teacher.a@school-a.example"), "/password/reset/"
    )
    page.goto(link)
    page.locator("#password").fill(NEW_PASSWORD)
    page.locator("#repeat").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Wachtwoord opslaan").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(_flash(page)).to_contain_text("Uw wachtwoord is gewijzigd")

    # The old password no longer works; the new one does.
    page.get_by_label("E-mailadres").fill("teacher.a@school-a.example")
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.locator("form:has(#password) button[type=submit]").click()
    expect(page.locator(".error-summary")).to_contain_text("klopt niet")
    sign_in(page, "teacher.a@school-a.example", NEW_PASSWORD)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Deze link werkt niet meer")


def test_a_deactivated_user_is_locked_out_everywhere(hubs_app, smtp_server, new_context, sign_in):
    teacher_context = new_context()
    teacher = teacher_context.new_page()
    sign_in(teacher, "teacher.b@school-b.example", DEMO_PASSWORD)
    # The teacher has an API token for their school's spreadsheet.
    teacher.goto("/profile/tokens")
    teacher.get_by_label("Naam").fill("Rooster-export")
    teacher.get_by_role("button", name="Token maken").click()
    secret = teacher.get_by_label("Token", exact=True).input_value()
    api = teacher_context.request
    headers = {"Authorization": f"Bearer {secret}"}
    assert api.get("/api/v1/me", headers=headers).status == 200

    coordinator = new_context().new_page()
    sign_in(coordinator, COORDINATOR, DEMO_PASSWORD)
    coordinator.get_by_role("link", name="Gebruikers").click()
    coordinator.get_by_label("Zoek op naam of e-mailadres").fill("teacher.b")
    coordinator.get_by_role("button", name="Zoeken").click()
    coordinator.get_by_role("link", name="Bram Koster").click()
    coordinator.get_by_role("button", name="Account deactiveren").click()
    expect(_flash(coordinator)).to_contain_text("gedeactiveerd en overal uitgelogd")

    # Browser session: gone at the next click.
    teacher.reload()
    expect(teacher).to_have_url(re.compile(r"/login\?next="))
    # API token: refused.
    assert api.get("/api/v1/me", headers=headers).status == 401
    # Signing in again: refused, with the same answer as a wrong password.
    teacher.get_by_label("E-mailadres").fill("teacher.b@school-b.example")
    teacher.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    teacher.locator("form:has(#password) button[type=submit]").click()
    expect(teacher.locator(".error-summary")).to_contain_text("klopt niet")
    # A reset link: not sent (the page says the same as always).
    teacher.goto("/password/forgot")
    teacher.get_by_label("E-mailadres").fill("teacher.b@school-b.example")
    teacher.get_by_role("button", name="Link versturen").click()
    expect(teacher.get_by_role("heading", level=1)).to_have_text("Kijk in uw mail")
    with hubs_app.app_context():
        deliver_pending()
    assert smtp_server.to("teacher.b@school-b.example") == []
