"""Who may see calendar feed rows by id: only their owner (not even a programme manager:
a feed link is as personal as a password)."""

from __future__ import annotations

from sqlalchemy import ColumnElement

from hubs.access import Principal, scope
from hubs.calendar.models import CalendarFeed


@scope(CalendarFeed)
def _feeds(p: Principal) -> ColumnElement[bool]:
    return CalendarFeed.user_id == p.user_id
