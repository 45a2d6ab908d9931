"""Booking end to end in Chromium, axe-checked in Dutch and English.

- A teacher finds a free slot in the week view and books it (after fixing a mistake).
- A coordinator approves a request from their day, then closes that day; the booker of
  the hit booking is mailed (a real SMTP server), with a link to book another time.
"""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select

from hubs.booking.clock import monday_of, zone
from hubs.booking.models import Booking, BookingStatus
from hubs.db import utcnow
from hubs.extensions import db
from hubs.mail.services import deliver_pending
from tests.booking.helpers import booking_input, build_world, principal
from tests.browser.test_accessibility import Auditor, switch_language
from tests.smtp import text_body

pytestmark = pytest.mark.browser


def _next_tuesday():
    """Tuesday of next week, by the app's clock (bookings may not be in the past)."""
    today = utcnow().astimezone(zone(None)).date()
    return monday_of(today) + timedelta(days=8)


def _audit_both_languages(page: Page, auditor: Auditor, what: str, redo=None) -> None:
    """Axe the page in English and in Dutch (ending in Dutch). Switching the language of a
    page that answered a POST lands on the start page: ``redo()`` rebuilds the state."""
    url = page.url
    for lang in ("en", "nl"):
        switch_language(page, lang)
        if redo is not None:
            redo()
        elif page.url != url:
            page.goto(url)
        auditor.check(page, what, lang)


def test_a_teacher_finds_a_free_slot_and_books_it(app: Flask, make, new_context, sign_in):
    world = build_world(make)
    tuesday = _next_tuesday()
    page = new_context().new_page()
    auditor = Auditor()
    sign_in(page, world.booker.email)

    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Agenda").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(world.hub.name)
    week = tuesday.isocalendar().week
    if f"week {week}" not in page.get_by_role("heading", level=1).inner_text():
        page.get_by_role("link", name=f"week {week}").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"week {week}")
    _audit_both_languages(page, auditor, "week view")

    day = tuesday.strftime("%-d")
    free = page.get_by_role(
        "link", name=re.compile(rf"^Boek: Lasersnijder 1, di {day} \w+ 08:00–17:00, vrij$")
    )
    free.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Boeken bij {world.hub.name}")
    expect(page.get_by_label("Lasersnijder 1")).to_be_checked()
    form_url = page.url

    def mistaken(check: bool = False) -> None:
        if page.url != form_url:
            page.goto(form_url)
        page.locator("#start").fill("10:00")
        page.locator("#end").fill("09:00")
        page.locator("#group_name").fill("3K-PIE")
        page.locator("#group_size").fill("30")
        page.locator("form.booking-form button[type=submit]").click()
        expect(page.locator(".error-summary")).to_be_visible()

    mistaken()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Het einde moet na het begin liggen.")
    expect(summary).to_contain_text("Te veel personen")
    _audit_both_languages(page, auditor, "booking form with errors", redo=mistaken)

    page.get_by_label("Eindtijd").fill("11:30")
    page.get_by_label("Aantal personen").fill("4")
    page.get_by_label("Niveau").select_option("vmbo-kb")
    page.get_by_role("button", name="Boeken").click()
    expect(page.get_by_role("status")).to_contain_text("Geboekt.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("3K-PIE")
    expect(page.locator(".facts")).to_contain_text("10:00–11:30")
    _audit_both_languages(page, auditor, "booking page")

    page.get_by_role("link", name="Naar de agenda").click()
    mine = page.get_by_role(
        "link", name=re.compile(rf"Lasersnijder 1, di {day} \w+ 10:00–11:30, uw boeking: 3K-PIE")
    )
    expect(mine).to_be_visible()
    assert not auditor.report(), auditor.report()
    with app.app_context():
        booking = db.session.scalars(select(Booking)).one()
        assert booking.status == BookingStatus.CONFIRMED and booking.group_size == 4


@pytest.fixture
def app_config(app_config, smtp_server):
    return {**app_config, **smtp_server.config()}


def test_a_coordinator_approves_a_request_and_closes_the_day(
    app: Flask, make, new_context, sign_in, smtp_server
):
    from hubs.booking import configuration, services

    world = build_world(make)
    tuesday = _next_tuesday()
    tz = zone(None)
    with app.app_context():
        configuration.save_settings(
            world.hub.id,
            configuration.SettingsInput(False, False, 24, 72, False, "midden", [world.laser.id]),
            principal(world.coordinator),
        )
        start = datetime.combine(tuesday, time(9), tzinfo=tz)
        services.book(
            booking_input(
                [world.room, world.laser],
                start,
                start + timedelta(hours=2),
                group_name="2B",
                group_size=20,
            ),
            principal(world.booker),
        )
        deliver_pending()
    assert (
        str(smtp_server.to(world.booker.email)[0]["Subject"])
        .strip()
        .startswith("Boeking aangevraagd")
    )

    page = new_context().new_page()
    auditor = Auditor()
    sign_in(page, world.coordinator.email)
    requests = page.get_by_role("region", name="Aanvragen (oudste eerst)")
    expect(requests).to_contain_text("Groene Hart College: 2B")
    _audit_both_languages(page, auditor, "start page with the coordinator's day")
    requests.get_by_role("button", name=re.compile("^Goedkeuren")).click()
    expect(page.get_by_role("status")).to_contain_text("De aanvraag is goedgekeurd.")
    expect(page.get_by_role("region", name="Aanvragen (oudste eerst)")).to_contain_text(
        "Geen open aanvragen."
    )

    page.goto(f"/hubs/{world.hub.id}/closures")
    close = page.get_by_role("region", name="De hub sluiten")
    close.get_by_label("Eerste dag").fill(tuesday.isoformat())
    close.get_by_label("Laatste dag").fill(tuesday.isoformat())
    close.get_by_role("button", name="Sluiten").click()
    expect(page.locator(".error-summary")).to_contain_text("Reden")

    def no_reason() -> None:
        page.goto(f"/hubs/{world.hub.id}/closures")
        page.locator("#first_day").fill(tuesday.isoformat())
        page.locator("#last_day").fill(tuesday.isoformat())
        page.locator("form[action$='/closures'] button[type=submit]").click()
        expect(page.locator(".error-summary")).to_be_visible()

    _audit_both_languages(page, auditor, "closure form with an error", redo=no_reason)
    close = page.get_by_role("region", name="De hub sluiten")
    close.get_by_label("Eerste dag").fill(tuesday.isoformat())
    close.get_by_label("Laatste dag").fill(tuesday.isoformat())
    close.get_by_label("Reden").fill("Storing verwarming")
    close.get_by_role("button", name="Sluiten").click()

    expect(page.get_by_role("status")).to_contain_text("1 boeking wordt geraakt")
    expect(page.get_by_role("table")).to_contain_text("Sluiting: Storing verwarming")
    _audit_both_languages(page, auditor, "bookings hit by the closure")
    page.goto(f"/hubs/{world.hub.id}/conflicts")
    page.get_by_label(re.compile("Annuleren en de boekers een e-mail sturen")).check()
    page.get_by_role("button", name="Uitvoeren").click()
    expect(page.get_by_role("status")).to_contain_text("1 boeking geannuleerd")
    assert not auditor.report(), auditor.report()

    with app.app_context():
        assert {b.status for b in db.session.scalars(select(Booking))} == {BookingStatus.CANCELLED}
        deliver_pending()
    subjects = [str(m["Subject"]).strip() for m in smtp_server.to(world.booker.email)]
    assert subjects[1].startswith("Aanvraag goedgekeurd") and subjects[2].startswith(
        "Boeking geannuleerd"
    )
    body = text_body(smtp_server.to(world.booker.email)[2])
    assert "Storing verwarming" in body
    assert f"http://hubs.test/hubs/{world.hub.id}/week?date={tuesday.isoformat()}" in body
