"""A funder's path through the browser: reports of its programmes, a snapshot, targets."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from playwright.sync_api import expect

from hubs.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_app(app: Flask) -> Flask:
    from hubs.demo.cli import load_demo

    with app.app_context():
        load_demo()
    return app


def test_the_province_opens_its_snapshot_and_targets(demo_app, new_context, sign_in):
    page = new_context().new_page()
    sign_in(page, "funder@provincie.example", DEMO_PASSWORD)
    page.get_by_role("link", name="Momentopnamen", exact=True).first.click()
    page.get_by_role("link", name="Rapportage provincie 2022").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rapportage provincie 2022")
    expect(page.locator("p.lead")).to_contain_text(re.compile(r"Vastgelegd op .*12 september 2022"))
    expect(page.locator("table").first).to_contain_text("Dagelijks techniekonderwijs")
    page.get_by_role("link", name="Doelen", exact=True).first.click()
    expect(page.locator("table")).to_contain_text("Bijscholing werkenden")
    page.goto("/reports/growth?from=2021&to=2022")
    expect(page.get_by_role("heading", name="Doelen")).to_be_visible()
    expect(page.locator("#f-programme_id")).to_have_count(0)  # no narrowing filters


def test_the_ministry_sees_mkb_deal_programmes_only(demo_app, new_context, sign_in):
    page = new_context().new_page()
    sign_in(page, "funder@ezk.example", DEMO_PASSWORD)
    page.goto("/reports/growth?from=2021&to=2022")
    main = page.get_by_role("main")
    expect(main).to_contain_text("MBO Techniek")
    expect(main).not_to_contain_text("Bijscholing werkenden")
