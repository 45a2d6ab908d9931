"""The coordinator's start page ("my day") and the booking feature's panels on it."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from hubs import nav
from hubs.access import Principal, current_principal, require, select_visible
from hubs.booking import closures, queries
from hubs.booking.clock import local_date, zone
from hubs.booking.day import DayPanel, panels_for, register_panel
from hubs.booking.forms import ReasonForm
from hubs.booking.models import Booking, BookingStatus
from hubs.booking.views import bp
from hubs.db import utcnow
from hubs.extensions import db
from hubs.licences import checks as licence_checks
from hubs.locations.models import Hub


@bp.get("/day")
@login_required
def day() -> str:
    """Today and tomorrow at the hubs the user runs, and what needs a decision."""
    p = current_principal()
    require(p.is_staff)
    chosen = request.args.get("hub_id", "")
    return render_template("booking/day.html", **_day(p, int(chosen) if chosen.isdigit() else None))


def _day(p: Principal, hub_id: int | None = None) -> dict[str, Any]:
    hubs = [h for h in db.session.scalars(select(Hub).order_by(Hub.name)) if p.coordinates(h.id)]
    if hub_id is not None:
        hubs = [h for h in hubs if h.id == hub_id] or hubs
    today = local_date(utcnow(), zone(None))
    return {"today": today, "hubs": hubs, "panels": panels_for(p, hubs, today)}


def _start_section(p: Principal) -> dict[str, Any] | None:
    """The coordinator's day on the start page ("/")."""
    return _day(p) if p.is_coordinator else None


nav.register_start_section("booking-day", "booking/_start_day.html", _start_section, order=10)


def _visits(p: Principal, hubs: list[Hub], today: date) -> dict[str, Any] | None:
    bookings = queries.upcoming_between(p, [h.id for h in hubs], today, 2)
    tz = zone(None)
    by_day: dict[date, list[Booking]] = {today: [], today + timedelta(days=1): []}
    for b in bookings:
        first = max(local_date(b.start_at, tz), today)
        by_day.setdefault(first, []).append(b)
    return {"by_day": by_day, "today": today, "multi_hub": len(hubs) > 1}


def _requests(p: Principal, hubs: list[Hub], today: date) -> dict[str, Any] | None:
    requests = list(
        db.session.scalars(
            select_visible(Booking, p)
            .where(
                Booking.hub_id.in_([h.id for h in hubs]),
                Booking.id == Booking.bundle_id,
                Booking.status == BookingStatus.REQUESTED,
            )
            .options(
                selectinload(Booking.members).selectinload(Booking.resource),
                selectinload(Booking.organisation),
            )
            .order_by(Booking.created_at, Booking.id)
            .limit(50)
        )
    )
    supervised = licence_checks.supervised_among([b.id for b in requests])
    return {"requests": requests, "form": ReasonForm(), "supervised": supervised}


def _attention(p: Principal, hubs: list[Hub], today: date) -> dict[str, Any] | None:
    counts = [(hub, len(closures.hub_conflicts(hub))) for hub in hubs]
    return {"counts": counts}


register_panel(DayPanel("visits", _l("Visits"), "booking/_day_visits.html", _visits, order=10))
register_panel(
    DayPanel(
        "requests", _l("Requests (oldest first)"), "booking/_day_requests.html", _requests, order=20
    )
)
register_panel(
    DayPanel(
        "attention", _l("Needs attention"), "booking/_day_attention.html", _attention, order=30
    )
)
