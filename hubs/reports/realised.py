"""Which booked hours were *realised*, and which visits were no-shows: one isolated rule.

The attendance register (:mod:`hubs.attendance`: one :class:`Attendance` row per visit,
keyed by the bundle's first booking, with the number ``present``) says who came. A visit
that has taken place counts as realised unless it was recorded with nobody present (a
no-show); a visit without a recorded attendance counts as realised. The rule is stated on
the page and in every export (:meth:`RealisedRule.definition`).

Only this module knows about attendance; the use report asks it for SQL expressions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, and_, case, func, literal

from hubs.attendance.models import Attendance
from hubs.booking.models import Booking


@dataclass(frozen=True)
class RealisedRule:
    """SQL pieces for realised hours and no-shows, evaluated at ``now``."""

    now: datetime

    def join(self, stmt: Any) -> Any:
        """Add the attendance of each row's visit (outer join) where it is recorded."""
        return stmt.outerjoin(Attendance, Attendance.booking_id == Booking.bundle_id)

    def _taken_place(self) -> ColumnElement[bool]:
        return Booking.end_at <= self.now

    def _no_show(self) -> ColumnElement[bool]:
        return and_(self._taken_place(), Attendance.present == 0)

    def realised_hours(self, hours: Any) -> Any:
        """SUM of the hours of the rows realised (see the module docs)."""
        realised = and_(
            self._taken_place(),
            func.coalesce(Attendance.present, literal(1)) > 0,
        )
        return func.coalesce(func.sum(case((realised, hours), else_=0.0)), literal(0.0))

    def no_shows(self, visits_only: bool) -> Any:
        """COUNT of no-show visits (of rows, per resource; of bundles with ``visits_only``)."""
        condition = self._no_show()
        if visits_only:
            condition = and_(condition, Booking.id == Booking.bundle_id)
        return func.coalesce(func.sum(case((condition, 1), else_=0)), literal(0))

    def definition(self) -> str:
        return _(
            "Realised: hours of confirmed bookings that have taken place, except visits "
            "recorded with nobody present (no-shows). A visit without a recorded "
            "attendance counts as realised."
        )


def realised_rule(now: datetime) -> RealisedRule:
    return RealisedRule(now)
