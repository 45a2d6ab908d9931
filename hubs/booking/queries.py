"""Read helpers shared by the booking pages and the API (scoped; no writes)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, case, select
from sqlalchemy.orm import selectinload

from hubs.access import Principal, select_visible
from hubs.booking.clock import day_bounds, zone
from hubs.booking.forms import FilterForm, options
from hubs.booking.models import Booking, BookingEvent, BookingStatus
from hubs.db import utcnow
from hubs.extensions import db
from hubs.locations.models import Hub, Resource
from hubs.organisations.models import Membership, Organisation
from hubs.web import page_args


def home_hub_id(p: Principal) -> int | None:
    """The hub whose calendar a user sees first."""
    if p.coordinator_hub_ids:
        return min(p.coordinator_hub_ids)
    if p.booker_org_ids:
        hub_id = db.session.scalar(
            select(Membership.hub_id)
            .where(Membership.organisation_id.in_(p.booker_org_ids))
            .order_by(Membership.hub_id)
            .limit(1)
        )
        if hub_id is not None:
            return int(hub_id)
    return db.session.scalar(select(Hub.id).order_by(Hub.name).limit(1))


def bookable_organisations(p: Principal, hub_id: int) -> list[Organisation]:
    """Organisations this user may book for at this hub: members (now or later) that they
    book for, or every member when they run the hub."""
    today = utcnow().date()
    stmt = (
        select(Organisation, Membership)
        .join(Membership, Membership.organisation_id == Organisation.id)
        .where(Membership.hub_id == hub_id)
        .order_by(Organisation.name)
    )
    if not p.coordinates(hub_id):
        if not p.booker_org_ids:
            return []
        stmt = stmt.where(Organisation.id.in_(p.booker_org_ids))
    found: dict[int, Organisation] = {}
    for org, membership in db.session.execute(stmt):
        if membership.ends_on is None or membership.ends_on >= today:
            found.setdefault(org.id, org)
    return list(found.values())


def resource_order() -> tuple[Any, ...]:
    """Rooms first, then workspaces, then machines; by name within each."""
    kind = case((Resource.kind == "room", 0), (Resource.kind == "workspace", 1), else_=2)
    return kind, Resource.name


def hub_resources(hub_id: int) -> list[Resource]:
    return list(
        db.session.scalars(
            select(Resource)
            .where(Resource.hub_id == hub_id, Resource.active.is_(True))
            .order_by(*resource_order())
            .limit(200)
        )
    )


@dataclass
class AuditLine:
    event: BookingEvent
    actor: str


def audit_trail(lead: Booking) -> list[AuditLine]:
    """The bundle's history, oldest first, with each actor's name (or #id if erased)."""
    from hubs.accounts.models import User

    events = list(
        db.session.scalars(
            select(BookingEvent)
            .where(BookingEvent.booking_id == (lead.bundle_id or lead.id))
            .order_by(BookingEvent.at, BookingEvent.id)
            .limit(500)
        )
    )
    ids = {e.actor_id for e in events if e.actor_id is not None}
    names = dict(db.session.execute(select(User.id, User.name).where(User.id.in_(ids))).all())
    return [
        AuditLine(e, names.get(e.actor_id, f"#{e.actor_id}") if e.actor_id else "Hubs")
        for e in events
    ]


# --- the booking list ------------------------------------------------------------------


def list_statement(p: Principal, filters: dict[str, Any], now: datetime) -> Select[Any]:
    """Visible bookings, one line per bundle (or per row when filtering by resource)."""
    stmt = select_visible(Booking, p).options(
        selectinload(Booking.lead).selectinload(Booking.members).selectinload(Booking.resource),
        selectinload(Booking.organisation),
        selectinload(Booking.hub),
    )
    if filters.get("resource_id"):
        stmt = stmt.where(Booking.resource_id == filters["resource_id"])
    else:
        stmt = stmt.where(Booking.id == Booking.bundle_id)
    for name in ("hub_id", "organisation_id"):
        if filters.get(name):
            stmt = stmt.where(getattr(Booking, name) == filters[name])
    if filters.get("status"):
        stmt = stmt.where(Booking.status == BookingStatus(filters["status"]))
    tz = zone(None)
    if filters.get("from_day"):
        stmt = stmt.where(Booking.end_at > day_bounds(filters["from_day"], tz)[0])
    if filters.get("until_day"):
        stmt = stmt.where(Booking.start_at < day_bounds(filters["until_day"], tz)[1])
    when = filters.get("when") or "upcoming"
    if when == "upcoming":
        return stmt.where(Booking.end_at > now).order_by(Booking.start_at, Booking.id)
    if when == "past":
        stmt = stmt.where(Booking.end_at <= now)
    return stmt.order_by(Booking.start_at.desc(), Booking.id.desc())


def booking_list(p: Principal, args: Any) -> tuple[FilterForm, Any]:
    form = FilterForm(args)
    _filter_choices(form, p)
    filters: dict[str, Any] = {"when": "upcoming"}
    if form.validate():
        filters = {name: field.data for name, field in form._fields.items()}
    page, per_page = page_args()
    result = db.paginate(
        list_statement(p, filters, utcnow()), page=page, per_page=per_page, error_out=False
    )
    return form, result


def _filter_choices(form: FilterForm, p: Principal) -> None:
    hubs = db.session.scalars(select(Hub).order_by(Hub.name).limit(50)).all()
    if not p.is_manager:
        member_hubs = set(
            db.session.scalars(
                select(Membership.hub_id).where(Membership.organisation_id.in_(p.booker_org_ids))
            )
        )
        hubs = [h for h in hubs if h.id in p.coordinator_hub_ids or h.id in member_hubs]
    hub_ids = [h.id for h in hubs]
    resources = db.session.scalars(
        select(Resource)
        .where(Resource.hub_id.in_(hub_ids))
        .order_by(Resource.hub_id, Resource.name)
        .limit(300)
    ).all()
    orgs = db.session.scalars(
        select_visible(Organisation, p).order_by(Organisation.name).limit(300)
    ).all()
    everything = ("", _all_label())
    form.hub_id.choices = options([everything, *((h.id, h.name) for h in hubs)])
    form.resource_id.choices = options([everything, *((r.id, r.name) for r in resources)])
    form.organisation_id.choices = options([everything, *((o.id, o.name) for o in orgs)])


def _all_label() -> str:
    from flask_babel import gettext as _

    return _("all")


def upcoming_between(p: Principal, hub_ids: list[int], first: date, days: int) -> list[Booking]:
    """Active bundles at these hubs starting on ``first`` and the ``days - 1`` days after."""
    tz = zone(None)
    start = day_bounds(first, tz)[0]
    end = day_bounds(first + timedelta(days=days - 1), tz)[1]
    return list(
        db.session.scalars(
            select_visible(Booking, p)
            .where(
                Booking.hub_id.in_(hub_ids),
                Booking.id == Booking.bundle_id,
                Booking.status.in_((BookingStatus.CONFIRMED, BookingStatus.REQUESTED)),
                Booking.start_at < end,
                Booking.end_at > start,
            )
            .options(
                selectinload(Booking.members).selectinload(Booking.resource),
                selectinload(Booking.organisation),
            )
            .order_by(Booking.start_at)
            .limit(200)
        )
    )
