"""What a subscribed calendar shows, decided at request time from its owner's rights.

A feed holds the bookings that start from ``CALENDAR_FEED_PAST_DAYS`` (30) days ago up to
``CALENDAR_FEED_FUTURE_DAYS`` (365) days ahead: active ones, and cancelled (rejected,
expired) ones for ``CALENDAR_FEED_CANCELLED_DAYS`` (30) days after the change, as
STATUS:CANCELLED so subscribed apps remove them. It is read with two queries whatever its
size (the bundles, then their rows with resource and organisation names), and its ETag
with one aggregate query, so an unchanged feed answers 304 without being rendered.

Who may follow what (the same rules decide which feeds a user may make):
- *my bookings*: anyone who books or runs hubs; shows the bookings they made that they
  may still see;
- an *organisation*: its bookers, the coordinators of hubs it is a member of (its
  bookings at their hubs), programme managers;
- a *hub* or a *resource*: its coordinators, programme managers and the bookers of an
  organisation with a membership there that has not ended. Bookings the owner may not
  see in full (other organisations') show only as "Bezet".
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Select, func, or_, select

from hubs.access import Principal, visible
from hubs.booking.clock import local_date, zone
from hubs.booking.models import ACTIVE_STATUSES, Booking
from hubs.calendar import ics
from hubs.calendar.events import BundleView, booking_event, link_builder, uid_domain
from hubs.calendar.models import CalendarFeed, FeedKind
from hubs.extensions import db
from hubs.locations.models import Hub, Resource
from hubs.organisations.models import Membership, Organisation
from hubs.organisations.policies import coordinated_org_ids

# Part of the ETag: change it when the rendering changes, so clients fetch again.
RENDER_VERSION = "1"


@dataclass(frozen=True)
class Window:
    """The bookings a feed considers: starting in ``[since, until)``, and inactive ones
    only when they changed after ``cancelled_since``."""

    since: datetime
    until: datetime
    cancelled_since: datetime

    @classmethod
    def around(cls, now: datetime) -> Window:
        config = current_app.config
        return cls(
            since=now - timedelta(days=config["CALENDAR_FEED_PAST_DAYS"]),
            until=now + timedelta(days=config["CALENDAR_FEED_FUTURE_DAYS"]),
            cancelled_since=now - timedelta(days=config["CALENDAR_FEED_CANCELLED_DAYS"]),
        )


# --- who may follow what ---------------------------------------------------------------


def followed_hub_ids(p: Principal, today: date) -> frozenset[int] | None:
    """Hubs whose calendar ``p`` may follow (None: every hub)."""
    if p.is_manager:
        return None
    ids = set(p.coordinator_hub_ids)
    if p.booker_org_ids:
        ids.update(
            db.session.scalars(
                select(Membership.hub_id).where(
                    Membership.organisation_id.in_(p.booker_org_ids),
                    or_(Membership.ends_on.is_(None), Membership.ends_on >= today),
                )
            )
        )
    return frozenset(ids)


def may_follow_organisation(p: Principal, organisation_id: int) -> bool:
    ids = coordinated_org_ids(p)
    return p.books_for(organisation_id) or ids is None or organisation_id in ids


def may_follow(p: Principal, kind: FeedKind, target_id: int | None, today: date) -> bool:
    """May ``p`` follow this calendar (now)? Checked when a feed is made and on every
    request, so a lost role or an ended membership ends the feed at once."""
    if not (p.is_staff or p.is_booker) or (kind != FeedKind.MINE and target_id is None):
        return False
    if kind == FeedKind.MINE:
        return True
    assert target_id is not None
    if kind == FeedKind.ORGANISATION:
        return may_follow_organisation(p, target_id)
    hub_id = target_id if kind == FeedKind.HUB else _hub_of_resource(target_id)
    hubs = followed_hub_ids(p, today)
    return hub_id is not None and (hubs is None or hub_id in hubs)


def _hub_of_resource(resource_id: int) -> int | None:
    return db.session.scalar(select(Resource.hub_id).where(Resource.id == resource_id))


# --- the rows of a feed ----------------------------------------------------------------


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


def etag(feed: CalendarFeed, p: Principal, locale: str, now: datetime) -> str:
    """A strong ETag from one aggregate query: the feed's rows (count, last change), the
    owner's rights and language, and the day (the window moves daily)."""
    window = Window.around(now)
    bundles = _bundles(feed, p, window).scalar_subquery()
    count, last, versions = db.session.execute(
        select(func.count(), func.max(Booking.updated_at), func.sum(Booking.version)).where(
            Booking.bundle_id.in_(bundles)
        )
    ).one()
    rights = (
        p.is_manager,
        sorted(p.coordinator_hub_ids),
        sorted(p.booker_org_ids),
    )
    parts = [
        RENDER_VERSION,
        feed.id,
        feed.kind.value,
        feed.target_id,
        rights,
        locale,
        local_date(now, zone(None)).isoformat(),
        count,
        str(last),
        versions,
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


# --- the calendar ----------------------------------------------------------------------


def feed_names(feeds: list[CalendarFeed]) -> dict[int, str]:
    """Each feed's calendar name ("Hubs – TechnoHUB Woerden"), with three queries at most."""

    def names(model: Any, ids: set[int | None]) -> dict[int | None, Any]:
        wanted = {i for i in ids if i is not None}
        if not wanted:
            return {}
        return {
            row.id: row for row in db.session.scalars(select(model).where(model.id.in_(wanted)))
        }

    orgs = names(Organisation, {f.organisation_id for f in feeds})
    hubs = names(Hub, {f.hub_id for f in feeds})
    resources = names(Resource, {f.resource_id for f in feeds})
    resource_hubs = names(Hub, {r.hub_id for r in resources.values()})
    result = {}
    for feed in feeds:
        if feed.kind == FeedKind.MINE:
            what = _("My bookings")
        elif feed.kind == FeedKind.ORGANISATION:
            what = orgs[feed.organisation_id].name
        elif feed.kind == FeedKind.HUB:
            what = hubs[feed.hub_id].name
        else:
            resource = resources[feed.resource_id]
            what = f"{resource.name} ({resource_hubs[resource.hub_id].name})"
        result[feed.id] = f"Hubs – {what}"
    return result


def render_feed(feed: CalendarFeed, p: Principal, now: datetime) -> str:
    """The whole subscribed calendar (in the current locale)."""
    views = bundle_views(feed, p, Window.around(now))
    link = link_builder("booking.detail", "booking_id")
    refresh = timedelta(minutes=current_app.config["CALENDAR_FEED_REFRESH_MINUTES"])
    header = ics.FeedHeader(name=feed_names([feed])[feed.id], refresh=refresh)
    return ics.render(
        (booking_event(view, link) for view in views),
        header=header,
        uid=f"feed-{feed.id}@{uid_domain()}",
    )
