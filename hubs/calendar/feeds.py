"""What a subscribed calendar shows, decided at request time from its owner's rights.

A feed holds the bookings that start from ``CALENDAR_FEED_PAST_DAYS`` (30) days ago up to
``CALENDAR_FEED_FUTURE_DAYS`` (365) days ahead: active ones, and cancelled (rejected,
expired) ones for ``CALENDAR_FEED_CANCELLED_DAYS`` (30) days after the change, as
STATUS:CANCELLED so subscribed apps remove them. Its events come from *sources*
(:class:`FeedSource`: bookings now, course sessions later), each read with a fixed number
of queries whatever the feed's size, and its ETag from one aggregate query per source, so
an unchanged feed answers 304 without being rendered.

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
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import or_, select

from hubs.access import Principal
from hubs.booking.clock import local_date, zone
from hubs.calendar import ics
from hubs.calendar.events import uid_domain
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


# --- what feeds are made of ------------------------------------------------------------


@dataclass(frozen=True)
class FeedSource:
    """One kind of occurrence that feeds show: bookings (:mod:`hubs.calendar.booking_feed`);
    course sessions, or series not stored as bookings, plug in with :func:`register_source`.

    ``events(feed, p, window)`` gives the source's events for that feed as its owner ``p``
    may see them (details, or only "Busy" and never a person's name), in a fixed number of
    queries however many there are. ``fingerprint(feed, p, window)`` is a small value that
    changes whenever those events would (one aggregate query): the feed's ETag is made of
    the fingerprints, so an unchanged feed answers 304 without being rendered.
    """

    name: str
    events: Callable[[CalendarFeed, Principal, Window], Iterable[ics.CalendarEvent]]
    fingerprint: Callable[[CalendarFeed, Principal, Window], object]


_sources: dict[str, FeedSource] = {}


def register_source(source: FeedSource) -> None:
    """Add a kind of occurrence to every feed (the same name again replaces it)."""
    _sources[source.name] = source


def sources() -> list[FeedSource]:
    return [_sources[name] for name in sorted(_sources)]


def etag(feed: CalendarFeed, p: Principal, locale: str, now: datetime) -> str:
    """A strong ETag without rendering: every source's fingerprint, the owner's rights
    and language, and the day (the window moves daily)."""
    window = Window.around(now)
    rights = (p.is_manager, sorted(p.coordinator_hub_ids), sorted(p.booker_org_ids))
    parts = [
        RENDER_VERSION,
        feed.id,
        feed.kind.value,
        feed.target_id,
        rights,
        locale,
        local_date(now, zone(None)).isoformat(),
        [(source.name, source.fingerprint(feed, p, window)) for source in sources()],
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def feed_events(feed: CalendarFeed, p: Principal, now: datetime) -> list[ics.CalendarEvent]:
    """Every event of every source the feed shows, in start order."""
    window = Window.around(now)
    found = [event for source in sources() for event in source.events(feed, p, window)]
    found.sort(key=lambda event: (event.start, event.uid))
    return found


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
    refresh = timedelta(minutes=current_app.config["CALENDAR_FEED_REFRESH_MINUTES"])
    header = ics.FeedHeader(name=feed_names([feed])[feed.id], refresh=refresh)
    return ics.render(
        feed_events(feed, p, now), header=header, uid=f"feed-{feed.id}@{uid_domain()}"
    )
