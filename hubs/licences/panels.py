"""The coordinator's day (and start page): licences expiring in the next 30 days."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from hubs.access import Principal, visible
from hubs.booking.day import DayPanel, register_panel
from hubs.extensions import db
from hubs.licences.models import Licence
from hubs.licences.services import REMIND_DAYS, expiring_statement
from hubs.locations.models import Hub

SHOWN = 10


def expiring_panel(p: Principal, hubs: list[Hub], today: date) -> dict[str, Any] | None:
    """Up to ten licences the coordinator may see expiring within 30 days, and the total."""
    if not p.is_staff:
        return None
    stmt = expiring_statement(today, REMIND_DAYS).where(visible(Licence, p))
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    licences = list(db.session.scalars(stmt.limit(SHOWN)))
    return {"licences": licences, "total": total or 0, "days": REMIND_DAYS}


register_panel(
    DayPanel(
        "licences",
        _l("Licences expiring within 30 days"),
        "licences/_day_expiring.html",
        expiring_panel,
        order=40,
    )
)
