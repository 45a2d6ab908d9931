"""The series' errors: dates in the way of booking or moving a series (409, each date
listed with its verdict, so the booker sees which ones and why)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_ngettext

from hubs.booking.rules import calendar_tz
from hubs.errors import DomainError
from hubs.series.planning import Plan, occurrence_json


class SeriesConflict(DomainError):
    """Some dates of a series are taken (or cannot be booked) and the booker asked for all
    or nothing. ``plan`` has the verdict on every date."""

    status = 409
    code = "series_conflict"

    def __init__(self, plan: Plan, message: Any = None) -> None:
        count = len(plan.conflicts)
        message = message or lazy_ngettext(
            "%(num)d date is taken or cannot be booked. Nothing was booked: book only the "
            "free dates, or choose another time.",
            "%(num)d dates are taken or cannot be booked. Nothing was booked: book only the "
            "free dates, or choose another time.",
            count,
        )
        tz = calendar_tz(plan.hub)
        super().__init__(
            message,
            field="start",
            details={"occurrences": [occurrence_json(o, tz) for o in plan.occurrences]},
        )
        self.plan = plan


class SeriesChangeRefused(DomainError):
    """Some dates of a series cannot take the change (taken, closed, outside the opening
    hours ...): nothing was changed. ``plan`` judges every date that was to change."""

    status = 409
    code = "series_change_refused"

    def __init__(self, plan: Plan) -> None:
        count = len(plan.conflicts)
        message = lazy_ngettext(
            "%(num)d date cannot be changed like this. Nothing was changed: cancel that date "
            "first, or choose another time.",
            "%(num)d dates cannot be changed like this. Nothing was changed: cancel those "
            "dates first, or choose another time.",
            count,
        )
        tz = calendar_tz(plan.hub)
        super().__init__(
            message,
            field="start_time",
            details={"occurrences": [occurrence_json(o, tz) for o in plan.conflicts]},
        )
        self.plan = plan
