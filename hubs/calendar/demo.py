"""Demo data for calendars: a few feeds people already follow.

Their links are random and unknown (only their hashes are stored, as always): on the
"Agenda-abonnementen" page a demo user sees the feed and gets a working link with
"Nieuwe link".
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, time, timedelta

from hubs.calendar.models import CalendarFeed, FeedKind
from hubs.calendar.services import token_digest
from hubs.demo import DemoContext
from hubs.extensions import db

# (user, kind, target key, days ago it was made)
FEEDS = [
    ("teacher_a", FeedKind.MINE, None, 40),
    ("teacher_a", FeedKind.HUB, "technohub", 12),
    ("coord_technohub", FeedKind.HUB, "technohub", 90),
    ("coord_make", FeedKind.RESOURCE, "make:CNC-frees DMG Mori", 30),
    ("hr_a", FeedKind.ORGANISATION, "company_a", 21),
]


def _target(ctx: DemoContext, kind: FeedKind, key: str | None) -> dict[str, int]:
    if kind == FeedKind.HUB:
        return {"hub_id": ctx.hubs[str(key)].id}
    if kind == FeedKind.RESOURCE:
        return {"resource_id": ctx.resources[str(key)].id}
    if kind == FeedKind.ORGANISATION:
        return {"organisation_id": ctx.organisations[str(key)].id}
    return {}


def load(ctx: DemoContext) -> None:
    noon = datetime.combine(ctx.today, time(12, 0), UTC)
    for user_key, kind, key, days_ago in FEEDS:
        db.session.add(
            CalendarFeed(
                user_id=ctx.users[user_key].id,
                kind=kind,
                token_hash=token_digest(secrets.token_urlsafe(32)),
                created_at=noon - timedelta(days=days_ago),
                **_target(ctx, kind, key),
            )
        )
    db.session.flush()
