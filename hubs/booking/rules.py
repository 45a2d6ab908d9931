"""The rules a booking must satisfy, each a function that raises a domain error.

Services call them in order inside their unit of work. The overlap check here only makes
the message helpful; the database constraint is the guarantee.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from functools import cache
from typing import Any

from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, bindparam, exists, select

from hubs.access import Principal
from hubs.booking import calendar, programmes
from hubs.booking.clock import day_bounds, hhmm, last_local_date, local, local_date
from hubs.booking.errors import Closed, NotBookable, OutsideOpeningHours, SlotTaken
from hubs.booking.models import (
    MAX_DURATION,
    Booking,
    HubBookingSettings,
    LearnerCategory,
    Level,
    ResourceApproval,
    active_overlapping,
)
from hubs.errors import InvalidInput, NotAllowed
from hubs.extensions import db
from hubs.locations.models import Hub, Resource, ResourceKind
from hubs.organisations.models import Membership, Organisation

GRID_MINUTES = 15


@dataclass
class BookingInput:
    """What a booker asks for, already parsed (form or JSON) into Python values."""

    resource_ids: list[int]
    start: datetime
    end: datetime
    group_name: str = ""
    group_size: int | None = None
    learner_category: str | None = None
    level: str | None = None
    purpose: str = ""
    notes: str = ""
    organisation_id: int | None = None
    # Who will use machines that need a licence: learner ids (API) or the organisation's
    # references (form); or, for a school class, the hub's instructor supervises.
    learner_ids: list[int] | None = None
    learner_references: list[str] | None = None
    supervised: bool = False
    # The hub's programme the visit is part of (see hubs.booking.programmes).
    programme_id: int | None = None
    # Without a programme_id: take the organisation's only programme (False: none).
    derive_programme: bool = True
    # Times as a client wrote them (the API): their offsets must be real in the hub's
    # time zone (clock.check_offset), checked once the hub is known.
    client_offsets: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Place:
    """What a booking needs to know of where it happens, read in one statement: its
    resources (in the order asked), their hub, the hub's settings and which resources
    need a coordinator's approval."""

    resources: list[Resource]
    hub: Hub
    settings: calendar.SettingsView
    approval_ids: set[int]


def load_place(resource_ids: list[int]) -> Place:
    """The resources of one hub, all active, with their hub and its settings; else 422
    on resource_ids (one statement)."""
    ids = _asked(resource_ids)
    rows = db.session.execute(_place_statement(), {"ids": ids}).all()
    found = {row[0].id: row for row in rows}
    resources = _check_resources(ids, {i: row[0] for i, row in found.items()})
    _, hub, settings, _ = found[ids[0]]
    approval_ids = {i for i, row in found.items() if row[3]}
    return Place(resources, hub, calendar.SettingsView(hub.id, settings), approval_ids)


# Statements run for every booking are built once: building a select() and computing its
# cache key cost more than running it (bench/: row 1).


@cache
def _place_statement() -> Select[Resource, Hub, HubBookingSettings, bool]:
    approval = exists().where(ResourceApproval.resource_id == Resource.id)
    return (
        select(Resource, Hub, HubBookingSettings, approval)
        .join(Hub, Hub.id == Resource.hub_id)
        .outerjoin(HubBookingSettings, HubBookingSettings.hub_id == Resource.hub_id)
        .where(Resource.id.in_(bindparam("ids", expanding=True)))
    )


@cache
def _organisation_statement(derive: bool = False, category: str | None = None) -> Select[Any]:
    columns: list[Any] = [Organisation, Membership]
    if derive:
        columns.append(programmes.derived_programme_column(Organisation.id, category))
    return (
        select(*columns)
        .outerjoin(
            Membership,
            and_(
                Membership.organisation_id == Organisation.id,
                Membership.hub_id == bindparam("hub_id"),
            ),
        )
        .where(Organisation.id == bindparam("organisation_id"))
    )


def load_resources(resource_ids: list[int]) -> list[Resource]:
    """The resources of one hub, all active, in the order asked; else 422 on resource_ids."""
    ids = _asked(resource_ids)
    found = {r.id: r for r in db.session.scalars(select(Resource).where(Resource.id.in_(ids)))}
    return _check_resources(ids, found)


def _asked(resource_ids: list[int]) -> list[int]:
    ids = list(dict.fromkeys(resource_ids or []))
    if not ids:
        raise InvalidInput(_l("Choose at least one room or machine."), field="resource_ids")
    return ids


def _check_resources(ids: list[int], found: dict[int, Resource]) -> list[Resource]:
    missing = [i for i in ids if i not in found]
    if missing:
        raise InvalidInput(
            _l("Unknown resource: %(ids)s.", ids=", ".join(map(str, missing))),
            field="resource_ids",
        )
    resources = [found[i] for i in ids]
    if len({r.hub_id for r in resources}) > 1:
        raise NotBookable(
            _l("All rooms and machines of one booking must be at the same hub."),
            field="resource_ids",
        )
    retired = [r.name for r in resources if not r.active]
    if retired:
        raise NotBookable(
            _l("%(names)s can no longer be booked.", names=", ".join(retired)),
            field="resource_ids",
        )
    return resources


def check_times(start: datetime, end: datetime, now: datetime) -> None:
    if end <= start:
        raise InvalidInput(_l("The end must be after the start."), field="end")
    if start < now:
        raise InvalidInput(
            _l("This time is in the past. Choose a time from now on."), field="start"
        )
    # Elapsed time, as the database measures it (UTC): two instants in the same zone would
    # subtract as wall-clock time, an hour short across the autumn clock change.
    if end.astimezone(UTC) - start.astimezone(UTC) > MAX_DURATION:
        raise InvalidInput(_l("A booking can last at most 14 days."), field="end")


def capacity_of(resources: list[Resource]) -> int:
    """People a bundle takes: its rooms and workspaces, or its machines when booked alone."""
    spaces = [r for r in resources if r.kind in (ResourceKind.ROOM, ResourceKind.WORKSPACE)]
    return sum(r.capacity for r in (spaces or resources))


def group_errors(data: BookingInput, resources: list[Resource]) -> dict[str, list[Any]]:
    """Every problem with the group fields at once (name, size, category, level, texts)."""
    errors: dict[str, list[Any]] = {}
    name = (data.group_name or "").strip()
    if not name:
        errors["group_name"] = [_l("Give the group a name, e.g. 3K-PIE.")]
    elif len(name) > 60:
        errors["group_name"] = [_l("At most 60 characters.")]
    capacity = capacity_of(resources)
    if data.group_size is None or data.group_size < 1:
        errors["group_size"] = [_l("Give the number of people (at least 1).")]
    elif data.group_size > capacity:
        errors["group_size"] = [
            _l(
                "Too many people: %(names)s take at most %(capacity)d.",
                names=", ".join(r.name for r in resources),
                capacity=capacity,
            )
        ]
    category = _category(data.learner_category, errors)
    _check_level(data.level, category, errors)
    if len(data.purpose or "") > 200:
        errors["purpose"] = [_l("At most 200 characters.")]
    if len(data.notes or "") > 2000:
        errors["notes"] = [_l("At most 2000 characters.")]
    return errors


def _category(code: str | None, errors: dict[str, list[Any]]) -> LearnerCategory | None:
    try:
        return LearnerCategory(code or "")
    except ValueError:
        errors["learner_category"] = [_l("Choose who is learning: vo, mbo, employee or other.")]
        return None


def _check_level(code: str | None, category: LearnerCategory | None, errors: dict) -> None:
    if not code:
        return
    try:
        level = Level(code)
    except ValueError:
        errors["level"] = [_l("Unknown level. Use e.g. vmbo-kb, havo or mbo-3.")]
        return
    if category is not None and level.category != category:
        errors["level"] = [_l("This level does not match who is learning.")]


def resolve_organisation(
    actor: Principal, hub: Hub, organisation_id: int | None, start: datetime, end: datetime
) -> Organisation:
    """The organisation that books: given, or the booker's own; it must be a member of the
    hub on every day of the booking, and the actor must book for it or run the hub."""
    return resolve_organisation_and_programme(actor, hub, organisation_id, start, end)[0]


def resolve_organisation_and_programme(
    actor: Principal,
    hub: Hub,
    organisation_id: int | None,
    start: datetime,
    end: datetime,
    derive: bool = False,
    category: str | None = None,
) -> tuple[Organisation, int | None]:
    """:func:`resolve_organisation`; with ``derive``, also the organisation's only
    programme for the visit (:func:`programmes.derived_programme`), read in the same
    statement (bench/: row 1)."""
    if organisation_id is None:
        candidates = [o for o in sorted(actor.booker_org_ids) if _member_ids(hub.id, [o])]
        if len(candidates) != 1:
            raise InvalidInput(_l("Choose the organisation you book for."), field="organisation_id")
        organisation_id = candidates[0]
    if not (actor.books_for(organisation_id) or actor.coordinates(hub.id)):
        raise NotAllowed(_l("You cannot book for this organisation."), field="organisation_id")
    # The organisation and its memberships of this hub in one statement.
    params: dict[str, Any] = {"hub_id": hub.id, "organisation_id": organisation_id}
    serving = programmes.serving_category(category)
    if derive:
        params["day"] = programmes.derivation_day(start)
    rows = db.session.execute(_organisation_statement(derive, serving), params).all()
    if not rows:
        raise InvalidInput(_l("Unknown organisation."), field="organisation_id")
    organisation = rows[0][0]
    memberships = [row[1] for row in rows if row[1] is not None]
    check_membership(organisation, hub, start, end, memberships)
    return organisation, (rows[0][2] if derive else None)


def _member_ids(hub_id: int, org_ids: list[int]) -> set[int]:
    return set(
        db.session.scalars(
            select(Membership.organisation_id).where(
                Membership.hub_id == hub_id, Membership.organisation_id.in_(org_ids)
            )
        )
    )


def check_membership(
    organisation: Organisation,
    hub: Hub,
    start: datetime,
    end: datetime,
    memberships: list[Membership] | None = None,
) -> None:
    """The organisation is a member of the hub on the first and last day (``memberships``:
    its memberships of this hub, when already read)."""
    tz = calendar_tz(hub)
    days = {local_date(start, tz), last_local_date(end, tz)}
    if memberships is None:
        memberships = list(
            db.session.scalars(
                select(Membership).where(
                    Membership.hub_id == hub.id, Membership.organisation_id == organisation.id
                )
            )
        )
    for day in sorted(days):
        if not any(m.is_active_on(day) for m in memberships):
            raise NotBookable(
                _l(
                    "%(org)s has no active membership of %(hub)s on %(day)s, so it cannot book "
                    "there.",
                    org=organisation.name,
                    hub=hub.name,
                    day=format_date(day, "d MMMM y"),
                ),
                field="organisation_id",
            )


def calendar_tz(hub: Hub) -> tzinfo:
    from hubs.booking.clock import zone

    return zone(hub.timezone)


def check_grid(hub: Hub, settings: calendar.SettingsView, start: datetime, end: datetime) -> None:
    """Snap to the hub's named periods where it uses them, else to a 15-minute grid."""
    tz = calendar_tz(hub)
    slots = calendar.slots_by_weekday(hub.id) if settings.uses_slots else {}
    day_slots = slots.get(local(start, tz).weekday(), [])
    if day_slots and local_date(start, tz) == last_local_date(end, tz):
        starts = {s.starts_at for s in day_slots}
        ends = {s.ends_at for s in day_slots}
        if local(start, tz).time() not in starts or local(end, tz).time() not in ends:
            periods = ", ".join(
                f"{s.name} {s.starts_at:%H:%M}–{s.ends_at:%H:%M}" for s in day_slots
            )
            raise OutsideOpeningHours(
                _l(
                    "At %(hub)s bookings follow the periods of the day: %(periods)s. Start at "
                    "the start of a period and end at the end of one.",
                    hub=hub.name,
                    periods=periods,
                ),
                field="start",
            )
        return
    for value, name in ((start, "start"), (end, "end")):
        moment = local(value, tz)
        if moment.minute % GRID_MINUTES or moment.second or moment.microsecond:
            raise InvalidInput(
                _l("Times go in steps of 15 minutes (e.g. 09:00, 09:15, 09:30)."), field=name
            )


def check_open(hub: Hub, start: datetime, end: datetime, spans: list[calendar.Span]) -> None:
    """Within the opening hours (``spans``: the hub's open spans around it)."""
    tz = calendar_tz(hub)
    if calendar.within(start, end, spans):
        return
    day = local_date(start, tz)
    day_start, day_end = day_bounds(day, tz)
    today = calendar.open_spans(hub.id, tz, day_start, day_end)
    if today:
        hours = ", ".join(f"{hhmm(s, tz)}–{hhmm(e, tz)}" for s, e in today)
        message = _l(
            "%(hub)s is open on %(day)s from %(hours)s. Choose a time within the opening hours.",
            hub=hub.name,
            day=format_date(day, "EEEE d MMMM"),
            hours=hours,
        )
    else:
        message = _l(
            "%(hub)s is closed on %(day)s. Choose another day.",
            hub=hub.name,
            day=format_date(day, "EEEE d MMMM"),
        )
    raise OutsideOpeningHours(message, field="start")


def check_not_closed(
    hub: Hub,
    settings: calendar.SettingsView,
    resources: list[Resource],
    start: datetime,
    end: datetime,
    closures: list[Any],
) -> None:
    """Not in a closure or maintenance window (``closures``: closures_between's rows),
    nor in a school holiday the hub closes for."""
    tz = calendar_tz(hub)
    for blocked in calendar.blocked_between(hub.id, tz, settings, start, end, closures):
        names = {r.id: r.name for r in resources}
        if blocked.kind == "maintenance":
            message = _l(
                "%(resource)s is not available then (maintenance: %(reason)s).",
                resource=names.get(blocked.resource_id or 0, ""),
                reason=blocked.reason,
            )
        else:
            message = _l(
                "%(hub)s is closed then: %(reason)s (%(day)s).",
                hub=hub.name,
                reason=blocked.reason,
                day=format_date(local_date(max(blocked.start, start), tz), "d MMMM y"),
            )
        raise Closed(message, field="start")


def find_conflicts(
    resource_ids: list[int], start: datetime, end: datetime, exclude_bundle: int | None = None
) -> list[Booking]:
    """Active bookings of these resources overlapping ``[start, end)``."""
    stmt = select(Booking).where(*active_overlapping(resource_ids, start, end))
    if exclude_bundle is not None:
        stmt = stmt.where(Booking.bundle_id != exclude_bundle)
    return list(db.session.scalars(stmt.order_by(Booking.start_at)))


def describe_conflicts(conflicts: list[Booking], actor: Principal) -> list[dict[str, Any]]:
    """What the caller may know of each conflict: other organisations' bookings show only
    the resource and the time ("bezet")."""
    names = dict(
        db.session.execute(
            select(Resource.id, Resource.name).where(
                Resource.id.in_({c.resource_id for c in conflicts})
            )
        ).all()
    )
    described = []
    for c in conflicts:
        item: dict[str, Any] = {
            "resource_id": c.resource_id,
            "resource": names.get(c.resource_id, ""),
            "start": c.start_at,
            "end": c.end_at,
        }
        if actor.books_for(c.organisation_id) or actor.coordinates(c.hub_id):
            item.update(booking_id=c.id, group_name=c.group_name, status=c.status.value)
        described.append(item)
    return described


def slot_taken(conflicts: list[dict[str, Any]], tz: tzinfo) -> SlotTaken:
    parts = [
        _l(
            "%(resource)s is already booked from %(start)s to %(end)s",
            resource=c["resource"],
            start=format_date(local_date(c["start"], tz), "d MMM") + " " + hhmm(c["start"], tz),
            end=hhmm(c["end"], tz),
        )
        for c in conflicts
    ]
    as_json = [
        {
            **c,
            "start": c["start"].astimezone(tz).isoformat(),
            "end": c["end"].astimezone(tz).isoformat(),
        }
        for c in conflicts
    ]
    if not parts:
        return SlotTaken(_l("This time was just booked by someone else. Choose another time."))
    text = "; ".join(str(p) for p in parts)
    return SlotTaken(_l("%(conflicts)s. Choose another time.", conflicts=text), as_json)


def needs_approval(
    settings: calendar.SettingsView, resources: list[Resource], approval_ids: set[int] | None = None
) -> bool:
    """The hub approves every booking, or one of these resources needs approval
    (``approval_ids``: those that do, when already read)."""
    if settings.approval_required:
        return True
    ids = [r.id for r in resources]
    if approval_ids is not None:
        return any(i in approval_ids for i in ids)
    found = db.session.scalar(
        select(ResourceApproval.resource_id).where(ResourceApproval.resource_id.in_(ids)).limit(1)
    )
    return found is not None
