"""Matrix cases for booking routes: bookings of organisation X at hub A, a closure and a
named period of hub A."""

from __future__ import annotations

from datetime import timedelta

from tests.access.test_matrix import Case
from tests.access.world import ORG_X, SIGNED_IN, STAFF_A

NOT_FUNDER = SIGNED_IN - {"funder"}
MAY_BOOK_A = STAFF_A | ORG_X  # runs hub A, or books for a member of hub A

RANGE = {"start": "=2030-01-07T00:00:00+01:00", "end": "=2030-01-14T00:00:00+01:00"}

CASES = [
    # The week view: everyone who books or runs hubs (others' bookings show as "bezet").
    Case("booking.week", {"hub_id": "hub_a"}, NOT_FUNDER),
    Case("booking.new", {"hub_id": "hub_a"}, MAY_BOOK_A),
    Case("booking.new", {"hub_id": "hub_a"}, MAY_BOOK_A, method="POST"),
    # One booking: its organisation and its hub's coordinators.
    Case("booking.detail", {"booking_id": "booking_x"}, MAY_BOOK_A),
    Case("booking.change", {"booking_id": "booking_x"}, MAY_BOOK_A),
    Case("booking.change", {"booking_id": "booking_x"}, MAY_BOOK_A, method="POST"),
    Case("booking.cancel", {"booking_id": "booking_x_cancel"}, MAY_BOOK_A, method="POST"),
    Case("booking.approve", {"booking_id": "request_x"}, STAFF_A, method="POST"),
    Case("booking.reject", {"booking_id": "request_x2"}, STAFF_A, method="POST"),
    # Running hub A: closures, the bookings they hit, settings and periods.
    Case("booking.closures_page", {"hub_id": "hub_a"}, STAFF_A),
    Case("booking.add_closure", {"hub_id": "hub_a"}, STAFF_A, method="POST"),
    Case("booking.add_maintenance", {"hub_id": "hub_a"}, STAFF_A, method="POST"),
    Case("booking.import_closures", {"hub_id": "hub_a"}, STAFF_A, method="POST"),
    Case("booking.delete_closure", {"closure_id": "closure_a"}, STAFF_A, method="POST"),
    Case("booking.conflicts", {"hub_id": "hub_a"}, STAFF_A),
    Case("booking.conflicts", {"hub_id": "hub_a"}, STAFF_A, method="POST"),
    Case("booking.settings", {"hub_id": "hub_a"}, STAFF_A),
    Case("booking.settings", {"hub_id": "hub_a"}, STAFF_A, method="POST"),
    Case("booking.add_slot", {"hub_id": "hub_a"}, STAFF_A, method="POST"),
    Case("booking.delete_slot", {"slot_id": "slot_a"}, STAFF_A, method="POST"),
    # API
    Case(
        "api_booking.resource_availability",
        {"resource_id": "resource_a", **RANGE},
        NOT_FUNDER,
    ),
    Case("api_booking.get_booking", {"booking_id": "booking_x"}, MAY_BOOK_A),
    Case("api_booking.change_booking", {"booking_id": "booking_x"}, MAY_BOOK_A, method="PATCH"),
    Case(
        "api_booking.cancel_booking",
        {"booking_id": "booking_x_cancel2"},
        MAY_BOOK_A,
        method="POST",
    ),
    Case("api_booking.approve_booking", {"booking_id": "request_x3"}, STAFF_A, method="POST"),
    Case("api_booking.reject_booking", {"booking_id": "request_x4"}, STAFF_A, method="POST"),
]


def build(world, make) -> None:
    from datetime import time

    from hubs.booking.clock import monday_of, wall_start, zone
    from hubs.booking.models import BookingStatus, Closure, Slot
    from hubs.db import utcnow, write_transaction
    from hubs.extensions import db
    from tests.booking.helpers import raw_booking

    tz = zone(None)
    # A Wednesday three weeks ahead, whatever today is: before every deadline.
    wednesday = monday_of(utcnow().astimezone(tz).date()) + timedelta(days=23)

    def slot(hour: int) -> tuple:
        return wall_start(wednesday, time(hour), tz), wall_start(wednesday, time(hour + 1), tz)

    resource, org = world["resource_a"], world["org_x"]
    app = make.app
    for key, hour, status in [
        ("booking_x", 9, BookingStatus.CONFIRMED),
        ("booking_x_cancel", 10, BookingStatus.CONFIRMED),
        ("booking_x_cancel2", 11, BookingStatus.CONFIRMED),
        ("request_x", 12, BookingStatus.REQUESTED),
        ("request_x2", 13, BookingStatus.REQUESTED),
        ("request_x3", 14, BookingStatus.REQUESTED),
        ("request_x4", 15, BookingStatus.REQUESTED),
    ]:
        start, end = slot(hour)
        booking_id = raw_booking(app, resource, org, start, end, status=status)
        world[key] = _Ref(booking_id)
    with app.app_context(), write_transaction():
        closure = Closure(
            hub_id=world["hub_a"].id,
            starts_at=wall_start(wednesday + timedelta(days=7), time(0), tz),
            ends_at=wall_start(wednesday + timedelta(days=8), time(0), tz),
            reason="Studiedag",
        )
        period = Slot(
            hub_id=world["hub_a"].id, weekday=0, name="1e uur", starts_at=time(8), ends_at=time(9)
        )
        db.session.add_all([closure, period])
        db.session.flush()
        world["closure_a"], world["slot_a"] = _Ref(closure.id), _Ref(period.id)


class _Ref:
    def __init__(self, ident: int) -> None:
        self.id = ident
