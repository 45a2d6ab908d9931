"""Hubs, their opening hours (weekly and per date) and their resources."""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, time, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, Integer, bindparam, cast, delete, func, null, select, union_all, update

from hubs.db import execute_core, transactional
from hubs.errors import InvalidInput
from hubs.extensions import db
from hubs.locations.models import Hub, OpeningException, OpeningHours, Resource, ResourceKind

Interval = tuple[time, time]


# Built once (this runs for every availability answer and every booking): columns of
# the tables with bound parameters, found in SQLAlchemy's compiled cache as they are.
# One statement reads both: weekday hours (no date) and the range's date exceptions.
_OH, _OE = OpeningHours.__table__.c, OpeningException.__table__.c
HOURS_PARTS = (
    select(cast(null(), Date).label("on_date"), _OH.weekday, _OH.opens_at, _OH.closes_at).where(
        _OH.hub_id == bindparam("hub_id")
    ),
    select(_OE.on_date, cast(null(), Integer), _OE.opens_at, _OE.closes_at).where(
        _OE.hub_id == bindparam("hub_id"),
        _OE.on_date >= bindparam("first", type_=Date()),
        _OE.on_date <= bindparam("last", type_=Date()),
    ),
)
_HOURS = union_all(*HOURS_PARTS)


def opening_intervals(hub_id: int, start: date, end: date) -> dict[date, list[Interval]]:
    """Open intervals per date in ``[start, end]`` (inclusive), in the hub's local time.

    One query for the whole range: weekday hours and the date exceptions. A date with
    exceptions uses only those (an exception without times means closed).
    """
    params = {"hub_id": hub_id, "first": start, "last": end}
    return intervals_from(execute_core(_HOURS, params), start, end)


def intervals_from(rows: Iterable[Any], start: date, end: date) -> dict[date, list[Interval]]:
    """:func:`opening_intervals` from rows ``(on_date, weekday, opens_at, closes_at)``: the
    weekday hours (no date) and the date exceptions of ``[start, end]``."""
    weekly: dict[int, list[Interval]] = defaultdict(list)
    exceptions: dict[date, list[Interval]] = defaultdict(list)
    for on_date, weekday, opens_at, closes_at in rows:
        if on_date is None:
            weekly[weekday].append((opens_at, closes_at))
            continue
        intervals = exceptions[on_date]
        if opens_at is not None and closes_at is not None:
            intervals.append((opens_at, closes_at))
    result: dict[date, list[Interval]] = {}
    day = start
    while day <= end:
        if day in exceptions:
            result[day] = sorted(exceptions[day])
        else:
            result[day] = sorted(weekly.get(day.weekday(), []))
        day += timedelta(days=1)
    return result


# --- administration -------------------------------------------------------------------

LICENCE_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
WeeklyHours = dict[int, list[Interval]]


def _check_intervals(intervals: list[Interval], field: str) -> list[Interval]:
    """Sorted, each closing after it opens, none overlapping."""
    ordered = sorted(intervals)
    for opens, closes in ordered:
        if closes <= opens:
            raise InvalidInput(_l("The closing time must be after the opening time."), field)
    for (_, first_close), (second_open, _) in itertools.pairwise(ordered):
        if second_open < first_close:
            raise InvalidInput(_l("The opening times of one day may not overlap."), field)
    return ordered


def _hub_name_taken(name: str, except_id: int | None = None) -> bool:
    stmt = select(Hub.id).where(func.lower(Hub.name) == name.lower())
    if except_id is not None:
        stmt = stmt.where(Hub.id != except_id)
    return db.session.scalar(stmt) is not None


def _clean_hub_fields(name: str, town: str, address: str, except_id: int | None) -> dict[str, str]:
    name, town, address = name.strip(), town.strip(), address.strip()
    if not name:
        raise InvalidInput(_l("Fill in the name."), "name")
    if not town:
        raise InvalidInput(_l("Fill in the town."), "town")
    if _hub_name_taken(name, except_id):
        raise InvalidInput(_l("There is already a hub with this name."), "name")
    return {"name": name[:120], "town": town[:120], "address": address[:300]}


@transactional
def create_hub(name: str, town: str, address: str = "", hours: WeeklyHours | None = None) -> Hub:
    """A new hub, with its weekly opening hours."""
    hub = Hub(**_clean_hub_fields(name, town, address, None))
    db.session.add(hub)
    db.session.flush()
    if hours:
        set_opening_hours(hub, hours)
    return hub


@transactional
def update_hub(hub: Hub, *, name: str, town: str, address: str) -> Hub:
    """Change a hub's name, town and address."""
    hub = db.session.merge(hub)
    for key, value in _clean_hub_fields(name, town, address, hub.id).items():
        setattr(hub, key, value)
    return hub


@transactional
def set_opening_hours(hub: Hub, hours: WeeklyHours) -> None:
    """Replace the weekly opening hours: ``{weekday: [(opens, closes), ...]}``."""
    cleaned = {
        day: _check_intervals(intervals, f"day{day}")
        for day, intervals in hours.items()
        if intervals
    }
    if any(day not in range(7) for day in cleaned):
        raise InvalidInput(_l("Unknown weekday."), "weekday")
    db.session.execute(delete(OpeningHours).where(OpeningHours.hub_id == hub.id))
    for day, intervals in sorted(cleaned.items()):
        for opens, closes in intervals:
            db.session.add(
                OpeningHours(hub_id=hub.id, weekday=day, opens_at=opens, closes_at=closes)
            )
    db.session.flush()
    db.session.expire(hub, ["opening_hours"])


@transactional
def add_opening_exception(
    hub: Hub,
    on_date: date,
    opens_at: time | None = None,
    closes_at: time | None = None,
    note: str = "",
) -> OpeningException:
    """Different hours on one date: closed all day (no times) or an extra/other interval."""
    if (opens_at is None) != (closes_at is None):
        raise InvalidInput(_l("Give both an opening and a closing time."), "opens_at")
    same_day = list(
        db.session.scalars(
            select(OpeningException).where(
                OpeningException.hub_id == hub.id, OpeningException.on_date == on_date
            )
        )
    )
    if opens_at is None or closes_at is None:
        if same_day:
            raise InvalidInput(
                _l("This date already has different hours. Remove them first."), "on_date"
            )
    else:
        if any(e.is_closed for e in same_day):
            raise InvalidInput(
                _l("The hub is already closed on this date. Remove that first."), "on_date"
            )
        existing = [(e.opens_at, e.closes_at) for e in same_day]
        _check_intervals([*existing, (opens_at, closes_at)], "opens_at")  # type: ignore[list-item]
    row = OpeningException(
        hub_id=hub.id,
        on_date=on_date,
        opens_at=opens_at,
        closes_at=closes_at,
        note=note.strip()[:200],
    )
    db.session.add(row)
    db.session.flush()
    return row


@transactional
def delete_opening_exception(exception: OpeningException) -> None:
    """Remove one exception; the date falls back to its weekday's hours."""
    db.session.execute(delete(OpeningException).where(OpeningException.id == exception.id))


def _clean_resource_fields(hub_id: int, except_id: int | None, **fields: Any) -> dict[str, Any]:
    name = (fields.get("name") or "").strip()
    if not name:
        raise InvalidInput(_l("Fill in the name."), "name")
    taken = select(Resource.id).where(
        Resource.hub_id == hub_id, func.lower(Resource.name) == name.lower()
    )
    if except_id is not None:
        taken = taken.where(Resource.id != except_id)
    if db.session.scalar(taken) is not None:
        raise InvalidInput(_l("This hub already has a resource with this name."), "name")
    try:
        kind = ResourceKind(str(fields.get("kind")))
    except ValueError:
        raise InvalidInput(_l("Choose machine, room or workspace."), "kind") from None
    capacity = fields.get("capacity")
    if not isinstance(capacity, int) or not 1 <= capacity <= 500:
        raise InvalidInput(_l("The capacity is a number of people from 1 to 500."), "capacity")
    licence = (fields.get("licence_type") or "").strip().lower().replace(" ", "-") or None
    if licence is not None and not LICENCE_RE.match(licence):
        raise InvalidInput(
            _l("Use lower-case letters, digits and hyphens for the licence type, e.g. cnc."),
            "licence_type",
        )
    return {
        "name": name[:120],
        "kind": kind,
        "capacity": capacity,
        "licence_type": licence,
        "description": (fields.get("description") or "").strip()[:5000],
    }


@transactional
def create_resource(hub: Hub, **fields: Any) -> Resource:
    """A new machine, room or workspace of ``hub`` (name, kind, capacity, licence_type)."""
    resource = Resource(hub_id=hub.id, **_clean_resource_fields(hub.id, None, **fields))
    db.session.add(resource)
    db.session.flush()
    return resource


@transactional
def update_resource(resource: Resource, **fields: Any) -> Resource:
    """Change a resource; fields not given keep their value."""
    resource = db.session.merge(resource)
    current = {
        "name": resource.name,
        "kind": resource.kind.value,
        "capacity": resource.capacity,
        "licence_type": resource.licence_type,
        "description": resource.description,
    }
    cleaned = _clean_resource_fields(resource.hub_id, resource.id, **{**current, **fields})
    for key, value in cleaned.items():
        setattr(resource, key, value)
    if "active" in fields:
        resource.active = bool(fields["active"])
    return resource


@transactional
def set_resource_active(resource: Resource, active: bool) -> None:
    """Retire a resource (no new bookings; its history stays) or bring it back."""
    db.session.execute(update(Resource).where(Resource.id == resource.id).values(active=active))
    resource.active = active
