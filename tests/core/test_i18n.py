"""Dutch by default, English on request; Dutch formats; every message translated."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

from tests.helpers import PASSWORD

ROOT = Path(__file__).resolve().parents[2]


def test_dutch_is_the_default(client):
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="nl">' in html
    assert "Inloggen" in html and "Wachtwoord" in html


def test_accept_language_english(client):
    html = client.get("/login", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(
        as_text=True
    )
    assert '<html lang="en">' in html
    assert "Sign in" in html and "Password" in html


def test_unsupported_language_falls_back_to_dutch(client):
    html = client.get("/login", headers={"Accept-Language": "de-DE"}).get_data(as_text=True)
    assert '<html lang="nl">' in html


def test_language_switch_is_remembered(client):
    client.post_form("/language", {"lang": "en", "next": "/login"})
    assert '<html lang="en">' in client.get("/login").get_data(as_text=True)
    client.post_form("/language", {"lang": "nl", "next": "/login"})
    assert '<html lang="nl">' in client.get("/login").get_data(as_text=True)


def test_user_preference_beats_accept_language(client, make, login, app):
    user = make.user("manager", locale="en")
    login(client, user, PASSWORD)
    html = client.get("/", headers={"Accept-Language": "nl"}).get_data(as_text=True)
    assert '<html lang="en">' in html and "Welcome" in html
    # Switching in the header stores the choice on the account.
    client.post_form("/language", {"lang": "nl", "next": "/"})
    from hubs.accounts.models import User
    from hubs.extensions import db

    with app.app_context():
        assert db.session.get(User, user.id).locale == "nl"


def test_form_validation_messages_are_dutch(client):
    html = client.post_form("/login", {"email": "", "password": ""}).get_data(as_text=True)
    assert "Dit veld is vereist" in html


def test_dutch_formats(app):
    from flask_babel import force_locale

    from hubs.i18n import format_day, format_day_long, format_hhmm, format_number, iso_week

    with app.test_request_context(), force_locale("nl"):
        assert format_day(date(2025, 10, 6)) == "ma 6 okt 2025"
        assert format_day_long(date(2025, 10, 6)) == "maandag 6 oktober 2025"
        assert format_number(1234.5) == "1.234,5"
        # 07:30 UTC in summer is 09:30 in Amsterdam; 24-hour clock.
        assert format_hhmm(datetime(2025, 7, 1, 7, 30, tzinfo=UTC)) == "09:30"
        assert format_hhmm(datetime(2025, 12, 1, 13, 5, tzinfo=UTC)) == "14:05"
        # A UTC instant late in the evening is already the next day in Amsterdam.
        assert format_day(datetime(2025, 10, 5, 22, 30, tzinfo=UTC)) == "ma 6 okt 2025"
    with app.test_request_context(), force_locale("en"):
        assert format_day(date(2025, 10, 6)) == "Mon 6 Oct 2025"
        assert format_number(1234.5) == "1,234.5"
    assert iso_week(date(2025, 10, 14)) == 42


def test_every_message_has_a_dutch_translation():
    result = subprocess.run(
        [sys.executable, "tools/i18n.py", "check"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, "untranslated messages:\n" + result.stdout


# Text that may appear in templates without gettext: names, symbols, codes.
_ALLOWED_BARE = re.compile(r"^[\s·–—|:;,.()\[\]/+×%‹›▾✓<>=&#0-9-]*$")
_ALLOWED_WORDS = {"Hubs", "MKB-Deal", "Utrecht-West", "NL", "EN", "Nederlands", "English"}


def test_templates_have_no_untranslated_text():
    offenders = []
    for template in sorted((ROOT / "hubs").glob("**/templates/**/*.html")):
        source = template.read_text()
        source = re.sub(r"{#.*?#}", "", source, flags=re.S)
        source = re.sub(r"{%.*?%}|{{.*?}}", " ", source, flags=re.S)
        source = re.sub(r"<(script|style)\b.*?</\1>", " ", source, flags=re.S)
        source = re.sub(r"<[^>]*>", " ", source, flags=re.S)
        source = re.sub(r"&[a-z]+;|&#\d+;", " ", source)
        for word in source.split():
            if word in _ALLOWED_WORDS or _ALLOWED_BARE.match(word):
                continue
            offenders.append(f"{template.relative_to(ROOT)}: {word!r}")
    assert not offenders, "text outside gettext:\n" + "\n".join(offenders)
