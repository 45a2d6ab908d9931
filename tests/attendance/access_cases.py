"""Matrix cases for attendance: the record of booking X's visit at hub A."""

from __future__ import annotations

from tests.access.test_matrix import Case
from tests.access.world import ORG_X, STAFF_A

CASES = [
    # The register of one visit: the hub's coordinators (bookers may see the booking,
    # not record who came).
    Case("attendance.visit", {"booking_id": "booking_x"}, STAFF_A),
    Case("attendance.visit", {"booking_id": "booking_x"}, STAFF_A, method="POST"),
    # API: whoever may see the booking reads it; the hub's coordinators record it.
    Case("api_attendance.get_attendance", {"booking_id": "booking_x"}, STAFF_A | ORG_X),
    Case(
        "api_attendance.put_attendance",
        {"booking_id": "booking_x"},
        STAFF_A,
        method="PUT",
        data={"present": 3},
    ),
]
