"""Bookings in feeds: one event per bundle (a room with its machines), with what the
feed's owner may see of it (:func:`hubs.calendar.events.booking_event`).

Read with two queries whatever the feed's size (the bundles with their rows, resource and
organisation names; then their hubs), and fingerprinted for the ETag with one aggregate
query. Series occurrences that are booking rows (issue 6) appear here without more work.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select

from hubs.access import Principal, visible
from hubs.booking.models import ACTIVE_STATUSES, Booking
from hubs.calendar import ics
from hubs.calendar.events import BundleView, booking_event, link_builder
from hubs.calendar.feeds import FeedSource, Window, register_source
from hubs.calendar.models import CalendarFeed, FeedKind
from hubs.extensions import db
from hubs.locations.models import Hub, Resource
from hubs.organisations.models import Organisation


def _bundles(feed: CalendarFeed, p: Principal, window: Window) -> Select[Any]:
    """The bundle ids a feed shows (a subquery)."""
    stmt = select(Booking.bundle_id).where(
        Booking.start_at >= window.since,
        Booking.start_at < window.until,
        or_(Booking.status.in_(ACTIVE_STATUSES), Booking.updated_at >= window.cancelled_since),
    )
    lead = Booking.id == Booking.bundle_id
    if feed.kind == FeedKind.MINE:
        return stmt.where(lead, Booking.booked_by_id == feed.user_id, visible(Booking, p))
    if feed.kind == FeedKind.ORGANISATION:
        return stmt.where(
            lead, Booking.organisation_id == feed.organisation_id, visible(Booking, p)
        )
    if feed.kind == FeedKind.HUB:
        return stmt.where(lead, Booking.hub_id == feed.hub_id)
    return stmt.where(Booking.resource_id == feed.resource_id)


def _full(p: Principal) -> ColumnElement[bool]:
    # The one booking policy decides what is shown in full (hubs.booking.policies).
    return visible(Booking, p).label("full")


def bundle_views(feed: CalendarFeed, p: Principal, window: Window) -> list[BundleView]:
    """Every bundle the feed shows, in start order, with what an event needs."""
    bundles = _bundles(feed, p, window).scalar_subquery()
    rows = db.session.execute(
        select(Booking, Resource.name, Organisation.name, _full(p))
        .join(Resource, Resource.id == Booking.resource_id)
        .join(Organisation, Organisation.id == Booking.organisation_id)
        .where(Booking.bundle_id.in_(bundles))
        .order_by(Booking.start_at, Booking.bundle_id, Booking.id)
    ).all()
    hubs = _hubs({row[0].hub_id for row in rows})
    views: dict[int, BundleView] = {}
    for booking, resource_name, organisation_name, full in rows:
        key = booking.bundle_id or booking.id
        if key in views:
            views[key].resource_names.append(resource_name)
            continue
        hub = hubs[booking.hub_id]
        views[key] = BundleView(booking, [resource_name], hub, organisation_name, bool(full))
    return list(views.values())


def _hubs(ids: set[int]) -> dict[int, Hub]:
    if not ids:
        return {}
    return {hub.id: hub for hub in db.session.scalars(select(Hub).where(Hub.id.in_(ids)))}


def fingerprint(feed: CalendarFeed, p: Principal, window: Window) -> object:
    """Changes whenever a booking of the feed does: its rows' count, last change and the
    sum of their versions (one aggregate query)."""
    bundles = _bundles(feed, p, window).scalar_subquery()
    count, last, versions = db.session.execute(
        select(func.count(), func.max(Booking.updated_at), func.sum(Booking.version)).where(
            Booking.bundle_id.in_(bundles)
        )
    ).one()
    return (count, str(last), versions)


def events(feed: CalendarFeed, p: Principal, window: Window) -> list[ics.CalendarEvent]:
    """The feed's bookings as events, in the current locale."""
    link = link_builder("booking.detail", "booking_id")
    return [booking_event(view, link) for view in bundle_views(feed, p, window)]


register_source(FeedSource("booking", events, fingerprint))
