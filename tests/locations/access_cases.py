"""Matrix cases for administering hubs, opening hours, exceptions and resources."""

from datetime import date, time

from tests.access.test_matrix import Case
from tests.access.world import SIGNED_IN, STAFF_A

MANAGER = {"manager"}

CASES = [
    Case("locations.hub_edit", {"hub_id": "hub_a"}, MANAGER),
    # An empty name is refused (422): nothing changes, but access was granted.
    Case("locations.hub_edit", {"hub_id": "hub_a"}, MANAGER, "POST", {"name": ""}),
    Case("locations.hub_hours", {"hub_id": "hub_a"}, STAFF_A),
    Case("locations.hub_hours", {"hub_id": "hub_a"}, STAFF_A, "POST", {"day0_opens1": "10:00"}),
    # Exceptions are public like the weekly hours; adding one is for the hub's staff.
    Case("locations.hub_exceptions", {"hub_id": "hub_a"}, SIGNED_IN),
    Case("locations.hub_exceptions", {"hub_id": "hub_a"}, STAFF_A, "POST", {}),
    # Without confirm=yes nothing is removed (400), after the access check.
    Case("locations.exception_delete", {"exception_id": "exception_a"}, STAFF_A, "POST"),
    Case("locations.resource_new", {"hub_id": "hub_a"}, STAFF_A),
    Case("locations.resource_new", {"hub_id": "hub_a"}, STAFF_A, "POST", {}),
    Case("locations.resource_edit", {"resource_id": "resource_a"}, STAFF_A),
    Case("locations.resource_edit", {"resource_id": "resource_a"}, STAFF_A, "POST", {}),
    Case("locations.resource_retire", {"resource_id": "resource_a"}, STAFF_A, "POST"),
    Case("locations.resource_reactivate", {"resource_id": "resource_a"}, STAFF_A, "POST"),
    Case("api_locations.update_resource", {"resource_id": "resource_a"}, STAFF_A, "PATCH", {}),
]


def build(world, make):
    from hubs.extensions import db
    from hubs.locations.models import Hub
    from hubs.locations.services import add_opening_exception

    with make.app.app_context():
        hub = db.session.get(Hub, world["hub_a"].id)
        world["exception_a"] = add_opening_exception(
            hub, date(2030, 10, 24), time(18, 0), time(21, 0), "evening course"
        )
