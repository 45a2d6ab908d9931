"""A feed URL is a secret: unguessable, stored hashed, and dead at once when its link is
renewed or revoked, its owner deactivated, or the owner loses the right to follow it."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import select

from hubs.extensions import db
from tests.booking.helpers import at, booking_input, principal
from tests.calendar.helpers import make_feed, read, uid

TOKEN = re.compile(r"^/feeds/([A-Za-z0-9_-]+)\.ics$")


def _token(url: str) -> str:
    match = TOKEN.match(url)
    assert match, url
    return match.group(1)


def _book(app, world):
    from hubs.booking import services

    with app.app_context():
        return services.book(
            booking_input([world.laser], at("2026-03-10", "09:00"), at("2026-03-10", "10:00")),
            principal(world.booker),
        ).id


def test_the_token_is_long_random_and_only_its_hash_is_stored(app, client, world):
    from hubs.calendar.models import CalendarFeed
    from hubs.calendar.services import token_digest

    first, second = make_feed(app, world.booker, "mine"), make_feed(app, world.coordinator, "mine")
    tokens = [_token(first), _token(second)]
    assert tokens[0] != tokens[1]
    # URL-safe base64 of 32 random bytes: 256 bits, well above 128.
    assert all(len(token) >= 43 for token in tokens)
    with app.app_context():
        stored = {row.token_hash for row in db.session.scalars(select(CalendarFeed))}
    assert stored == {token_digest(token) for token in tokens}
    assert not stored & set(tokens)


def test_an_unknown_or_malformed_token_is_not_found(app, client, world):
    url = make_feed(app, world.booker, "mine")
    token = _token(url)
    assert client.get(url).status_code == 200
    for wrong in (token[:-1] + ("A" if token[-1] != "A" else "B"), token[:20], "x" * 500):
        assert client.get(f"/feeds/{wrong}.ics").status_code == 404
    assert client.get(f"/feeds/{token}").status_code == 404


def test_renewing_the_link_kills_the_old_url_at_once(app, client, world):
    from hubs.calendar import services
    from hubs.calendar.models import CalendarFeed

    old = make_feed(app, world.booker, "hub", world.hub)
    assert client.get(old).status_code == 200
    with app.app_context():
        feed = db.session.scalar(select(CalendarFeed))
        token, _feed = services.renew_feed(feed.id, world.booker.id)
    assert client.get(old).status_code == 404
    assert client.get(f"/feeds/{token}.ics").status_code == 200


def test_asking_again_for_the_same_calendar_renews_its_link(app, client, world):
    old = make_feed(app, world.booker, "mine")
    new = make_feed(app, world.booker, "mine")
    assert old != new
    assert client.get(old).status_code == 404 and client.get(new).status_code == 200


def test_revoking_a_feed_kills_its_url_at_once(app, client, world):
    from hubs.calendar import services
    from hubs.calendar.models import CalendarFeed

    url = make_feed(app, world.booker, "mine")
    other = make_feed(app, world.booker, "hub", world.hub)
    with app.app_context():
        feed_id = db.session.scalar(select(CalendarFeed.id).where(CalendarFeed.kind == "mine"))
        # Someone else cannot revoke it.
        assert services.revoke_feed(feed_id, world.other_booker.id) is False
        assert services.revoke_feed(feed_id, world.booker.id) is True
    assert client.get(url).status_code == 404
    assert client.get(other).status_code == 200


def test_a_deactivated_user_has_no_feeds_even_when_reactivated(app, client, world, make):
    from hubs.accounts.services import deactivate_user, reactivate_user

    manager = make.user("manager")
    url = make_feed(app, world.booker, "mine")
    assert client.get(url).status_code == 200
    with app.app_context():
        deactivate_user(world.booker, manager)
    assert client.get(url).status_code == 404
    with app.app_context():
        reactivate_user(world.booker, manager)
    assert client.get(url).status_code == 404


def test_an_inactive_owner_is_refused_even_with_the_row_left(app, client, world):
    from hubs.accounts.models import User
    from hubs.db import write_transaction

    url = make_feed(app, world.booker, "mine")
    with app.app_context(), write_transaction():
        db.session.get(User, world.booker.id).active = False
    assert client.get(url).status_code == 404


def test_an_ended_membership_ends_the_hub_and_resource_feeds(app, client, world, clock):
    from hubs.organisations.models import Membership
    from hubs.organisations.services import update_membership

    hub_feed = make_feed(app, world.booker, "hub", world.hub)
    laser_feed = make_feed(app, world.booker, "resource", world.laser)
    mine = make_feed(app, world.booker, "mine")
    with app.app_context():
        membership = db.session.scalar(
            select(Membership).where(Membership.organisation_id == world.org.id)
        )
        update_membership(membership, membership.starts_on, date(2026, 3, 5))
    # Until the membership's last day the feeds still work ...
    assert client.get(hub_feed).status_code == 200
    clock.shift(timedelta(days=4))
    # ... the day after it ended, they answer 404.
    assert client.get(hub_feed).status_code == 404
    assert client.get(laser_feed).status_code == 404
    assert client.get(mine).status_code == 200


def test_a_lost_role_ends_the_feeds_it_allowed(app, client, world, make):
    from hubs.accounts.models import RoleGrant
    from hubs.accounts.services import revoke_grant

    manager = make.user("manager")
    coordinator_hub = make_feed(app, world.coordinator, "hub", world.hub)
    booker_org = make_feed(app, world.booker, "organisation", world.org)
    for user, url in ((world.coordinator, coordinator_hub), (world.booker, booker_org)):
        assert client.get(url).status_code == 200
        with app.app_context():
            grant = db.session.scalar(select(RoleGrant).where(RoleGrant.user_id == user.id))
            revoke_grant(grant, manager)
        assert client.get(url).status_code == 404


def test_a_booker_who_changes_organisation_no_longer_sees_the_old_bookings(
    app, client, world, make
):
    """My bookings follow the rights too: bookings made for an organisation one no
    longer books for drop out of the feed."""
    from hubs.accounts.models import Role, RoleGrant
    from hubs.accounts.services import grant_role, revoke_grant

    manager = make.user("manager")
    booking_id = _book(app, world)
    url = make_feed(app, world.booker, "mine")
    assert uid(booking_id) in read(client.get(url).data)
    with app.app_context():
        from hubs.accounts.models import User

        booker = db.session.get(User, world.booker.id)
        grant_role(booker, Role.BOOKER, organisation_id=world.other_org.id)
        old = db.session.scalar(
            select(RoleGrant).where(
                RoleGrant.user_id == world.booker.id, RoleGrant.organisation_id == world.org.id
            )
        )
        revoke_grant(old, manager)
    assert read(client.get(url).data) == {}


def test_nobody_may_make_a_feed_of_a_calendar_they_cannot_follow(app, world):
    import pytest

    from hubs.calendar import services
    from hubs.calendar.models import FeedKind
    from hubs.errors import InvalidInput

    refused = [
        (world.outsider_booker, FeedKind.HUB, world.hub.id),
        (world.outsider_booker, FeedKind.RESOURCE, world.laser.id),
        (world.booker, FeedKind.ORGANISATION, world.other_org.id),
        (world.other_booker, FeedKind.ORGANISATION, world.outsider.id),
        (world.booker, FeedKind.HUB, None),
    ]
    with app.app_context():
        for user, kind, target in refused:
            with pytest.raises(InvalidInput):
                services.create_feed(user, kind, target)
