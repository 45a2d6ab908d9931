"""After another feature's page changes what can be booked, show the bookings it hits.

Shorter opening hours, a closed date, a retired machine or an ended membership can leave
coming bookings impossible. Those pages know nothing of bookings; when one of them saves
(a POST answered with a redirect) and the change hits bookings, we send the coordinator to
the list of hit bookings instead (cancel them, mailing the bookers, or keep them).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, flash, request, url_for
from flask_babel import ngettext
from werkzeug.wrappers import Response

from hubs.access import current_principal
from hubs.extensions import db

# Hit kinds that such a change can cause (closures have their own flow).
CHANGE_KEYS = ("hours", "membership", "retired")


def _resource_hub(args: dict[str, Any]) -> int | None:
    from hubs.locations.models import Resource

    resource = db.session.get(Resource, args.get("resource_id"))
    return resource.hub_id if resource else None


def _membership_hub(args: dict[str, Any]) -> int | None:
    from hubs.organisations.models import Membership

    membership = db.session.get(Membership, args.get("membership_id"))
    return membership.hub_id if membership else None


# endpoint -> the hub its change is about (from the URL's arguments)
WATCHED: dict[str, Callable[[dict[str, Any]], int | None]] = {
    "locations.hub_hours": lambda args: args.get("hub_id"),
    "locations.hub_exceptions": lambda args: args.get("hub_id"),
    "locations.resource_retire": _resource_hub,
    "organisations.hub_members": lambda args: args.get("hub_id"),
    "organisations.membership_edit": _membership_hub,
}


def review_hits(response: Response) -> Response:
    if (
        request.method != "POST"
        or response.status_code not in (302, 303)
        or request.endpoint not in WATCHED
    ):
        return response
    hub_id = WATCHED[request.endpoint](request.view_args or {})
    if hub_id is None or not current_principal().coordinates(hub_id):
        return response
    from hubs.booking.closures import hub_conflicts
    from hubs.locations.models import Hub

    hub = db.session.get(Hub, hub_id)
    hits = (
        [c for c in hub_conflicts(hub) if any(h.key in CHANGE_KEYS for h in c.hits)] if hub else []
    )
    if hits:
        flash(
            ngettext(
                "%(num)d coming booking is hit by this change: choose what to do with it.",
                "%(num)d coming bookings are hit by this change: choose what to do with them.",
                len(hits),
            ),
            "warning",
        )
        response.headers["Location"] = url_for("booking.conflicts", hub_id=hub_id)
    return response


def init_app(app: Flask) -> None:
    app.after_request(review_hits)
