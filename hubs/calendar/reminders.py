"""Reminders the day before: ``flask notifications remind`` (daily, e.g. at 16:00).

Each *source* lists what starts on a day and who should hear of it, and queues the mail
(with the event's ``.ics``). Bookings are built in; other features (course sessions)
register their own source with :func:`register_source`.

Idempotent: a reminder is recorded (:class:`SentReminder`) in the same unit of work that
queues its mail, with a unique key (source, item, start, recipient) and an insert that
does nothing on conflict, so running the command twice, or on two machines at once,
sends nothing twice. A booking moved to another time is reminded of again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite

from hubs.access import principal_for
from hubs.accounts.models import User
from hubs.booking.clock import zone
from hubs.booking.models import Booking, BookingStatus
from hubs.calendar.events import attachment
from hubs.calendar.models import SentReminder
from hubs.db import transactional, utcnow
from hubs.extensions import db
from hubs.locations.models import Hub
from hubs.mail.services import queue_mail

# Reminder rows are kept this long after the start they announced, then removed.
KEEP_DAYS = 60


@dataclass(frozen=True)
class Due:
    """One reminder to send: about ``item_id`` of ``source``, starting at ``starts_at``."""

    source: str
    item_id: int
    starts_at: datetime
    user_id: int

    @property
    def recipient(self) -> str:
        return f"user:{self.user_id}"


@dataclass(frozen=True)
class ReminderSource:
    """``due(start, end)``: what starts in ``[start, end)``; ``send(due)``: queue its mail
    in the current unit of work, or return False when there is nothing to send (any
    more: cancelled, moved, the person lost access or switched reminders off)."""

    name: str
    due: Callable[[datetime, datetime], list[Due]]
    send: Callable[[Due], bool]


_sources: dict[str, ReminderSource] = {}


def register_source(source: ReminderSource) -> None:
    """Add a kind of reminder (registering the same name again replaces it)."""
    _sources[source.name] = source


@dataclass
class RemindReport:
    sent: int = 0
    skipped: int = 0


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """Local midnight to local midnight (Europe/Amsterdam), as instants."""
    tz = zone(None)
    start = datetime.combine(day, time(0), tzinfo=tz)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz)
    return start, end


def remind(day: date) -> RemindReport:
    """Send every reminder due for things starting on ``day`` that has not gone out yet."""
    start, end = day_bounds(day)
    report = RemindReport()
    for source in list(_sources.values()):
        items = source.due(start, end)
        db.session.commit()  # end the read before the writes
        for due in items:
            if _remind_one(source, due):
                report.sent += 1
            else:
                report.skipped += 1
    forget_old_reminders()
    return report


class _NothingToSend(Exception):
    """Roll the claim back: nothing was queued."""


def _remind_one(source: ReminderSource, due: Due) -> bool:
    try:
        return _claim_and_send(source, due)
    except _NothingToSend:
        return False


@transactional
def _claim_and_send(source: ReminderSource, due: Due) -> bool:
    if not _claim(due):
        return False  # sent before (by an earlier run, or a twin running right now)
    if not source.send(due):
        raise _NothingToSend()
    return True


def _claim(due: Due) -> bool:
    """Record the reminder; False when it was already recorded."""
    insert: Any = postgresql.insert if db.engine.dialect.name == "postgresql" else sqlite.insert
    stmt = (
        insert(SentReminder)
        .values(
            source=due.source,
            item_id=due.item_id,
            starts_at=due.starts_at,
            recipient=due.recipient,
            sent_at=utcnow(),
        )
        .on_conflict_do_nothing(index_elements=["source", "item_id", "starts_at", "recipient"])
        .returning(SentReminder.id)
    )
    # RETURNING, not rowcount: the driver's rowcount is not reliable for ON CONFLICT.
    return db.session.execute(stmt).scalar() is not None


@transactional
def forget_old_reminders() -> int:
    """Drop the record of reminders whose start is ``KEEP_DAYS`` past (they cannot be
    due again); the number removed. Also run by ``flask privacy purge``."""
    cutoff = utcnow() - timedelta(days=KEEP_DAYS)
    result = db.session.execute(delete(SentReminder).where(SentReminder.starts_at < cutoff))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


# --- bookings --------------------------------------------------------------------------


def _bookings_due(start: datetime, end: datetime) -> list[Due]:
    """Confirmed bundles starting in ``[start, end)``, for the active person who booked."""
    rows = db.session.execute(
        select(Booking.id, Booking.start_at, Booking.booked_by_id)
        .join(User, User.id == Booking.booked_by_id)
        .where(
            Booking.id == Booking.bundle_id,
            Booking.status == BookingStatus.CONFIRMED,
            Booking.start_at >= start,
            Booking.start_at < end,
            User.active.is_(True),
        )
        .order_by(Booking.start_at, Booking.id)
    ).all()
    return [Due("booking", booking_id, at, user_id) for booking_id, at, user_id in rows if user_id]


def _send_booking(due: Due) -> bool:
    from hubs.booking.services import bundle_rows

    rows = bundle_rows(due.item_id)
    lead = rows[0]
    user = db.session.get(User, due.user_id)
    if lead.status != BookingStatus.CONFIRMED or lead.start_at != due.starts_at or user is None:
        return False
    p = principal_for(user)
    if not user.active or not (p.books_for(lead.organisation_id) or p.coordinates(lead.hub_id)):
        return False
    hub = db.session.get(Hub, lead.hub_id)
    assert hub is not None
    names = ", ".join(r.resource.name for r in rows)
    when = lead.start_at.astimezone(zone(hub.timezone)).strftime("%H:%M")
    message = queue_mail(
        to=user,
        kind="reminder.booking",
        template="calendar/reminder",
        subject=_l("Tomorrow at %(time)s: %(what)s", time=when, what=names),
        attachments=[attachment(rows, user.locale or "nl")],
        booking=lead,
        resources=names,
        hub=hub,
        organisation=lead.organisation,
    )
    return message is not None


register_source(ReminderSource("booking", _bookings_due, _send_booking))
