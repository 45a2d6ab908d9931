"""Series mails carry their occurrences as calendar events: one ``.ics`` with an event
per date the message is about, each with the UID the feeds and the booking's own mails
use (:func:`hubs.calendar.events.booking_uid`), so calendar apps add, move or cancel the
same occurrences rather than duplicating them."""

from __future__ import annotations

from typing import Any

from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from hubs.accounts.models import User
from hubs.booking.models import Booking
from hubs.calendar import ics
from hubs.calendar.events import BundleView, booking_event, ics_attachment, link_builder
from hubs.extensions import db
from hubs.series.models import BookingSeries

FILENAME = "series-{id}.ics"


def _views(series: BookingSeries, bundle_ids: list[int]) -> list[BundleView]:
    """The bundles with their rows (one query), in start order."""
    rows = db.session.scalars(
        select(Booking)
        .where(Booking.bundle_id.in_(bundle_ids))
        .options(selectinload(Booking.resource))
        .order_by(Booking.start_at, Booking.bundle_id, Booking.id)
        # Series changes update rows in bulk: read what the database says now.
        .execution_options(populate_existing=True)
    ).all()
    views: dict[int, BundleView] = {}
    organisation = series.organisation.name
    for row in rows:
        key = row.bundle_id or row.id
        if key in views:
            views[key].resource_names.append(row.resource.name)
        else:
            views[key] = BundleView(row, [row.resource.name], series.hub, organisation, True)
    return list(views.values())


def series_attachments(
    series: BookingSeries, kind: str, bookings: list[Booking]
) -> list[dict[str, Any]]:
    """The events of ``bookings`` (lead rows) for the series' booker, in their language."""
    ids = sorted({b.bundle_id or b.id for b in bookings})
    if not ids:
        return []
    user = db.session.get(User, series.booked_by_id) if series.booked_by_id else None
    link = link_builder("booking.detail", "booking_id")
    with force_locale((user.locale if user else None) or "nl"):
        content = ics.render([booking_event(view, link) for view in _views(series, ids)])
    return [ics_attachment(content, FILENAME.format(id=series.id))]
