"""Matrix cases for the foundation's routes (hubs, resources, organisations)."""

from tests.access.test_matrix import Case
from tests.access.world import ORG_X, SIGNED_IN, STAFF_A

NOT_FUNDER = SIGNED_IN - {"funder"}

CASES = [
    # Hubs are visible to everyone signed in.
    Case("locations.hub_detail", {"hub_id": "hub_a"}, SIGNED_IN),
    Case("api_locations.get_hub", {"hub_id": "hub_a"}, SIGNED_IN),
    # Machines and rooms: everyone who runs or books, not funders.
    Case("locations.resource_detail", {"resource_id": "resource_a"}, NOT_FUNDER),
    Case("api_locations.get_resource", {"resource_id": "resource_a"}, NOT_FUNDER),
    # An organisation: its own bookers, coordinators of hubs it is a member of, managers.
    Case("organisations.organisation_detail", {"organisation_id": "org_x"}, STAFF_A | ORG_X),
    Case("api_organisations.get_organisation", {"organisation_id": "org_x"}, STAFF_A | ORG_X),
]
