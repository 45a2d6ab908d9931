"""Who may see a series: like its bookings, its organisation's bookers and its hub's
coordinators (and the programme manager). Everyone else gets a 404."""

from __future__ import annotations

from sqlalchemy import ColumnElement, or_, true

from hubs.access import Principal, scope
from hubs.series.models import BookingSeries


@scope(BookingSeries)
def _series(p: Principal) -> ColumnElement[bool]:
    if p.is_manager:
        return true()
    return or_(
        BookingSeries.hub_id.in_(p.coordinator_hub_ids),
        BookingSeries.organisation_id.in_(p.booker_org_ids),
    )
