"""Fixtures for reports: the demo data (loaded once per test), and the learner factory."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine

from tests.booking.helpers import NOW, at, build_world
from tests.learners.conftest import LearnerFactory

TODAY = date(2026, 11, 29)


@pytest.fixture
def learn(make: Any) -> LearnerFactory:
    return LearnerFactory(make)


@pytest.fixture
def demo(app: Any) -> dict[str, Any]:
    """The demo data, loaded as on 29 November 2026; ids of hubs, programmes and users."""
    from sqlalchemy import select

    from hubs.accounts.models import User
    from hubs.demo.cli import load_demo
    from hubs.extensions import db

    with time_machine.travel(TODAY, tick=False), app.app_context():
        ctx = load_demo()
        users = {u.email: u for u in db.session.scalars(select(User))}
        for user in users.values():
            db.session.expunge(user)
        return {
            "programmes": {k: v.id for k, v in ctx.extra["programmes"].items()},
            "hubs": {k: v.id for k, v in ctx.hubs.items()},
            "users": users,
        }


@pytest.fixture
def frozen() -> Any:
    with time_machine.travel(TODAY, tick=False):
        yield


def _bundle(resources, org, start, end, status="confirmed", size=20):
    from hubs.booking.models import Booking, BookingStatus, LearnerCategory
    from hubs.booking.services import allocate_id
    from hubs.db import write_transaction
    from hubs.extensions import db

    with write_transaction():
        lead = allocate_id()
        for n, resource in enumerate(resources):
            db.session.add(
                Booking(
                    id=lead if n == 0 else None,
                    bundle_id=lead,
                    hub_id=resource.hub_id,
                    resource_id=resource.id,
                    organisation_id=org.id,
                    start_at=start,
                    end_at=end,
                    status=BookingStatus(status),
                    group_name="3K",
                    group_size=size,
                    learner_category=LearnerCategory.VO,
                )
            )
            db.session.flush()
    return lead


@pytest.fixture
def clock():
    """Monday 2 March 2026, 09:00 in Amsterdam (the booking tests' clock)."""
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def used(app, make, clock):
    world = build_world(make)
    with app.app_context():
        # 2 h for the school on laser 1; laser 1 + room 3 h for the company (a bundle).
        school = _bundle(
            [world.laser], world.org, at("2026-02-02", "10:00"), at("2026-02-02", "12:00")
        )
        company = _bundle(
            [world.laser, world.room],
            world.other_org,
            at("2026-02-03", "13:00"),
            at("2026-02-03", "16:00"),
            size=2,
        )
        # Booked but still to come: counts as booked, not realised.
        _bundle([world.laser2], world.org, at("2026-03-10", "09:00"), at("2026-03-10", "13:00"))
        # Not booked: a request, a cancellation, and a visit outside the school year.
        _bundle(
            [world.laser2],
            world.org,
            at("2026-02-04", "09:00"),
            at("2026-02-04", "11:00"),
            "requested",
        )
        _bundle(
            [world.laser],
            world.org,
            at("2026-02-05", "09:00"),
            at("2026-02-05", "11:00"),
            "cancelled",
        )
        _bundle([world.laser], world.org, at("2025-07-31", "09:00"), at("2025-07-31", "11:00"))
    return world, school, company
