"""``/api/v1/bookings`` and ``/api/v1/resources/{id}/availability``.

Times go in and out as ISO 8601 with an offset (a naive time is a 422). Conflicts are a
409 that lists what holds the slot (other organisations' bookings only as resource and
time). ``Idempotency-Key`` on ``POST /bookings`` replays the first answer.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import request

from hubs.access import current_principal, get_or_404
from hubs.api.common import Blueprint, PageArgs, page_schema, paginate
from hubs.booking import availability, idempotency, queries, services
from hubs.booking.clock import check_offset, zone
from hubs.booking.models import Booking
from hubs.booking.schemas import (
    AvailabilityQuerySchema,
    AvailabilitySchema,
    BookingCreateSchema,
    BookingPatchSchema,
    BookingQuerySchema,
    BookingSchema,
    ReasonSchema,
)
from hubs.db import utcnow
from hubs.errors import InvalidInput
from hubs.extensions import db
from hubs.locations.models import Hub, Resource

blp = Blueprint("api_booking", __name__, description="Bookings and availability")

MAX_RANGE = timedelta(days=62)


def _hub_tz(hub_id: int) -> Any:
    hub = db.session.get(Hub, hub_id)
    return zone(hub.timezone if hub else None)


# Built once: every POST /bookings loads and dumps with them (webargs would build the
# schema from its class for each request; bench/: row 1).
_BOOKING_SCHEMA = BookingSchema()
_CREATE_SCHEMA = BookingCreateSchema()


def _local(values: dict[str, Any], tz: Any) -> None:
    """Offsets must be real in the hub's time zone (or UTC); see clock.check_offset."""
    for name in ("start", "end"):
        if values.get(name) is not None:
            values[name] = check_offset(values[name], tz, name)


@blp.get("/resources/<int:resource_id>/availability")
@blp.arguments(AvailabilityQuerySchema, location="query")
@blp.response(200, AvailabilitySchema)
def resource_availability(args: dict[str, Any], resource_id: int) -> dict[str, Any]:
    """Free intervals of a resource between ``start`` and ``end`` (at most 62 days),
    honouring opening hours, date exceptions, closures, school holidays and bookings."""
    resource = get_or_404(Resource, resource_id)
    start, end = args["start"], args["end"]
    if end <= start:
        raise InvalidInput("end must be after start.", field="end")
    if end - start > MAX_RANGE:
        raise InvalidInput("Ask for at most 62 days at a time.", field="end")
    free = availability.free_intervals([resource], start, end)[resource.id]
    return {
        "resource_id": resource.id,
        "start": start,
        "end": end,
        "free": [{"start": s, "end": e} for s, e in free],
    }


@blp.get("/bookings")
@blp.arguments(PageArgs, location="query")
@blp.arguments(BookingQuerySchema, location="query", as_kwargs=True)
@blp.response(200, page_schema(BookingSchema))
def list_bookings(args: dict[str, Any], **filters: Any) -> dict[str, Any]:
    """Bookings you may see (your organisation's; your hubs' for coordinators), one item
    per bundle unless filtered by ``resource_id``."""
    stmt = queries.list_statement(current_principal(), filters, utcnow())
    if filters.get("start") is not None:
        stmt = stmt.where(Booking.end_at > filters["start"])
    if filters.get("end") is not None:
        stmt = stmt.where(Booking.start_at < filters["end"])
    return paginate(stmt, args)


@blp.post("/bookings")
@blp.arguments(_CREATE_SCHEMA)
@blp.response(201, BookingSchema)
@blp.alt_response(409, description="The slot is taken; ``conflicts`` lists what holds it")
def create_booking(data: dict[str, Any]) -> Any:
    """Book one resource or a bundle (all or nothing). ``status`` is ``confirmed``, or
    ``requested`` where a coordinator must approve (the request holds the slot)."""
    p = current_principal()
    # Left out: the organisation's only programme; an explicit null: no programme.
    data["derive_programme"] = "programme_id" not in data
    # The offsets are checked against the hub's clock once the service has read the hub.
    booking_input = services.BookingInput(**data, client_offsets=True)
    key = request.headers.get(idempotency.HEADER)
    if key is None:
        return services.book(booking_input, p)
    assert p.user_id is not None
    return idempotency.answer(
        p.user_id, key, _BOOKING_SCHEMA.dump, lambda claim: services.book(booking_input, p, claim)
    )


@blp.get("/bookings/<int:booking_id>")
@blp.response(200, BookingSchema)
def get_booking(booking_id: int) -> Booking:
    """One booking row; ``resource_ids`` and ``booking_ids`` describe its whole bundle."""
    return get_or_404(Booking, booking_id)


@blp.patch("/bookings/<int:booking_id>")
@blp.arguments(BookingPatchSchema)
@blp.response(200, BookingSchema)
def change_booking(data: dict[str, Any], booking_id: int) -> Booking:
    """Move (``start``, ``end``) and/or edit the group details; a move re-checks every
    rule a new booking must meet. Acts on the whole bundle."""
    booking = get_or_404(Booking, booking_id)
    _local(data, _hub_tz(booking.hub_id))
    change = services.BookingChange(**data)
    if "level" in data and data["level"] is None:
        change.clear_level = True
    if "programme_id" in data and data["programme_id"] is None:
        change.clear_programme = True
    services.change_booking(booking.id, change, current_principal())
    return _row(booking.id)


def _row(booking_id: int) -> Booking:
    """The row itself, freshly read (its bundle changed as a whole)."""
    return next(r for r in services.bundle_rows(booking_id) if r.id == booking_id)


@blp.post("/bookings/<int:booking_id>/cancel")
@blp.arguments(ReasonSchema)
@blp.response(200, BookingSchema)
def cancel_booking(data: dict[str, Any], booking_id: int) -> Booking:
    """Cancel the booking (its whole bundle); the slot is free at once."""
    booking = get_or_404(Booking, booking_id)
    services.cancel_booking(booking.id, current_principal(), data["reason"])
    return _row(booking.id)


@blp.post("/bookings/<int:booking_id>/approve")
@blp.arguments(ReasonSchema)
@blp.response(200, BookingSchema)
def approve_booking(data: dict[str, Any], booking_id: int) -> Booking:
    """Coordinators: approve a request (409 when it was already handled)."""
    booking = get_or_404(Booking, booking_id)
    services.approve(booking.id, current_principal(), data["reason"])
    return _row(booking.id)


@blp.post("/bookings/<int:booking_id>/reject")
@blp.arguments(ReasonSchema)
@blp.response(200, BookingSchema)
def reject_booking(data: dict[str, Any], booking_id: int) -> Booking:
    """Coordinators: reject a request (409 when it was already handled)."""
    booking = get_or_404(Booking, booking_id)
    services.reject(booking.id, current_principal(), data["reason"])
    return _row(booking.id)
