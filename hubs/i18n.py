"""Language choice and the Dutch-first formats for dates, times and numbers."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_date as babel_format_date
from flask import Flask, current_app, has_request_context, request, session
from flask_babel import format_datetime, format_decimal, get_locale
from flask_login import current_user

from hubs.extensions import babel

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def translation_directories(app: Flask) -> list[str]:
    """The core catalog plus one per feature package (``hubs/<feature>/translations``)."""
    root = Path(app.root_path)
    dirs = [root / "translations", *sorted(root.glob("*/translations"))]
    return [str(d) for d in dirs if d.is_dir()]


def select_locale() -> str:
    """The signed-in user's language, else the visitor's choice, else Accept-Language."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return str(current_app.config["BABEL_DEFAULT_LOCALE"])
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return str(current_user.locale)
    chosen = session.get("locale")
    if chosen in languages:
        return str(chosen)
    return request.accept_languages.best_match(languages) or str(
        current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def init_app(app: Flask) -> None:
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=";".join(translation_directories(app)),
    )
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.filters.update(
        day=format_day,
        day_long=format_day_long,
        hhmm=format_hhmm,
        moment=format_moment,
        number=format_number,
        isoweek=iso_week,
    )
    app.jinja_env.globals.update(current_locale=lambda: str(get_locale() or "nl"))


def _local(value: datetime | date) -> datetime | date:
    if isinstance(value, datetime):
        return value.astimezone(AMSTERDAM)
    return value


def format_day(value: datetime | date) -> str:
    """``ma 6 okt 2025`` / ``Mon 6 Oct 2025`` (in Europe/Amsterdam)."""
    return babel_format_date(_local(value), "EEE d MMM y", locale=str(get_locale() or "nl"))


def format_day_long(value: datetime | date) -> str:
    """``maandag 6 oktober 2025``."""
    return babel_format_date(_local(value), "EEEE d MMMM y", locale=str(get_locale() or "nl"))


def format_hhmm(value: datetime) -> str:
    """``09:05``: 24-hour clock, Europe/Amsterdam."""
    return format_datetime(value, "HH:mm")


def format_moment(value: datetime) -> str:
    """``ma 6 okt 2025 09:05``."""
    return f"{format_day(value)} {format_hhmm(value)}"


def format_number(value: float | int, digits: int | None = None) -> str:
    """``1.234,5`` in Dutch, ``1,234.5`` in English."""
    if digits is not None:
        return format_decimal(value, format="#,##0." + "0" * digits if digits else "#,##0")
    return format_decimal(value)


def iso_week(value: date) -> int:
    """The ISO week number schools plan by ("week 42")."""
    return value.isocalendar().week
