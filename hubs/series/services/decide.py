"""A series that needs approval is one request: a coordinator approves or rejects it as
a whole, and it expires as a whole (one message, whatever the number of dates).

Approving confirms the dates that still hold their time (requested, not begun): a
compare-and-swap from requested to confirmed, so two coordinators clicking at once give
one decision. Dates cancelled or expired in the meantime stay as they are.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from hubs.access import Principal
from hubs.booking import services
from hubs.booking.errors import AlreadyHandled
from hubs.booking.models import Booking, BookingStatus
from hubs.db import transactional, utcnow
from hubs.errors import NotAllowed
from hubs.extensions import db
from hubs.licences import checks
from hubs.series import notify
from hubs.series.services.common import Dated, booked_dates, load_series, series_of


@transactional
def approve_series(series_id: int, actor: Principal, note: str = "") -> list[Booking]:
    """Confirm every coming date of the request that still holds its time."""
    return _decide(series_id, actor, BookingStatus.CONFIRMED, "approved", note)


@transactional
def reject_series(series_id: int, actor: Principal, note: str = "") -> list[Booking]:
    """Refuse the request: its dates are free at once."""
    return _decide(series_id, actor, BookingStatus.REJECTED, "rejected", note)


def _decide(
    series_id: int, actor: Principal, new: BookingStatus, action: str, note: str
) -> list[Booking]:
    series = load_series(series_id, lock=True)
    if not actor.coordinates(series.hub_id):
        raise NotAllowed(_l("Only the hub's coordinators decide on requests."))
    now = utcnow()
    pending = [
        d.lead.id
        for d in booked_dates(series.id, lock=True)
        if d.lead.status == BookingStatus.REQUESTED and d.lead.start_at > now
    ]
    result = db.session.execute(
        update(Booking)
        .where(Booking.bundle_id.in_(pending), Booking.status == BookingStatus.REQUESTED)
        .values(status=new, expires_at=None, updated_at=now, version=Booking.version + 1)
        .execution_options(synchronize_session=False)
    )
    if not pending or not result.rowcount:  # type: ignore[attr-defined]
        raise AlreadyHandled(_l("Nothing to decide: this series has no open request."))
    if new == BookingStatus.CONFIRMED:
        checks.confirm_supervisions(pending, actor.user_id)
    dated = booked_dates(series.id)
    decided = [d for d in dated if d.lead.id in pending]
    for item in decided:
        services.record(item.lead, actor.user_id, action, {"series_id": series.id}, note)
    heading = _l("Confirmed dates") if new == BookingStatus.CONFIRMED else _l("Dates not approved")
    notify.send(
        series,
        action,
        [(heading, _lines(decided)), (_l("Other dates"), _lines(_others(dated, pending)))],
        [d.lead for d in decided],
        reason=note.strip(),
    )
    return [d.lead for d in decided]


def _lines(dated: list[Dated]) -> list[notify.Line]:
    return [notify.line_of(d.lead, str(notify.STATUS_NOTES.get(d.lead.status, ""))) for d in dated]


def _others(dated: list[Dated], decided: list[int]) -> list[Dated]:
    """Dates outside the decision that the booker should know about (no longer held)."""
    return [d for d in dated if d.lead.id not in decided and not d.lead.is_active]


def route_expiry(lead: Booking, kind: str, rows: list[Booking], extra: dict[str, Any]) -> bool:
    """The booking core expires requests date by date; a series request is told once,
    when its last date has expired (listing them). Returns True for a series' date."""
    if kind != "expired":
        return False
    occurrence = series_of(lead.id)
    if occurrence is None:
        return False
    series = load_series(occurrence.series_id, lock=True)
    dated = booked_dates(series.id)
    if any(d.lead.status == BookingStatus.REQUESTED for d in dated):
        return True  # the others follow; the last one tells
    expired = [d for d in dated if d.lead.status == BookingStatus.EXPIRED]
    notify.send(
        series, "expired", [(_l("Expired dates"), _lines(expired))], [d.lead for d in expired]
    )
    return True
