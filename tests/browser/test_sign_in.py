"""Every demo account signs in through the real form and sees its own start page.

The demo data is the real one (``flask demo load``), so this is what a newcomer sees after
``make run``. Signing out through the user menu ends the session on the server: the old
cookie no longer works, even when a browser replays it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from hubs.demo import DEMO_ACCOUNTS, DEMO_PASSWORD

TECHNOHUB = "TechnoHUB Woerden"
MAKE = "MAKE Center Nieuwegein"
MAKERSPACE = "Makerspace Amstel & Venen"
ALL_HUBS = (TECHNOHUB, MAKE, MAKERSPACE)

# The start page's sections, by heading (English msgids; the page shows them translated).
MANAGER = "All hubs"
COORDINATOR = "Hubs you coordinate"
ORGANISATION = "Your organisation"
REPORTS = "Reports"
SECTIONS = (MANAGER, COORDINATOR, ORGANISATION, REPORTS)


@dataclass(frozen=True)
class StartPage:
    """What one role sees on the start page."""

    # section heading -> links listed in that section
    sections: dict[str, tuple[str, ...]]
    organisations_menu: bool = True
    # names that must not appear anywhere on the page
    absent: tuple[str, ...] = field(default=())


def _booker(organisation: str, hubs: tuple[str, ...]) -> StartPage:
    return StartPage(
        sections={ORGANISATION: (organisation, *hubs)},
        absent=tuple(h for h in ALL_HUBS if h not in hubs),
    )


def _coordinator(hub: str) -> StartPage:
    return StartPage(sections={COORDINATOR: (hub,)}, absent=tuple(h for h in ALL_HUBS if h != hub))


EXPECTED = {
    "manager@hubs.example": StartPage(sections={MANAGER: ALL_HUBS}),
    "coordinator.technohub@hubs.example": _coordinator(TECHNOHUB),
    "coordinator.make@hubs.example": _coordinator(MAKE),
    "coordinator.makerspace@hubs.example": _coordinator(MAKERSPACE),
    "teacher.a@school-a.example": _booker("Groene Hart College", (TECHNOHUB,)),
    "teacher.b@school-b.example": _booker("Lek en IJssel Lyceum", (TECHNOHUB,)),
    "teacher@roc.example": _booker("ROC Midden-Utrecht", (MAKE,)),
    "hr@company-a.example": _booker("Van Rijn Precisietechniek B.V.", (MAKE, MAKERSPACE)),
    "funder@provincie.example": StartPage(
        sections={REPORTS: ()}, organisations_menu=False, absent=ALL_HUBS
    ),
    "funder@ezk.example": StartPage(
        sections={REPORTS: ()}, organisations_menu=False, absent=ALL_HUBS
    ),
}


def translated(app: Flask, message: str, locale: str = "nl") -> str:
    """``message`` as the app shows it in ``locale`` (whatever the catalogs say today)."""
    from flask_babel import force_locale, gettext, ngettext

    with app.test_request_context(), force_locale(locale):
        if message == ORGANISATION:
            return str(ngettext("Your organisation", "Your organisations", 1))
        return str(gettext(message))


@pytest.fixture
def demo_app(app: Flask) -> Flask:
    from hubs.demo.cli import load_demo

    with app.app_context():
        load_demo()
    return app


def test_every_demo_account_is_listed_here() -> None:
    assert sorted(EXPECTED) == sorted(email for email, _ in DEMO_ACCOUNTS)


def _assert_start_page(page: Page, app: Flask, expected: StartPage) -> None:
    for heading in SECTIONS:
        region = page.get_by_role("region", name=translated(app, heading), exact=True)
        if heading not in expected.sections:
            expect(region).to_have_count(0)
            continue
        expect(region).to_be_visible()
        for name in expected.sections[heading]:
            expect(region.get_by_role("link", name=name, exact=True).first).to_be_visible()
    main = page.get_by_role("main")
    for name in expected.absent:
        expect(main).not_to_contain_text(name)
    menu = page.get_by_role("navigation", name=translated(app, "Main menu"))
    organisations = menu.get_by_role("link", name=translated(app, "Organisations"), exact=True)
    expect(organisations).to_have_count(1 if expected.organisations_menu else 0)


@pytest.mark.browser
@pytest.mark.parametrize("email", [email for email, _ in DEMO_ACCOUNTS])
def test_demo_account_signs_in_sees_its_start_page_and_signs_out(
    email, demo_app, new_context, sign_in
):
    expected = EXPECTED.get(email)
    assert expected is not None, f"{email}: add what its start page shows to EXPECTED"
    context = new_context()
    page = context.new_page()

    sign_in(page, email, DEMO_PASSWORD)
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    _assert_start_page(page, demo_app, expected)

    # The session cookie alone gets a second browser in (so the check below can fail) ...
    cookies = context.cookies()
    replay = new_context()
    replay.add_cookies(cookies)
    replayed = replay.new_page()
    replayed.goto("/")
    expect(replayed).to_have_url(re.compile(r"/$"))
    replay.close()

    page.locator("details.user-menu > summary").click()
    page.get_by_role("button", name=translated(demo_app, "Sign out"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.get_by_role("status")).to_contain_text(translated(demo_app, "You are signed out."))
    expect(page.locator("details.user-menu")).to_have_count(0)

    # ... and after signing out the same cookie is dead, here and in another browser.
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login\?next=%2F$"))
    stale = new_context()
    stale.add_cookies(cookies)
    stale_page = stale.new_page()
    stale_page.goto("/")
    expect(stale_page).to_have_url(re.compile(r"/login\?next=%2F$"))
    expect(stale_page.locator("details.user-menu")).to_have_count(0)
