"""Matrix cases for series routes: series of organisation X at hub A (one confirmed, two
requests), each with two coming dates."""

from __future__ import annotations

from datetime import timedelta

from tests.access.test_matrix import Case
from tests.access.world import ORG_X, STAFF_A

MAY_BOOK_A = STAFF_A | ORG_X  # runs hub A, or books for organisation X

CASES = [
    Case("series.detail", {"series_id": "series_x"}, MAY_BOOK_A),
    Case("series.change", {"series_id": "series_x"}, MAY_BOOK_A),
    Case("series.change", {"series_id": "series_x"}, MAY_BOOK_A, method="POST"),
    Case("series.cancel", {"series_id": "series_x"}, MAY_BOOK_A, method="POST"),
    Case("series.approve", {"series_id": "series_request_x"}, STAFF_A, method="POST"),
    Case("series.reject", {"series_id": "series_request_x2"}, STAFF_A, method="POST"),
    Case("api_series.get_series", {"series_id": "series_x"}, MAY_BOOK_A),
    Case(
        "api_series.cancel_series",
        {"series_id": "series_x_api"},
        MAY_BOOK_A,
        method="POST",
        data={"scope": "all"},
    ),
]


def build(world, make) -> None:
    from datetime import time

    from hubs.booking.clock import monday_of, wall_start, zone
    from hubs.booking.models import BookingStatus
    from hubs.db import utcnow, write_transaction
    from hubs.extensions import db
    from hubs.learners.models import LearnerCategory
    from hubs.series.models import BookingSeries, OccurrenceState, SeriesOccurrence
    from tests.booking.helpers import raw_booking

    tz = zone(None)
    # Thursdays five and six weeks ahead, whatever today is: clear of the booking cases.
    thursday = monday_of(utcnow().astimezone(tz).date()) + timedelta(days=38)
    days = [thursday, thursday + timedelta(days=7)]
    resource, org, app = world["resource_a"], world["org_x"], make.app
    for key, hour, status in [
        ("series_x", 9, BookingStatus.CONFIRMED),
        ("series_x_api", 10, BookingStatus.CONFIRMED),
        ("series_request_x", 11, BookingStatus.REQUESTED),
        ("series_request_x2", 12, BookingStatus.REQUESTED),
    ]:
        ids = [
            raw_booking(
                app,
                resource,
                org,
                wall_start(day, time(hour), tz),
                wall_start(day, time(hour + 1), tz),
                status=status,
            )
            for day in days
        ]
        with app.app_context(), write_transaction():
            series = BookingSeries(
                hub_id=world["hub_a"].id,
                organisation_id=org.id,
                resource_ids=[resource.id],
                rule=f"FREQ=WEEKLY;INTERVAL=1;BYDAY=TH;UNTIL={days[1]:%Y%m%d}",
                timezone="Europe/Amsterdam",
                first_day=days[0],
                until=days[1],
                start_time=time(hour),
                end_time=time(hour + 1),
                interval_weeks=1,
                weekdays="thu",
                group_name="2B",
                group_size=2,
                learner_category=LearnerCategory.VO,
            )
            db.session.add(series)
            db.session.flush()
            for day, booking_id in zip(days, ids, strict=True):
                db.session.add(
                    SeriesOccurrence(
                        series_id=series.id,
                        on_date=day,
                        state=OccurrenceState.BOOKED,
                        booking_id=booking_id,
                    )
                )
            world[key] = _Ref(series.id)


class _Ref:
    def __init__(self, ident: int) -> None:
        self.id = ident
