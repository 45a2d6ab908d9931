"""What the series' use cases share: reading a series with its bookings, ids for new
rows, and which of its dates a use case may still touch."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, text
from sqlalchemy.orm import selectinload

from hubs.access import Principal
from hubs.booking import calendar, services
from hubs.booking.models import Booking
from hubs.booking.services.common import lock_resources as lock_resources
from hubs.errors import InvalidInput, NotAllowed
from hubs.extensions import db
from hubs.series.models import BookingSeries, SeriesOccurrence


def load_series(series_id: int, *, lock: bool = False) -> BookingSeries:
    """The series (LookupError if there is none). ``lock``: hold its row on PostgreSQL
    until the unit of work ends, so its use cases queue behind each other."""
    stmt = select(BookingSeries).where(BookingSeries.id == series_id)
    if lock and db.engine.dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    series = db.session.scalar(stmt.execution_options(populate_existing=True))
    if series is None:
        raise LookupError(f"no series {series_id}")
    return series


@dataclass
class Dated:
    """A booked date of a series: its occurrence and its bundle's rows (the lead first)."""

    occurrence: SeriesOccurrence
    rows: list[Booking]

    @property
    def lead(self) -> Booking:
        return self.rows[0]


def booked_dates(series_id: int, *, lock: bool = False) -> list[Dated]:
    """Every booked date of the series in date order, with its bundle (locked on
    PostgreSQL with ``lock``: a status change waits for a rival one, then sees it)."""
    occurrences = list(
        db.session.scalars(
            select(SeriesOccurrence)
            .where(
                SeriesOccurrence.series_id == series_id,
                SeriesOccurrence.booking_id.is_not(None),
            )
            .order_by(SeriesOccurrence.on_date)
        )
    )
    ids = [o.booking_id for o in occurrences]
    stmt = (
        select(Booking)
        .where(Booking.bundle_id.in_(ids))
        .options(selectinload(Booking.resource))
        .order_by(Booking.bundle_id, Booking.id)
        .execution_options(populate_existing=True)
    )
    if lock and db.engine.dialect.name == "postgresql":
        stmt = stmt.with_for_update(of=Booking)
    bundles: dict[int, list[Booking]] = {}
    for row in db.session.scalars(stmt):
        bundles.setdefault(row.bundle_id or row.id, []).append(row)
    return [Dated(o, bundles[o.booking_id]) for o in occurrences if o.booking_id in bundles]


def series_of(booking_id: int) -> SeriesOccurrence | None:
    """The occurrence a booking (any row of its bundle) belongs to, or None."""
    bundle = select(Booking.bundle_id).where(Booking.id == booking_id).scalar_subquery()
    return db.session.scalar(
        select(SeriesOccurrence)
        .where(SeriesOccurrence.booking_id == bundle)
        .options(selectinload(SeriesOccurrence.series))
    )


def allocate_ids(count: int) -> list[int]:
    """Ids for ``count`` new booking rows before their INSERT (see
    hubs.booking.services.allocate_id: no UPDATE may follow the INSERT on PostgreSQL).
    On SQLite our write lock makes max(id) + 1 onwards safe."""
    if count <= 0:
        return []
    if db.engine.dialect.name == "postgresql":
        sql = "SELECT nextval(pg_get_serial_sequence('bookings', 'id')) FROM generate_series(1, :n)"
        return [int(i) for i in db.session.execute(text(sql), {"n": count}).scalars()]
    first = int(db.session.scalar(select(func.coalesce(func.max(Booking.id), 0) + 1)) or 1)
    return list(range(first, first + count))


SCOPES = ("occurrence", "following", "all")


@dataclass
class Selection:
    """The dates a change or cancellation reaches: those it changes, and those left as
    they are with the reason (already begun, past the deadline for bookers)."""

    changed: list[Dated]
    kept: list[tuple[Dated, str]]
    # The series the changed dates belong to afterwards (a "this and following" change
    # splits them off into a series of their own); None: the series asked for.
    series_id: int | None = None


def select_dates(
    series: BookingSeries, scope: str, booking_id: int | None, actor: Principal, now: datetime
) -> Selection:
    """The coming, active dates of ``scope``: one date, this date and the following, or
    all. Past or begun dates never change; a booker cannot change those past the hub's
    deadline (they are kept, with the reason)."""
    if not (actor.coordinates(series.hub_id) or actor.books_for(series.organisation_id)):
        raise NotAllowed(
            _l("Only the booking organisation and the hub's coordinators can change this.")
        )
    if scope not in SCOPES:
        raise InvalidInput(
            _l("Choose one date, this date and the following, or all."), field="scope"
        )
    dated = booked_dates(series.id, lock=True)
    anchor = _anchor(dated, scope, booking_id)
    settings = calendar.hub_settings(series.hub_id)
    selection = Selection([], [])
    for item in dated:
        if not _in_scope(item, anchor, scope) or not item.lead.is_active:
            continue
        if item.lead.start_at <= now:
            continue  # begun or past: never changes
        refusal = services.refusal_to_change(item.lead, actor, now, settings)
        if refusal is None:
            selection.changed.append(item)
        else:
            selection.kept.append((item, str(refusal)))
    return selection


def _anchor(dated: list[Dated], scope: str, booking_id: int | None) -> Dated | None:
    if scope == "all":
        return None
    for item in dated:
        if booking_id in {r.id for r in item.rows}:
            return item
    raise InvalidInput(_l("Choose a date of this series."), field="booking_id")


def _in_scope(item: Dated, anchor: Dated | None, scope: str) -> bool:
    if anchor is None:
        return True
    if scope == "occurrence":
        return item is anchor
    return item.occurrence.on_date >= anchor.occurrence.on_date
