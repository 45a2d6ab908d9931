"""Mail to the booker about their booking, through the outbox, in their language."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from hubs.booking.clock import zone
from hubs.booking.models import Booking, BookingStatus
from hubs.extensions import db
from hubs.locations.models import Hub
from hubs.mail.services import Composed, queue_composed, register_composer

SUBJECTS: dict[str, Callable[..., Any]] = {
    "confirmed": lambda **kw: _l("Booking confirmed: %(what)s, %(when)s", **kw),
    "requested": lambda **kw: _l("Booking requested: %(what)s, %(when)s", **kw),
    "approved": lambda **kw: _l("Request approved: %(what)s, %(when)s", **kw),
    "rejected": lambda **kw: _l("Request not approved: %(what)s, %(when)s", **kw),
    "expired": lambda **kw: _l("Request expired: %(what)s, %(when)s", **kw),
    "moved": lambda **kw: _l("Booking moved: %(what)s, %(when)s", **kw),
    "cancelled": lambda **kw: _l("Booking cancelled: %(what)s, %(when)s", **kw),
}


# A feature that mails about several bundles at once (a weekly series: one message for all
# its dates) registers a router: ``router(lead, kind, rows, extra)`` returns True when it
# took care of the message itself (or decided none is due).
Router = Callable[[Booking, str, list[Booking], dict[str, Any]], bool]
_routers: list[Router] = []


def register_router(router: Router) -> None:
    if router not in _routers:
        _routers.append(router)


def notify(lead: Booking, kind: str, rows: list[Booking], **extra: Any) -> None:
    """Queue the ``kind`` message about this bundle for the person who booked it, with
    the bundle's calendar event attached (the same UID as in calendar feeds).

    The message is queued as a recipe (the rows' ids and ``extra``, which must be
    JSON-able) and composed by the outbox worker: rendering it cost more than the rest of
    the booking (bench/: row 1). See :func:`compose`.
    """
    from hubs.accounts.models import User

    if any(route(lead, kind, rows, extra) for route in _routers):
        return

    user = db.session.get(User, lead.booked_by_id) if lead.booked_by_id else None
    if user is None or not user.active:
        return
    queue_composed(
        to=user,
        kind=f"booking.{kind}",
        composer=COMPOSER,
        notice=kind,
        rows=[r.id for r in rows],
        extra=extra,
    )


COMPOSER = "booking"


# A notice that describes a state the bundle must still be in when it is composed: a
# request's message says until when it holds the slot, which a decision ends. (Other
# notices go as queued, each followed by what happened next, as when they were rendered
# at once: "confirmed", then "cancelled".)
STILL_TRUE: dict[str, set[BookingStatus]] = {"requested": {BookingStatus.REQUESTED}}


def compose(args: dict[str, Any], locale: str) -> Composed | str | None:
    """The message ``notify`` queued, as the bundle is now: None when its rows are gone,
    and the reason when the notice is no longer true (a request decided before the
    worker came to it: the decision's message follows)."""
    from hubs.calendar.events import attachment as calendar_attachment

    ids: list[int] = args["rows"]
    found = {
        b.id: b
        for b in db.session.scalars(
            select(Booking)
            .where(Booking.id.in_(ids))
            .options(selectinload(Booking.resource), selectinload(Booking.organisation))
        )
    }
    rows = [found[i] for i in ids if i in found]
    if not rows:
        return None
    lead = rows[0]
    kind = args["notice"]
    if lead.status not in STILL_TRUE.get(kind, {lead.status}):
        return f"no longer true: the booking is {lead.status.value} now"
    hub = db.session.get(Hub, lead.hub_id)
    assert hub is not None
    names = ", ".join(r.resource.name for r in rows)
    when = lead.start_at.astimezone(zone(hub.timezone)).strftime("%d-%m-%Y %H:%M")
    return Composed(
        template=f"booking/{kind}",
        subject=SUBJECTS[kind](what=names, when=when),
        context={
            "booking": lead,
            "resources": names,
            "hub": hub,
            "organisation": lead.organisation,
            **args.get("extra", {}),
        },
        attachments=[calendar_attachment(rows, locale)],
    )


register_composer(COMPOSER, compose)
