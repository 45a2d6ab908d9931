"""Matrix cases for machine licences: coordinators of the holder's hubs (and managers)
issue and revoke; the holder's organisation sees them."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from tests.access.test_matrix import Case
from tests.access.world import STAFF_A

CASES = [
    Case(
        "licences.revoke",
        {"licence_id": "licence_x"},
        STAFF_A,
        method="POST",
        data={"confirm": "yes"},
    ),
    Case("api_licences.revoke_licence", {"licence_id": "licence_x"}, STAFF_A, method="POST"),
]


def build(world, make) -> None:  # type: ignore[no-untyped-def]
    from hubs.db import write_transaction
    from hubs.learners.models import LearnerCategory
    from hubs.licences.services import issue_licence
    from tests.learners.conftest import LearnerFactory

    learner = LearnerFactory(make).learner(
        world["org_x"], "L-0001", category=LearnerCategory.OTHER, given_name="Lotte"
    )
    world["licence_holder_x"] = learner
    with make.app.app_context(), write_transaction():
        licence = issue_licence(
            learner_id=learner.id,
            kind="laser",
            issued_on=date(2025, 1, 1),
            expires_on=None,
            source="coordinator",
        )
        world["licence_x"] = SimpleNamespace(id=licence.id)
