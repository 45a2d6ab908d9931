"""Fixtures for attendance tests: the booking tests' frozen clock and small hub world,
visits on the register, and a list of names for a visit."""

from __future__ import annotations

import pytest
import time_machine

from tests.booking.helpers import NOW, at, build_world, raw_booking


@pytest.fixture
def clock():
    """Monday 2 March 2026, 09:00 in Amsterdam."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def world(app, make, clock):
    return build_world(make)


@pytest.fixture
def visit(app, world):
    """``visit(day, start, end, resource=world.room, **kw)``: a confirmed booking (raw)."""

    def make_visit(day="2026-03-02", start="10:00", end="12:00", resource=None, **kw):
        return raw_booking(
            app,
            resource or world.room,
            kw.pop("org", world.org),
            at(day, start),
            at(day, end),
            **kw,
        )

    return make_visit


@pytest.fixture
def bundle(app, world, visit):
    """``bundle(day, start, end, resources, **kw)``: one visit booking several resources."""
    from hubs.booking.models import Booking
    from hubs.db import write_transaction
    from hubs.extensions import db

    def make_bundle(day, start, end, resources, **kw):
        lead_id = visit(day, start, end, resource=resources[0], **dict(kw))
        with app.app_context(), write_transaction():
            lead = db.session.get(Booking, lead_id)
            for resource in resources[1:]:
                db.session.add(
                    Booking(
                        bundle_id=lead_id,
                        hub_id=lead.hub_id,
                        resource_id=resource.id,
                        organisation_id=lead.organisation_id,
                        start_at=lead.start_at,
                        end_at=lead.end_at,
                        status=lead.status,
                        group_name=lead.group_name,
                        group_size=lead.group_size,
                        learner_category=lead.learner_category,
                    )
                )
        return lead_id

    return make_bundle


@pytest.fixture
def roster(app):
    """``roster({booking_id: [learner, ...]})``: give visits a list of names."""
    from hubs.attendance import roster as registry

    lists: dict[int, list] = {}

    def provide(booking_ids):
        return {
            bid: [registry.RosterEntry(learner.id, learner.display_name) for learner in people]
            for bid, people in lists.items()
            if bid in booking_ids
        }

    registry.register_roster("test", provide)
    yield lists.update
    registry._providers.pop("test", None)
