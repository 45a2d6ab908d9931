"""A weekly series end to end in Chromium, axe-checked in Dutch and English: a teacher
repeats a lesson every week across the autumn holiday, sees the holiday date skipped in
the preview, books all dates, and finds them on the series page."""

from __future__ import annotations

from datetime import date, timedelta

import holidays
import pytest
from flask import Flask
from playwright.sync_api import expect
from sqlalchemy import select

from hubs.booking.clock import zone
from hubs.booking.models import Booking, BookingStatus
from hubs.db import utcnow
from hubs.extensions import db
from tests.booking.helpers import build_world
from tests.browser.test_accessibility import Auditor, switch_language

pytestmark = pytest.mark.browser


def _autumn_tuesday(today: date) -> date:
    """The Tuesday of the next autumn holiday (region midden) at least three weeks ahead."""
    for year in (today.year, today.year + 1):
        school = holidays.country_holidays(
            "NL", subdiv="Midden", categories=("school",), years=year
        )
        for day, name in sorted(school.items()):
            if "Autumn" in name and day.weekday() == 1 and day - timedelta(weeks=3) > today:
                return day
    raise AssertionError("no autumn holiday found")


def test_a_teacher_books_a_series_across_the_autumn_holiday(app: Flask, make, new_context, sign_in):
    world = build_world(make)
    holiday = _autumn_tuesday(utcnow().astimezone(zone(None)).date())
    first, last = holiday - timedelta(weeks=2), holiday + timedelta(weeks=2)
    page = new_context().new_page()
    auditor = Auditor()
    sign_in(page, world.booker.email)
    form_url = f"/hubs/{world.hub.id}/book"

    def preview() -> None:
        page.goto(form_url)
        page.get_by_label("Lasersnijder 1").check()
        page.locator("#date").fill(first.isoformat())
        page.locator("#start").fill("09:00")
        page.locator("#end").fill("11:00")
        page.locator("#repeat-1").check()
        page.locator("#until").fill(last.isoformat())
        page.locator("#group_name").fill("3K-PIE")
        page.locator("#group_size").fill("4")
        page.locator("#level").select_option("vmbo-kb")
        page.locator("form.booking-form .actions button[type=submit]").last.click()
        expect(page.locator("#preview-title")).to_be_visible()

    preview()
    expect(page.locator("#preview-title")).to_have_text("Voorbeeld: 5 datums")
    table = page.locator("#preview table")
    expect(table).to_contain_text("Schoolvakantie: Herfstvakantie")
    expect(page.get_by_role("status").first).to_contain_text("1 wordt overgeslagen")
    for lang in ("en", "nl"):
        switch_language(page, lang)
        preview()
        auditor.check(page, "series preview", lang)
    with app.app_context():
        assert db.session.scalars(select(Booking)).first() is None, "a preview books nothing"

    page.get_by_role("button", name="Boek alle datums (alles of niets)").click()
    expect(page.get_by_role("status").first).to_contain_text("4 datums geboekt.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("3K-PIE")
    expect(page.locator("main")).to_contain_text("overgeslagen")
    series_url = page.url
    for lang in ("en", "nl"):
        switch_language(page, lang)
        if page.url != series_url:
            page.goto(series_url)
        auditor.check(page, "series page", lang)
    assert not auditor.report(), auditor.report()
    with app.app_context():
        leads = db.session.scalars(
            select(Booking).where(Booking.id == Booking.bundle_id).order_by(Booking.start_at)
        ).all()
        tz = zone(None)
        assert [b.start_at.astimezone(tz).date() for b in leads] == [
            first,
            first + timedelta(weeks=1),
            holiday + timedelta(weeks=1),
            last,
        ]
        assert {b.start_at.astimezone(tz).hour for b in leads} == {9}
        assert {b.status for b in leads} == {BookingStatus.CONFIRMED}
