"""Which booked hours were *realised*, and which visits were no-shows: one isolated rule.

The attendance register (``hubs.attendance``, table ``attendance``: one row per visit,
keyed by the bundle's first booking, with the number ``present``) says who came. Where
that table is part of the schema, a visit that has taken place counts as realised unless
it was recorded with nobody present (a no-show). Without it, a confirmed visit that has
taken place counts as realised and no-shows are unknown (``None``). Either way the rule
is stated on the page and in every export (:meth:`RealisedRule.definition`).

Only this module knows about attendance; the use report asks it for SQL expressions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, and_, case, column, func, literal, table

from hubs.booking.models import Booking
from hubs.extensions import db

ATTENDANCE_TABLE = "attendance"
# The columns the rule needs; the table itself belongs to hubs.attendance.
attendance = table(ATTENDANCE_TABLE, column("booking_id"), column("present"))


def attendance_available() -> bool:
    """True once the attendance register is part of the schema (its model is loaded)."""
    return ATTENDANCE_TABLE in db.metadata.tables


@dataclass(frozen=True)
class RealisedRule:
    """SQL pieces for realised hours and no-shows, evaluated at ``now``."""

    now: datetime
    with_attendance: bool

    def join(self, stmt: Any) -> Any:
        """Add the attendance of each row's visit (outer join) when it is recorded."""
        if not self.with_attendance:
            return stmt
        return stmt.outerjoin(attendance, attendance.c.booking_id == Booking.bundle_id)

    def _taken_place(self) -> ColumnElement[bool]:
        return Booking.end_at <= self.now

    def _no_show(self) -> ColumnElement[bool]:
        return and_(self._taken_place(), attendance.c.present == 0)

    def realised_hours(self, hours: Any) -> Any:
        """SUM of the hours of the rows realised (see the module docs)."""
        if self.with_attendance:
            realised = and_(
                self._taken_place(),
                func.coalesce(attendance.c.present, literal(1)) > 0,
            )
        else:
            realised = self._taken_place()
        return func.coalesce(func.sum(case((realised, hours), else_=0.0)), literal(0.0))

    def no_shows(self, visits_only: bool) -> Any:
        """COUNT of no-show visits (of rows, per resource; of bundles with ``visits_only``),
        or a NULL when no-shows are not recorded."""
        if not self.with_attendance:
            return literal(None)
        condition = self._no_show()
        if visits_only:
            condition = and_(condition, Booking.id == Booking.bundle_id)
        return func.coalesce(func.sum(case((condition, 1), else_=0)), literal(0))

    def definition(self) -> str:
        if self.with_attendance:
            return _(
                "Realised: hours of confirmed bookings that have taken place, except visits "
                "recorded with nobody present (no-shows). A visit without a recorded "
                "attendance counts as realised."
            )
        return _(
            "Realised: hours of confirmed bookings that have taken place. Attendance is not "
            "recorded yet, so no-shows are not known and are shown as empty."
        )


def realised_rule(now: datetime) -> RealisedRule:
    return RealisedRule(now, attendance_available())
