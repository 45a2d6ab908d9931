"""Status changes of a bundle: cancel, approve, reject and expire, each a compare-and-swap
on every row of the bundle (two coordinators clicking at once give one transition)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from hubs.access import Principal
from hubs.booking import calendar, owners
from hubs.booking.errors import AlreadyHandled, ManagedElsewhere
from hubs.booking.models import (
    ACTIVE_STATUSES,
    Booking,
    BookingStatus,
)
from hubs.booking.notify import notify
from hubs.booking.services.common import bundle_rows, record, refusal_to_change
from hubs.db import transactional, utcnow
from hubs.errors import NotAllowed
from hubs.extensions import db
from hubs.licences import checks

# --- cancel ----------------------------------------------------------------------------


@transactional
def cancel_booking(
    booking_id: int, actor: Principal, reason: str = "", *, by_owner: bool = False
) -> Booking:
    """Cancel the whole bundle; its slot is free at once. The booker is mailed.

    A bundle that belongs to a course (:mod:`hubs.booking.owners`) is cancelled through
    the course only (``by_owner``); otherwise ManagedElsewhere (409) says where.
    """
    rows = bundle_rows(booking_id, lock=True)
    lead = rows[0]
    now = utcnow()
    refusal = refusal_to_change(lead, actor, now, calendar.hub_settings(lead.hub_id))
    if refusal is not None:
        raise NotAllowed(refusal)
    managed = None if by_owner else owners.cancel_refusal(lead)
    if managed is not None:
        raise ManagedElsewhere(managed)
    cas(lead, ACTIVE_STATUSES, BookingStatus.CANCELLED, cancel_reason=reason.strip()[:300])
    rows = bundle_rows(booking_id)
    record(rows[0], actor.user_id, "cancelled", note=reason)
    notify(rows[0], "cancelled", rows=rows, reason=reason.strip())
    return rows[0]


def cas(
    lead: Booking, expected: tuple[BookingStatus, ...], new: BookingStatus, **values: Any
) -> None:
    """Compare-and-swap the status of every row of the bundle; AlreadyHandled if it lost."""
    now = utcnow()
    result = db.session.execute(
        update(Booking)
        .where(Booking.bundle_id == lead.bundle_id, Booking.status.in_(expected))
        .values(status=new, updated_at=now, version=Booking.version + 1, **values)
        .execution_options(synchronize_session=False)
    )
    if not result.rowcount:  # type: ignore[attr-defined]
        current = db.session.scalar(
            select(Booking.status)
            .where(Booking.id == lead.id)
            .execution_options(populate_existing=True)
        )
        raise AlreadyHandled(
            _l(
                "Nothing changed: this booking is already %(status)s.",
                status=BookingStatus(current).label if current else "",
            )
        )


# --- approve, reject, expire -----------------------------------------------------------


@transactional
def approve(booking_id: int, actor: Principal, note: str = "") -> Booking:
    """Confirm a request. It already holds its slot, so this never double-books."""
    return _decide(booking_id, actor, BookingStatus.CONFIRMED, "approved", note)


@transactional
def reject(booking_id: int, actor: Principal, note: str = "") -> Booking:
    """Refuse a request; its slot is free at once."""
    return _decide(booking_id, actor, BookingStatus.REJECTED, "rejected", note)


def _decide(
    booking_id: int, actor: Principal, new: BookingStatus, action: str, note: str
) -> Booking:
    lead = bundle_rows(booking_id)[0]
    if not actor.coordinates(lead.hub_id):
        raise NotAllowed(_l("Only the hub's coordinators decide on requests."))
    cas(lead, (BookingStatus.REQUESTED,), new, expires_at=None)
    if new == BookingStatus.CONFIRMED:
        checks.confirm_supervision(lead.bundle_id or lead.id, actor.user_id)
    rows = bundle_rows(booking_id)
    record(rows[0], actor.user_id, action, note=note)
    notify(rows[0], action, rows=rows, reason=note.strip())
    return rows[0]


def expire_requests(now: datetime | None = None, batch: int = 200) -> int:
    """Expire every request whose time ran out and tell its booker. Safe to run twice or
    in parallel: each bundle is a compare-and-swap in its own unit of work."""
    now = now or utcnow()
    expired = 0
    while True:
        due = db.session.scalars(
            select(Booking.bundle_id)
            .where(Booking.status == BookingStatus.REQUESTED, Booking.expires_at <= now)
            .distinct()
            .limit(batch)
        ).all()
        db.session.commit()  # end the read before the writes
        if not due:
            return expired
        for bundle_id in due:
            if bundle_id is not None and _expire_one(bundle_id, now):
                expired += 1


@transactional
def _expire_one(bundle_id: int, now: datetime) -> bool:
    result = db.session.execute(
        update(Booking)
        .where(
            Booking.bundle_id == bundle_id,
            Booking.status == BookingStatus.REQUESTED,
            Booking.expires_at <= now,
        )
        .values(status=BookingStatus.EXPIRED, updated_at=now, version=Booking.version + 1)
        .execution_options(synchronize_session=False)
    )
    if not result.rowcount:  # type: ignore[attr-defined]
        return False
    rows = bundle_rows(bundle_id)
    record(rows[0], None, "expired")
    notify(rows[0], "expired", rows=rows)
    return True
