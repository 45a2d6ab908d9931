"""Occurrences as calendar events, and bookings as the first kind: one event per bundle
(a room with its machines), with the same UID in a download, a mail attachment, a
reminder and every feed.

Any other occurrence (a course session, a series occurrence not stored as a booking)
becomes an :class:`hubs.calendar.ics.CalendarEvent` with :func:`occurrence_uid`, its
version as SEQUENCE and "Busy" for viewers who may not see it; it then goes into a
download (:func:`hubs.calendar.ics.render` + ``views.ics_response``), a mail
(:func:`ics_attachment`), feeds (:func:`hubs.calendar.feeds.register_source`) and
reminders (:func:`hubs.calendar.reminders.register_source`).

A viewer who may see the booking (its organisation, the hub's coordinators, programme
managers) gets the details; anyone else only that the time is taken ("Bezet"). Free-text
notes never leave Hubs this way: they may name a pupil.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _

from hubs.booking.models import Booking, BookingStatus
from hubs.calendar import ics
from hubs.extensions import db
from hubs.locations.models import Hub

# How a booking's mail, download and feeds name the calendar file.
FILENAME = "booking-{id}.ics"


@dataclass(frozen=True)
class BundleView:
    """What an event is made of: the bundle's lead row, its resources' names, its hub,
    its organisation's name and whether the viewer may see the details."""

    lead: Booking
    resource_names: list[str]
    hub: Hub
    organisation_name: str
    full: bool


def uid_domain() -> str:
    return urlsplit(current_app.config["BASE_URL"]).hostname or "hubs.local"


def occurrence_uid(kind: str, ident: int) -> str:
    """The UID of one occurrence (``booking-12@…``, ``course-session-3@…``): the same in
    every calendar Hubs writes, so apps merge a download, a mail and a feed."""
    return f"{kind}-{ident}@{uid_domain()}"


def booking_uid(bundle_id: int) -> str:
    """The UID of a bundle's event (a bundle is one occurrence, whatever its rows)."""
    return occurrence_uid("booking", bundle_id)


def link_builder(endpoint: str, argument: str) -> Callable[[Any], str]:
    """``id -> absolute URL`` on HUBS_BASE_URL, cheap per call (no request context)."""
    parts = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(
        parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme or "https"
    )
    return lambda ident: adapter.build(endpoint, {argument: ident}, force_external=True)


def location(hub: Hub) -> str:
    """The hub's name and address, as LOCATION (calendar apps link it to a map)."""
    return f"{hub.name}, {hub.address or hub.town}"


def status_of(lead: Booking) -> str:
    if not lead.is_active:
        return ics.CANCELLED
    return ics.TENTATIVE if lead.status == BookingStatus.REQUESTED else ics.CONFIRMED


def _summary(view: BundleView, status: str) -> str:
    lead = view.lead
    if view.full:
        text = f"{', '.join(view.resource_names)}: {lead.group_name} ({view.organisation_name})"
    else:
        text = _("Busy")
    if status == ics.CANCELLED:
        return _("Cancelled: %(what)s", what=text)
    if status == ics.TENTATIVE and view.full:
        return _("Requested: %(what)s", what=text)
    return text


def _description(view: BundleView, link: Callable[[int], str] | None) -> str:
    lead = view.lead
    names = ", ".join(view.resource_names)
    if not view.full:
        return _("%(what)s is booked at %(hub)s.", what=names, hub=view.hub.name)
    group = ngettext("%(num)d person", "%(num)d people", lead.group_size)
    level = f", {lead.level.label}" if lead.level else ""
    lines = [
        f"{names} ({view.hub.name})",
        _("Group: %(group)s (%(size)s%(level)s)", group=lead.group_name, size=group, level=level),
        _("Organisation: %(name)s", name=view.organisation_name),
    ]
    if lead.purpose:
        lines.append(_("Purpose: %(purpose)s", purpose=lead.purpose))
    lines.append(_("Status: %(status)s", status=lead.status.label))
    if link is not None:
        lines.append(_("See the booking: %(url)s", url=link(lead.id)))
    return "\n".join(lines)


def booking_event(view: BundleView, link: Callable[[int], str] | None = None) -> ics.CalendarEvent:
    """The event of one bundle for one viewer (details or "busy"), in the current locale."""
    lead = view.lead
    status = status_of(lead)
    return ics.CalendarEvent(
        uid=booking_uid(lead.bundle_id or lead.id),
        # version starts at 1 and grows with every change; SEQUENCE starts at 0.
        sequence=max(lead.version - 1, 0),
        start=lead.start_at,
        end=lead.end_at,
        tzid=view.hub.timezone,
        summary=_summary(view, status),
        stamp=lead.updated_at,
        created=lead.created_at,
        status=status,
        description=_description(view, link),
        location=location(view.hub),
        url=link(lead.id) if (link is not None and view.full) else "",
    )


def bundle_view(rows: list[Booking], full: bool = True) -> BundleView:
    """The view of one bundle (its rows, lead first, resources loaded)."""
    lead = rows[0]
    hub = db.session.get(Hub, lead.hub_id)
    assert hub is not None
    return BundleView(lead, [r.resource.name for r in rows], hub, lead.organisation.name, full)


def bundle_calendar(rows: list[Booking], locale: str | None = None) -> str:
    """The ``.ics`` of one bundle with its details (a download, a mail attachment)."""
    view = bundle_view(rows)
    link = link_builder("booking.detail", "booking_id")
    if locale is None:
        return ics.render([booking_event(view, link)])
    with force_locale(locale):
        return ics.render([booking_event(view, link)])


def ics_attachment(content: str, filename: str) -> dict[str, Any]:
    """A ``queue_mail`` attachment of a rendered calendar (mail clients offer to add its
    events when the type names the method)."""
    return {
        "filename": filename,
        "content_type": "text/calendar; method=PUBLISH",
        "content": content,
    }


def attachment(rows: list[Booking], locale: str) -> dict[str, Any]:
    """A mail attachment with the bundle's event (the same UID as in feeds)."""
    filename = FILENAME.format(id=rows[0].bundle_id or rows[0].id)
    return ics_attachment(bundle_calendar(rows, locale), filename)
