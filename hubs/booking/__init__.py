"""Booking: availability, bookings that can never double-book, closures, approval and the
coordinator's day.

The rule "no two active bookings of one resource overlap" lives in the database (an
exclusion constraint on PostgreSQL, triggers plus serialised writes on SQLite; see the
migration ``0005``). The services check it first only to give a helpful message.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Flask
from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from hubs.mail import kinds

kinds.register("booking", _l("Bookings: confirmations, approvals, changes and cancellations"))


def init_app(app: Flask) -> None:
    from hubs.booking import hooks
    from hubs.booking.clock import AMSTERDAM_NAME, zone

    hooks.init_app(app)
    app.config.setdefault("BOOKING_IDEMPOTENCY_HOURS", 24)

    def isodate(value: datetime) -> str:
        """The local date of an instant, ``2025-10-14`` (for links to the week view)."""
        return value.astimezone(zone(AMSTERDAM_NAME)).date().isoformat()

    def dayshort(value: Any) -> str:
        """``di 14 okt``: a column heading of the week view."""
        if isinstance(value, datetime):
            value = value.astimezone(zone(AMSTERDAM_NAME)).date()
        return format_date(value, "EEE d MMM")

    def changed(value: Any, name: str) -> str:
        """A value from the audit trail, readable: instants as local date and time."""
        from hubs.i18n import format_moment

        if value in (None, ""):
            return "–"
        if name in ("start", "end") and isinstance(value, str):
            return format_moment(datetime.fromisoformat(value))
        return str(value)

    def lastday(end: datetime) -> Any:
        """The last local day an interval ending at ``end`` covers (half-open)."""
        from hubs.booking.clock import last_local_date

        return last_local_date(end, zone(AMSTERDAM_NAME))

    app.jinja_env.filters["isodate"] = isodate
    app.jinja_env.filters["lastday"] = lastday
    app.jinja_env.filters["changed"] = changed
    app.jinja_env.filters["dayshort"] = dayshort
