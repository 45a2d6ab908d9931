"""Matrix cases for calendar routes: a booking's .ics (like the booking itself) and the
feed buttons (only the feed's owner). The feed URL itself (``calendar.feed``) takes no
session: it is exempt from the matrix and tested in tests/calendar/test_feed_access.py."""

from __future__ import annotations

from tests.access.test_matrix import Case
from tests.access.world import ORG_X, STAFF_A

MAY_BOOK_A = STAFF_A | ORG_X

CASES = [
    Case("calendar.booking_ics", {"booking_id": "booking_x"}, MAY_BOOK_A),
    Case("api_calendar.booking_ics", {"booking_id": "booking_x"}, MAY_BOOK_A),
    Case(
        "calendar.feed_renew",
        {"feed_id": "feed_of_booker_x"},
        {"booker_x"},
        method="POST",
        data={"confirm": "yes"},
    ),
    Case(
        "calendar.feed_revoke",
        {"feed_id": "feed_of_booker_x_2"},
        {"booker_x"},
        method="POST",
        data={"confirm": "yes"},
    ),
]


def build(world, make) -> None:
    from hubs.calendar import services
    from hubs.calendar.models import FeedKind

    booker = world.users["booker_x"]
    with make.app.app_context():
        _token, mine = services.create_feed(booker, FeedKind.MINE, None)
        _token, hub = services.create_feed(booker, FeedKind.HUB, world["hub_a"].id)
    world["feed_of_booker_x"], world["feed_of_booker_x_2"] = mine, hub
