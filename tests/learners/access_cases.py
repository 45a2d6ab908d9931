"""Matrix cases for programmes, learners, enrolments and imports."""

from __future__ import annotations

from datetime import date

from tests.access.test_matrix import Case
from tests.access.world import ORG_X, SIGNED_IN, STAFF_A

NOT_FUNDER = SIGNED_IN - {"funder"}
# Programme at hub A: its coordinator, managers, funders (reports), bookers of members.
PROGRAMME_A = STAFF_A | ORG_X | {"funder"}

CASES = [
    Case("api_learners.get_programme", {"programme_id": "programme_a"}, PROGRAMME_A),
    Case(
        "api_learners.update_programme",
        {"programme_id": "programme_a"},
        STAFF_A,
        method="PATCH",
        data={"description": "x"},
    ),
    Case("api_learners.get_enrolment", {"enrolment_id": "enrolment_x"}, STAFF_A | ORG_X),
    Case(
        "api_learners.update_enrolment",
        {"enrolment_id": "enrolment_x"},
        STAFF_A | ORG_X,
        method="PATCH",
        data={"note": "x"},
    ),
    Case("api_learners.get_learner", {"learner_id": "learner_x"}, STAFF_A | ORG_X),
]


def build(world, make) -> None:  # type: ignore[no-untyped-def]
    from hubs.learners.models import LearnerCategory
    from tests.learners.conftest import LearnerFactory

    learn = LearnerFactory(make)
    programme = learn.programme(world["hub_a"], "Programme A")
    world["programme_a"] = programme
    learner = learn.learner(world["org_x"], "000123", category=LearnerCategory.VO)
    world["learner_x"] = learner
    world["enrolment_x"] = learn.individual(programme, learner, date(2025, 8, 1), date(2026, 7, 31))
    world["group_x"] = learn.group(programme, world["org_x"], 24)
