"""Mail to the booker about their booking, through the outbox, in their language."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import lazy_gettext as _l

from hubs.booking.clock import zone
from hubs.booking.models import Booking
from hubs.extensions import db
from hubs.locations.models import Hub
from hubs.mail.services import queue_mail

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
    """Queue the ``kind`` message about this bundle for the person who booked it."""
    from hubs.accounts.models import User

    if any(route(lead, kind, rows, extra) for route in _routers):
        return

    user = db.session.get(User, lead.booked_by_id) if lead.booked_by_id else None
    if user is None or not user.active:
        return
    hub = db.session.get(Hub, lead.hub_id)
    assert hub is not None
    tz = zone(hub.timezone)
    names = ", ".join(r.resource.name for r in rows)
    when = lead.start_at.astimezone(tz).strftime("%d-%m-%Y %H:%M")
    subject = SUBJECTS[kind](what=names, when=when)
    queue_mail(
        to=user,
        kind=f"booking.{kind}",
        template=f"booking/{kind}",
        subject=subject,
        booking=lead,
        resources=names,
        hub=hub,
        organisation=lead.organisation,
        **extra,
    )
