"""The calendars a user may follow, as the feed form's choices (bounded lists)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from hubs.access import Principal
from hubs.calendar.feeds import followed_hub_ids
from hubs.calendar.models import FeedKind
from hubs.extensions import db
from hubs.locations.models import Hub, Resource
from hubs.organisations.models import Membership, Organisation

LIMIT = 300


def _organisations(p: Principal) -> list[Organisation]:
    stmt = select(Organisation).order_by(Organisation.name).limit(LIMIT)
    if p.is_manager:
        return list(db.session.scalars(stmt))
    coordinated = select(Membership.organisation_id).where(
        Membership.hub_id.in_(p.coordinator_hub_ids)
    )
    return list(
        db.session.scalars(
            stmt.where(Organisation.id.in_(p.booker_org_ids) | Organisation.id.in_(coordinated))
        )
    )


def _hubs(p: Principal, today: date) -> list[Hub]:
    ids = followed_hub_ids(p, today)
    stmt = select(Hub).order_by(Hub.name).limit(LIMIT)
    if ids is not None:
        stmt = stmt.where(Hub.id.in_(ids))
    return list(db.session.scalars(stmt))


def _resources(hubs: list[Hub]) -> list[tuple[Resource, Hub]]:
    by_id = {hub.id: hub for hub in hubs}
    rows = db.session.scalars(
        select(Resource)
        .where(Resource.hub_id.in_(by_id), Resource.active.is_(True))
        .order_by(Resource.hub_id, Resource.name)
        .limit(LIMIT)
    )
    return sorted(
        ((r, by_id[r.hub_id]) for r in rows), key=lambda pair: (pair[1].name, pair[0].name)
    )


def calendar_choices(p: Principal, today: date) -> list[SelectChoice]:
    """``mine``, then organisations, hubs and resources (``<kind>:<id>``), grouped."""
    if not (p.is_staff or p.is_booker):
        return []
    choices = [SelectChoice("", _("Choose…")), SelectChoice(FeedKind.MINE.value, _("My bookings"))]
    group = _("Organisation")
    choices += [
        SelectChoice(f"organisation:{o.id}", o.name, optgroup=group) for o in _organisations(p)
    ]
    hubs = _hubs(p, today)
    group = _("Hub (other organisations' bookings show as 'busy')")
    choices += [SelectChoice(f"hub:{h.id}", h.name, optgroup=group) for h in hubs]
    group = _("Machine or room")
    choices += [
        SelectChoice(f"resource:{r.id}", f"{r.name} ({h.name})", optgroup=group)
        for r, h in _resources(hubs)
    ]
    return choices


def parse_choice(value: str) -> tuple[FeedKind, int | None]:
    """``"hub:3"`` → (HUB, 3); ``"mine"`` → (MINE, None). ValueError when malformed."""
    kind, _sep, ident = value.partition(":")
    feed_kind = FeedKind(kind)
    if feed_kind == FeedKind.MINE:
        return feed_kind, None
    return feed_kind, int(ident)


def describe(choices: list[SelectChoice]) -> dict[str, Any]:
    return {c.value: c.label for c in choices}
