"""End to end: a coordinator imports a school export with bad rows, sees each problem,
fixes the file and imports it."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.test_accessibility import AXE_OPTIONS
from tests.learners.conftest import LearnerFactory

pytestmark = pytest.mark.browser

BAD = (
    "Klas;Niveau;Leerjaar;Aantal leerlingen\r\n"
    "3K-PIE;kader;3;24\r\n"
    "3B-BWI;paars;3;18\r\n"
    "4H-NT;Havo 4;4;veel\r\n"
)
FIXED = BAD.replace("paars", "basis").replace("veel", "16")


def _file(text: str) -> dict[str, Any]:
    return {"name": "magister-export.csv", "mimeType": "text/csv", "buffer": text.encode("cp1252")}


def test_coordinator_fixes_a_bad_export_and_imports_it(make: Any, new_context: Any, sign_in: Any):
    hub = make.hub(name="TechnoHUB Woerden")
    school = make.organisation("vo_school", hubs=(hub,), name="Groene Hart College")
    programme = LearnerFactory(make).programme(
        hub, "Dagelijks techniekonderwijs", categories=("vo",)
    )
    coordinator = make.user(("coordinator", hub))
    page = new_context().new_page()
    sign_in(page, coordinator.email)

    page.get_by_role("link", name="Leerlingen").click()
    page.get_by_role("link", name="Lijst importeren").first.click()
    page.get_by_label("Opleiding").select_option(
        label="Dagelijks techniekonderwijs (TechnoHUB Woerden)"
    )
    page.get_by_label("Organisatie").select_option(label="Groene Hart College")
    page.get_by_label("Groepslijst").check()
    page.get_by_label("Bestand (CSV of Excel .xlsx)").set_input_files(_file(BAD))
    page.get_by_role("button", name="Bestand controleren").click()

    expect(page.get_by_role("heading", name="Het bestand heeft 2 problemen")).to_be_visible()
    problems = page.locator("tr.problem")
    expect(problems).to_have_count(2)
    expect(problems.nth(0)).to_contain_text("3")
    expect(problems.nth(0)).to_contain_text("Niveau")
    expect(problems.nth(0)).to_contain_text("paars")
    expect(problems.nth(1)).to_contain_text("Aantal leerlingen")
    expect(problems.nth(1)).to_contain_text("veel")
    expect(page.get_by_role("button", name="Importeren")).to_have_count(0)
    violations = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    assert violations == []

    page.get_by_role("link", name="Verbeterd bestand uploaden").click()
    # The form keeps the programme and organisation: only the file is chosen again.
    expect(page.get_by_label("Opleiding")).to_have_value(str(programme.id))
    expect(page.get_by_label("Organisatie")).to_have_value(str(school.id))
    page.get_by_label("Bestand (CSV of Excel .xlsx)").set_input_files(_file(FIXED))
    page.get_by_role("button", name="Bestand controleren").click()
    expect(page.get_by_text("Nieuw: 3")).to_be_visible()
    page.get_by_role("button", name="Importeren").click()

    expect(page.get_by_text("Geïmporteerd: 3 nieuw")).to_be_visible()
    table = page.locator("table.table")
    for group in ("3K-PIE", "3B-BWI", "4H-NT"):
        expect(table).to_contain_text(group)
    expect(table).to_contain_text("vmbo BB")
