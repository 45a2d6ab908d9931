"""Matrix cases for administering organisations, memberships and a hub's members."""

from tests.access.test_matrix import Case
from tests.access.world import ORG_X, STAFF_A

CASES = [
    Case("organisations.organisation_edit", {"organisation_id": "org_x"}, STAFF_A),
    Case("organisations.organisation_edit", {"organisation_id": "org_x"}, STAFF_A, "POST", {}),
    Case("organisations.membership_new", {"organisation_id": "org_x"}, STAFF_A),
    Case("organisations.membership_new", {"organisation_id": "org_x"}, STAFF_A, "POST", {}),
    Case("organisations.membership_edit", {"membership_id": "membership_x"}, STAFF_A),
    Case("organisations.membership_edit", {"membership_id": "membership_x"}, STAFF_A, "POST", {}),
    Case("organisations.hub_members", {"hub_id": "hub_a"}, STAFF_A),
    Case("organisations.hub_members", {"hub_id": "hub_a"}, STAFF_A, "POST", {}),
    Case(
        "api_organisations.update_organisation",
        {"organisation_id": "org_x"},
        {"manager"},
        "PATCH",
        {},
    ),
    Case("api_organisations.get_membership", {"membership_id": "membership_x"}, STAFF_A | ORG_X),
    Case(
        "api_organisations.update_membership",
        {"membership_id": "membership_x"},
        STAFF_A,
        "PATCH",
        {},
    ),
]
