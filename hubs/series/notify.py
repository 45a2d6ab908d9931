"""Mail about a series through the outbox: one message per series action (booked,
requested, approved, rejected, expired, cancelled, changed), listing its dates.

Other features can add attachments (calendar events, say) with
:func:`register_attachments`: ``fn(series, kind, bookings)`` returns a list of
``{"filename", "content_type", "content"}`` for the message about those bookings.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from hubs.booking.clock import local_date, zone
from hubs.booking.models import Booking, BookingStatus
from hubs.extensions import db
from hubs.locations.models import Resource
from hubs.mail.services import queue_mail
from hubs.series.models import BookingSeries
from hubs.series.planning import Plan

SUBJECTS: dict[str, Callable[..., Any]] = {
    "booked": lambda **kw: _l("Series booked: %(group)s, from %(first)s", **kw),
    "requested": lambda **kw: _l("Series requested: %(group)s, from %(first)s", **kw),
    "approved": lambda **kw: _l("Series approved: %(group)s, from %(first)s", **kw),
    "rejected": lambda **kw: _l("Series not approved: %(group)s, from %(first)s", **kw),
    "expired": lambda **kw: _l("Series request expired: %(group)s, from %(first)s", **kw),
    "cancelled": lambda **kw: _l("Series dates cancelled: %(group)s, from %(first)s", **kw),
    "changed": lambda **kw: _l("Series changed: %(group)s, from %(first)s", **kw),
}

Attacher = Callable[[BookingSeries, str, list[Booking]], list[dict[str, str]]]
_attachers: list[Attacher] = []


def register_attachments(fn: Attacher) -> None:
    """Add attachments to every series message (e.g. an .ics event per date)."""
    if fn not in _attachers:
        _attachers.append(fn)


@dataclass
class Line:
    """One date in a message: when, and a note (why skipped, its status ...)."""

    day: date
    start: datetime | None
    end: datetime | None
    note: str = ""


def line_of(booking: Booking, note: str = "") -> Line:
    """A booked date (its local day, in the hub's zone)."""
    return Line(local_date(booking.start_at, zone(None)), booking.start_at, booking.end_at, note)


def send(
    series: BookingSeries,
    kind: str,
    groups: list[tuple[Any, list[Line]]],
    bookings: list[Booking],
    **extra: Any,
) -> None:
    """Queue the ``kind`` message about ``series`` for the person who booked it.

    ``groups`` are the message's lists of dates with their (lazy) headings, in order;
    ``bookings`` the lead rows the message is about (for attachments)."""
    from hubs.accounts.models import User

    user = db.session.get(User, series.booked_by_id) if series.booked_by_id else None
    if user is None or not user.active:
        return
    names = dict(
        db.session.execute(
            select(Resource.id, Resource.name).where(Resource.id.in_(series.resource_ids))
        ).all()
    )
    attachments = [a for fn in _attachers for a in fn(series, kind, bookings)]
    first = min((line.day for _title, lines in groups for line in lines), default=series.first_day)
    queue_mail(
        to=user,
        kind=f"booking.series_{kind}",
        template=f"series/{kind}",
        subject=SUBJECTS[kind](group=series.group_name, first=first.strftime("%d-%m-%Y")),
        attachments=attachments or None,
        series=series,
        hub=series.hub,
        organisation=series.organisation,
        resources=", ".join(names.get(i, "") for i in series.resource_ids),
        groups=[(title, lines) for title, lines in groups if lines],
        **extra,
    )


def series_booked(series: BookingSeries, plan: Plan, requested: bool, leads: list[Booking]) -> None:
    """The one message for a new series: the dates booked, skipped and left out."""
    booked = [Line(o.day, o.start, o.end) for o in plan.free]
    skipped = [Line(o.day, o.start, o.end, o.reason) for o in plan.skipped]
    taken = [Line(o.day, o.start, o.end, o.reason) for o in plan.conflicts]
    send(
        series,
        "requested" if requested else "booked",
        [
            (_l("Requested dates") if requested else _l("Booked dates"), booked),
            (_l("Skipped (closure or school holiday)"), skipped),
            (_l("Not booked (taken or not possible)"), taken),
        ],
        leads,
        expires_at=min((b.expires_at for b in leads if b.expires_at), default=None),
    )


STATUS_NOTES = {
    BookingStatus.CANCELLED: _l("cancelled"),
    BookingStatus.REJECTED: _l("not approved"),
    BookingStatus.EXPIRED: _l("expired"),
}
