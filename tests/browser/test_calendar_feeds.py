"""Calendar feeds end to end in Chromium, axe-checked in Dutch and English.

A teacher downloads a booking as ``.ics`` from its page, makes a feed link for the hub
from the user menu, the calendar app fetches it, and stopping the feed kills the link.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from urllib.parse import urlsplit

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from hubs.booking.clock import monday_of, zone
from hubs.db import utcnow
from tests.booking.helpers import booking_input, build_world, principal
from tests.browser.test_accessibility import Auditor, switch_language
from tests.calendar.helpers import read, uid

pytestmark = pytest.mark.browser


def _book_next_tuesday(app: Flask, world) -> int:
    from hubs.booking import services

    today = utcnow().astimezone(zone(None)).date()
    tuesday = monday_of(today) + timedelta(days=8)
    start = datetime.combine(tuesday, time(10, 0), tzinfo=zone(None))
    with app.app_context():
        lead = services.book(
            booking_input([world.laser], start, start + timedelta(hours=1)),
            principal(world.booker),
        )
    return lead.id


def _make_link(page: Page, hub_name: str) -> str:
    page.goto("/profile/calendar-feeds")
    page.locator("select#calendar").select_option(label=hub_name)
    page.get_by_role("button", name="Maak link").click()
    expect(
        page.get_by_role("heading", level=2, name=f"Uw link voor Hubs – {hub_name}")
    ).to_be_visible()
    webcal = page.locator("#feed-webcal").input_value()
    https = page.locator("#feed-https").input_value()
    assert webcal.startswith("webcal://") and webcal.split("://")[1] == https.split("://")[1]
    return urlsplit(https).path


def test_a_teacher_downloads_a_booking_and_follows_the_hub(app: Flask, make, new_context, sign_in):
    world = build_world(make)
    booking_id = _book_next_tuesday(app, world)
    context = new_context()
    page = context.new_page()
    auditor = Auditor()
    sign_in(page, world.booker.email)

    page.goto(f"/bookings/{booking_id}")
    with page.expect_download() as download:
        page.get_by_role("link", name="Zet in mijn agenda (.ics)").click()
    assert download.value.suggested_filename == f"booking-{booking_id}.ics"
    with open(download.value.path(), "rb") as file:
        assert list(read(file.read())) == [uid(booking_id)]

    page.goto("/")
    page.locator("details.user-menu > summary").click()
    page.get_by_role("link", name="Agenda-abonnementen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Agenda-abonnementen")
    for lang in ("en", "nl"):
        switch_language(page, lang)
        page.goto("/profile/calendar-feeds")
        auditor.check(page, "GET /profile/calendar-feeds", lang)

    path = _make_link(page, world.hub.name)
    auditor.check(page, "the new link (nl)", "booker")
    feed = context.request.get(path)
    assert feed.status == 200 and feed.headers["content-type"] == "text/calendar; charset=utf-8"
    assert uid(booking_id) in read(feed.body())

    name = f"Hubs – {world.hub.name}"
    page.get_by_role("button", name=f"Stop {name}").click()
    expect(page.get_by_role("status")).to_contain_text("werkt niet meer")
    assert context.request.get(path).status == 404
    auditor.check(page, "after stopping a feed (nl)", "booker")
    context.close()
    if report := auditor.report():
        pytest.fail(report, pytrace=False)
