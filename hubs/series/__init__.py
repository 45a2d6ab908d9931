"""Weekly series: a term of lessons booked in one go.

A booker asks for "every Tuesday 09:00–11:00 until 18 December" (one resource or a bundle,
every N weeks, one or more weekdays). Each date is computed in local wall-clock time and
becomes an ordinary booking, so the booking core's rules and its database guarantee apply
to every date. Closures and school holidays are skipped; taken dates are shown before
anything is booked. See hubs.series.services.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from hubs.booking import notify as booking_notify
    from hubs.series.models import BookingSeries
    from hubs.series.recurrence import describe_rule
    from hubs.series.services import route_expiry

    booking_notify.register_router(route_expiry)

    from hubs.series import notify
    from hubs.series.calendar import series_attachments

    notify.register_attachments(series_attachments)

    def rule_text(series: BookingSeries) -> str:
        """ "every week on Tuesday" for a series, in the user's language."""
        return describe_rule(series.interval_weeks, series.weekday_numbers)

    app.jinja_env.filters["rule_text"] = rule_text
