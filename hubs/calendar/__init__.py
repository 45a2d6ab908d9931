"""Calendars: bookings as ``.ics`` (download, mail attachment), subscribable feeds per user,
organisation, hub and resource, and reminders the day before.

One event per bundle occurrence, with the same UID everywhere, a SEQUENCE that grows with
every change (the booking's ``version``) and Europe/Amsterdam times with their VTIMEZONE.
Feed links are secret URLs (stored hashed, never logged) whose content follows the owner's
rights at request time.
"""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from hubs.mail import kinds

kinds.register("reminder", _l("Reminders the day before a booking"))


def init_app(app: Flask) -> None:
    from hubs.accounts.services import on_deactivate

    # Importing booking_feed and reminders registers bookings as a feed and reminder source.
    from hubs.calendar import booking_feed, redact, reminders  # noqa: F401
    from hubs.calendar.services import end_feeds_of

    app.config.setdefault("CALENDAR_FEED_PAST_DAYS", 30)
    app.config.setdefault("CALENDAR_FEED_FUTURE_DAYS", 365)
    app.config.setdefault("CALENDAR_FEED_CANCELLED_DAYS", 30)
    app.config.setdefault("CALENDAR_FEED_REFRESH_MINUTES", 60)
    on_deactivate(end_feeds_of)
    redact.install(app)
