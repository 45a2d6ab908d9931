"""Closures and maintenance windows, the bookings they hit, and what the coordinator does
about those: cancel them (the bookers are mailed a link to rebook) or keep them.

"Hit" is computed, not stored: an active, coming booking is hit when it overlaps a
closure, a maintenance window of one of its resources or (if the hub closes then) a school
holiday; when it falls outside the opening hours (e.g. after they were shortened); or when
its organisation's membership no longer covers it. A coordinator who keeps a booking
acknowledges that one conflict; a new one shows again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

import recurring_ical_events
from flask_babel import lazy_gettext as _l
from icalendar import Calendar
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from hubs.access import Principal
from hubs.booking import calendar, services
from hubs.booking.clock import day_bounds, last_local_date, local_date, zone
from hubs.booking.errors import AlreadyHandled, ManagedElsewhere
from hubs.booking.models import ACTIVE_STATUSES, Booking, Closure, ConflictAck
from hubs.db import transactional, utcnow
from hubs.errors import InvalidInput, NotAllowed
from hubs.extensions import db
from hubs.locations.models import Hub, Resource
from hubs.organisations.models import Membership

HORIZON = timedelta(days=366)
MAX_IMPORT = 1000


def _hub(hub_id: int, actor: Principal) -> Hub:
    if not actor.coordinates(hub_id):
        raise NotAllowed(_l("Only the hub's coordinators manage closures."))
    hub = db.session.get(Hub, hub_id)
    if hub is None:
        raise InvalidInput(_l("Unknown hub."), field="hub_id")
    return hub


@transactional
def add_hub_closure(
    hub_id: int, first_day: date, last_day: date, reason: str, actor: Principal
) -> Closure:
    """Close the whole hub from the start of ``first_day`` to the end of ``last_day``."""
    hub = _hub(hub_id, actor)
    if last_day < first_day:
        raise InvalidInput(_l("The last day cannot be before the first day."), field="last_day")
    if (last_day - first_day).days > 366:
        raise InvalidInput(_l("A closure can last at most a year."), field="last_day")
    tz = zone(hub.timezone)
    closure = Closure(
        hub_id=hub.id,
        starts_at=day_bounds(first_day, tz)[0],
        ends_at=day_bounds(last_day, tz)[1],
        all_day=True,
        reason=_reason(reason),
        created_by_id=actor.user_id,
    )
    db.session.add(closure)
    db.session.flush()
    return closure


@transactional
def add_maintenance(
    hub_id: int,
    resource_id: int,
    start: datetime,
    end: datetime,
    reason: str,
    actor: Principal,
) -> Closure:
    """Take one resource out of use for ``[start, end)``."""
    hub = _hub(hub_id, actor)
    resource = db.session.get(Resource, resource_id)
    if resource is None or resource.hub_id != hub.id:
        raise InvalidInput(_l("Choose a room or machine of this hub."), field="resource_id")
    if end <= start:
        raise InvalidInput(_l("The end must be after the start."), field="end_day")
    if end - start > HORIZON:
        raise InvalidInput(_l("A maintenance window can last at most a year."), field="end_day")
    closure = Closure(
        hub_id=hub.id,
        resource_id=resource.id,
        starts_at=start,
        ends_at=end,
        all_day=False,
        reason=_reason(reason),
        created_by_id=actor.user_id,
    )
    db.session.add(closure)
    db.session.flush()
    return closure


def _reason(reason: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise InvalidInput(_l("Give a reason; bookers will see it."), field="reason")
    return text[:200]


@transactional
def delete_closure(closure_id: int, actor: Principal) -> None:
    closure = db.session.get(Closure, closure_id)
    if closure is None:
        return
    _hub(closure.hub_id, actor)
    db.session.delete(closure)


# --- importing an .ics file ------------------------------------------------------------


@dataclass
class ImportResult:
    added: list[Closure] = field(default_factory=list)
    already_known: int = 0


@transactional
def import_closures(hub_id: int, content: bytes, actor: Principal) -> ImportResult:
    """Add a closure per event of an iCalendar file (recurring events expanded over the
    coming two years). Events already imported (same UID and start) are skipped."""
    hub = _hub(hub_id, actor)
    tz = zone(hub.timezone)
    try:
        cal = Calendar.from_ical(content)
    except Exception as exc:
        raise InvalidInput(_l("This is not a valid calendar (.ics) file."), field="file") from exc
    now = utcnow()
    try:
        events = list(
            recurring_ical_events.of(cal).between(now - timedelta(days=1), now + 2 * HORIZON)
        )
    except Exception as exc:
        raise InvalidInput(_l("This is not a valid calendar (.ics) file."), field="file") from exc
    if len(events) > MAX_IMPORT:
        raise InvalidInput(
            _l("The file has more than %(max)d events. Split it up.", max=MAX_IMPORT), field="file"
        )
    known = set(
        db.session.scalars(
            select(Closure.external_uid).where(
                Closure.hub_id == hub.id, Closure.external_uid.is_not(None)
            )
        )
    )
    result = ImportResult()
    for event in events:
        closure = _closure_from_event(event, hub, tz, actor)
        if closure is None:
            continue
        if closure.external_uid in known:
            result.already_known += 1
            continue
        known.add(closure.external_uid)
        db.session.add(closure)
        result.added.append(closure)
    if not result.added and not result.already_known:
        raise InvalidInput(_l("The file has no events in the coming two years."), field="file")
    db.session.flush()
    return result


def _closure_from_event(event: Any, hub: Hub, tz: tzinfo, actor: Principal) -> Closure | None:
    start = event.decoded("DTSTART", None)
    if start is None:
        return None
    end = event.decoded("DTEND", None)
    if end is None:
        duration = event.decoded("DURATION", None)
        end = start + duration if duration is not None else None
    if isinstance(start, datetime):
        start_at, end_at, all_day = (
            _aware(start, tz),
            _aware(end or start + timedelta(hours=1), tz),
            False,
        )
    else:
        last = (end - timedelta(days=1)) if isinstance(end, date) and end > start else start
        start_at, end_at, all_day = day_bounds(start, tz)[0], day_bounds(last, tz)[1], True
    if end_at <= start_at:
        return None
    uid = str(event.get("UID") or "")
    summary = str(event.get("SUMMARY") or "").strip() or str(_l("Closed"))
    return Closure(
        hub_id=hub.id,
        starts_at=start_at,
        ends_at=end_at,
        all_day=all_day,
        reason=summary[:200],
        external_uid=f"{uid}/{start.isoformat()}"[:255],
        created_by_id=actor.user_id,
    )


def _aware(value: datetime, tz: tzinfo) -> datetime:
    return value.replace(tzinfo=tz) if value.tzinfo is None else value


# --- the bookings they hit -------------------------------------------------------------


@dataclass
class Hit:
    key: str
    text: str


@dataclass
class Conflict:
    """A bundle and what it conflicts with (not yet kept deliberately)."""

    lead: Booking
    rows: list[Booking]
    hits: list[Hit]


def hub_conflicts(hub: Hub, now: datetime | None = None, key: str | None = None) -> list[Conflict]:
    """Coming active bookings of the hub that something now makes impossible."""
    now = now or utcnow()
    tz = zone(hub.timezone)
    bundles = _coming_bundles(hub.id, now)
    if not bundles:
        return []
    start = min(rows[0].start_at for rows in bundles.values())
    end = max(rows[0].end_at for rows in bundles.values())
    settings = calendar.hub_settings(hub.id)
    closures = calendar.all_closures_between([hub.id], start, end)
    blocked = calendar.blocked_between(hub.id, tz, settings, start, end, closures)
    spans = calendar.open_spans(hub.id, tz, start, end)
    memberships = _memberships(hub.id)
    acks = _acks(list(bundles))
    conflicts = []
    for bundle_id, rows in bundles.items():
        hits = _hits(rows, blocked, spans, memberships.get(rows[0].organisation_id, []), tz)
        hits = [h for h in hits if (bundle_id, h.key) not in acks and (key is None or h.key == key)]
        if hits:
            conflicts.append(Conflict(rows[0], rows, hits))
    return conflicts


def _coming_bundles(hub_id: int, now: datetime) -> dict[int, list[Booking]]:
    rows = db.session.scalars(
        select(Booking)
        .where(
            Booking.hub_id == hub_id,
            Booking.status.in_(ACTIVE_STATUSES),
            Booking.end_at > now,
            Booking.start_at < now + HORIZON,
        )
        .options(selectinload(Booking.resource), selectinload(Booking.organisation))
        .order_by(Booking.start_at, Booking.id)
        .limit(5000)
    )
    bundles: dict[int, list[Booking]] = {}
    for row in rows:
        bundles.setdefault(row.bundle_id or row.id, []).append(row)
    return bundles


def _memberships(hub_id: int) -> dict[int, list[Membership]]:
    result: dict[int, list[Membership]] = {}
    for m in db.session.scalars(select(Membership).where(Membership.hub_id == hub_id)):
        result.setdefault(m.organisation_id, []).append(m)
    return result


def _acks(bundle_ids: list[int]) -> set[tuple[int, str]]:
    rows = db.session.execute(
        select(ConflictAck.booking_id, ConflictAck.reason_key).where(
            ConflictAck.booking_id.in_(bundle_ids)
        )
    )
    return {(booking_id, key) for booking_id, key in rows}


def _hits(
    rows: list[Booking],
    blocked: list[calendar.Blocked],
    spans: list[calendar.Span],
    memberships: list[Membership],
    tz: tzinfo,
) -> list[Hit]:
    lead = rows[0]
    resource_ids = {r.resource_id for r in rows}
    names = {r.resource_id: r.resource.name for r in rows}
    hits: list[Hit] = []
    for b in blocked:
        if (
            b.start < lead.end_at
            and lead.start_at < b.end
            and any(b.applies_to(rid) for rid in resource_ids)
        ):
            hits.append(Hit(b.key, _blocked_text(b, names)))
    retired = [r.resource.name for r in rows if not r.resource.active]
    if retired:
        hits.append(
            Hit("retired", str(_l("No longer in use: %(names)s", names=", ".join(retired))))
        )
    if not calendar.within(lead.start_at, lead.end_at, spans):
        hits.append(Hit("hours", str(_l("Outside the opening hours"))))
    days = {local_date(lead.start_at, tz), last_local_date(lead.end_at, tz)}
    if not all(any(m.is_active_on(d) for m in memberships) for d in days):
        hits.append(Hit("membership", str(_l("The organisation's membership does not cover it"))))
    return hits


def _blocked_text(b: calendar.Blocked, names: dict[int, str]) -> str:
    if b.kind == "maintenance":
        return str(
            _l(
                "Maintenance of %(resource)s: %(reason)s",
                resource=names.get(b.resource_id or 0, ""),
                reason=b.reason,
            )
        )
    if b.kind == "holiday":
        return str(_l("School holiday: %(name)s", name=b.reason))
    return str(_l("Closure: %(reason)s", reason=b.reason))


def resolve(hub: Hub, booking_ids: list[int], action: str, reason: str, actor: Principal) -> int:
    """Cancel (mailing each booker a rebook link) or keep the chosen hit bookings.

    Returns how many bundles were handled. Each bundle is its own unit of work, so one
    that changed meanwhile does not stop the others.
    """
    if not actor.coordinates(hub.id):
        raise NotAllowed(_l("Only the hub's coordinators manage closures."))
    current = {c.lead.id: c for c in hub_conflicts(hub)}
    handled = 0
    for booking_id in dict.fromkeys(booking_ids):
        conflict = current.get(booking_id)
        if conflict is None:
            continue
        if action == "keep":
            _keep(conflict, actor)
        else:
            note = reason.strip() or "; ".join(h.text for h in conflict.hits)
            try:
                services.cancel_booking(conflict.lead.id, actor, note)
            except (AlreadyHandled, ManagedElsewhere):
                continue  # handled meanwhile, or a course session (cancelled via its course)
        handled += 1
    return handled


@transactional
def _keep(conflict: Conflict, actor: Principal) -> None:
    known = _acks([conflict.lead.id])
    for hit in conflict.hits:
        if (conflict.lead.id, hit.key) in known:
            continue
        db.session.add(
            ConflictAck(
                booking_id=conflict.lead.id, reason_key=hit.key, actor_id=actor.user_id, at=utcnow()
            )
        )
    services.record(
        conflict.lead, actor.user_id, "kept", note="; ".join(h.text for h in conflict.hits)
    )


def coming_closures(hub_id: int, now: datetime | None = None, limit: int = 100) -> list[Closure]:
    now = now or utcnow()
    return list(
        db.session.scalars(
            select(Closure)
            .where(Closure.hub_id == hub_id, Closure.ends_at > now)
            .options(selectinload(Closure.resource))
            .order_by(Closure.starts_at)
            .limit(limit)
        )
    )
