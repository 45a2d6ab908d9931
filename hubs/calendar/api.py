"""``GET /api/v1/bookings/{id}.ics``: a booking's calendar event, as for the page."""

from __future__ import annotations

from werkzeug.wrappers import Response

from hubs.api.common import Blueprint
from hubs.calendar.views import booking_ics_response

blp = Blueprint("api_calendar", __name__, description="Calendar files (iCalendar)")

ICS_RESPONSE = {
    "200": {
        "description": "The booking's bundle as one iCalendar event (METHOD:PUBLISH); the "
        "same UID as in mail attachments and calendar feeds, SEQUENCE grows with every change.",
        "content": {"text/calendar": {"schema": {"type": "string"}}},
    },
    "404": {"description": "No booking with this id that you may see."},
}


@blp.get("/bookings/<int:booking_id>.ics")
@blp.doc(responses=ICS_RESPONSE)
def booking_ics(booking_id: int) -> Response:
    """One booking (its whole bundle) as ``.ics``, with Europe/Amsterdam times and the
    matching VTIMEZONE; ``STATUS:CANCELLED`` once cancelled."""
    return booking_ics_response(booking_id)
