"""``/api/v1/series``: book a weekly series (or preview it), read it, cancel its dates.

Times go in as ISO 8601 with an offset (a naive time is a 422); ``until`` is a local date.
``?dry_run=true`` returns every date as free, conflict or skipped and books nothing.
Without ``skip_conflicts`` a taken date is a 409 listing every date (other organisations'
bookings only as resource and time). ``Idempotency-Key`` replays the first answer.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify, request

from hubs.access import current_principal, get_or_404
from hubs.api.common import Blueprint
from hubs.booking import idempotency
from hubs.booking.clock import check_offset, zone
from hubs.booking.rules import calendar_tz
from hubs.extensions import db
from hubs.locations.models import Hub, Resource
from hubs.series import services
from hubs.series.models import BookingSeries
from hubs.series.planning import occurrence_json
from hubs.series.schemas import (
    CancelResultSchema,
    CancelSchema,
    DryRunSchema,
    PreviewSchema,
    SeriesCreateSchema,
    SeriesSchema,
)

blp = Blueprint("api_series", __name__, description="Weekly series of bookings")


def _local(data: dict[str, Any]) -> None:
    """Offsets must be real in the hub's time zone (or UTC); see clock.check_offset."""
    first = db.session.get(Resource, data["resource_ids"][0])
    hub = db.session.get(Hub, first.hub_id) if first is not None else None
    tz = zone(hub.timezone if hub else None)
    for name in ("first_start", "first_end"):
        data[name] = check_offset(data[name], tz, name)


@blp.post("/series")
@blp.arguments(SeriesCreateSchema)
@blp.arguments(DryRunSchema, location="query", as_kwargs=True)
@blp.response(201, SeriesSchema)
@blp.alt_response(200, schema=PreviewSchema, description="dry_run=true: the preview")
@blp.alt_response(409, description="A date is taken; ``occurrences`` judges every date")
def create_series(data: dict[str, Any], dry_run: bool) -> Any:
    """Book a weekly series: every date in local time (so 09:00 stays 09:00 through the
    clock changes), closures and school holidays skipped, all or nothing unless
    ``skip_conflicts``. A series needing approval is one request (``status`` of its dates
    is ``requested``)."""
    p = current_principal()
    _local(data)
    data["derive_programme"] = "programme_id" not in data  # as for a booking
    series_input = services.SeriesInput(**data)
    if dry_run:
        plan = services.preview_series(series_input, p)
        tz = calendar_tz(plan.hub)
        body = {"dry_run": True, "occurrences": [occurrence_json(o, tz) for o in plan.occurrences]}
        return jsonify(PreviewSchema().dump(body))
    key = request.headers.get(idempotency.HEADER)
    if key is None:
        return services.book_series(series_input, p)
    assert p.user_id is not None
    return idempotency.answer(
        p.user_id,
        key,
        SeriesSchema().dump,
        lambda claim: services.book_series(series_input, p, claim),
    )


@blp.get("/series/<int:series_id>")
@blp.response(200, SeriesSchema)
def get_series(series_id: int) -> BookingSeries:
    """A series with every date: booked (with the booking's status), skipped or
    conflict (not booked), each with its reason."""
    return get_or_404(BookingSeries, series_id)


@blp.post("/series/<int:series_id>/cancel")
@blp.arguments(CancelSchema)
@blp.response(200, CancelResultSchema)
def cancel_series(data: dict[str, Any], series_id: int) -> dict[str, Any]:
    """Cancel one coming date (``occurrence``), that date and the following
    (``following``), or every coming date (``all``). Past and begun dates never change;
    dates a booker may no longer cancel are listed in ``kept``."""
    series = get_or_404(BookingSeries, series_id)
    selection = services.cancel_series(
        series.id, data["scope"], data["booking_id"], current_principal(), data["reason"]
    )
    db.session.expire_all()
    return {
        "series": db.session.get(BookingSeries, series.id),
        "cancelled": [d.lead.id for d in selection.changed],
        "kept": [{"booking_id": d.lead.id, "reason": note} for d, note in selection.kept],
    }
