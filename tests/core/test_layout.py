"""The base layout: landmarks, skip link, language switch, local assets only."""

from __future__ import annotations

import re

from tests.helpers import PASSWORD


def test_layout_landmarks_and_skip_link(client, make, login):
    login(client, make.user("manager"), PASSWORD)
    html = client.get("/").get_data(as_text=True)
    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html
    assert "<header" in html and "<footer" in html
    assert 'aria-label="Hoofdmenu"' in html
    assert 'name="lang" value="en"' in html and 'name="lang" value="nl"' in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html


def test_only_local_assets_and_no_inline_script_or_style(client, make, login):
    login(client, make.user("manager"), PASSWORD)
    for url in ["/", "/login", "/hubs", "/organisations"]:
        html = client.get(url).get_data(as_text=True)
        for attr in re.findall(r'(?:src|href)="([^"]+)"', html):
            assert not re.match(r"^(https?:)?//", attr), f"{url} loads {attr}"
        assert "<script>" not in html and " style=" not in html
        assert "<style" not in html
    with client.get("/static/hubs.css") as css:
        assert css.status_code == 200 and b":focus-visible" in css.data


def test_menu_shows_only_allowed_sections(client, make, login):
    login(client, make.user("funder"), PASSWORD)
    html = client.get("/").get_data(as_text=True)
    assert "Organisaties" not in html
    assert "Rapportages" in html
