"""Matrix cases for programmes, learners, enrolments and imports."""

from __future__ import annotations

from datetime import date

from tests.access.test_matrix import Case
from tests.access.world import ORG_X, SIGNED_IN, STAFF_A

NOT_FUNDER = SIGNED_IN - {"funder"}
# Programme at hub A: its coordinator, managers, bookers of members (funders read
# programmes only in their reports: hubs.funders).
PROGRAMME_A = STAFF_A | ORG_X

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
    # Pages.
    Case("learners.programme_detail", {"programme_id": "programme_a"}, PROGRAMME_A),
    Case("learners.programme_edit", {"programme_id": "programme_a"}, STAFF_A),
    Case("learners.programme_edit", {"programme_id": "programme_a"}, STAFF_A, method="POST"),
    Case("learners.enrolment_detail", {"enrolment_id": "enrolment_x"}, STAFF_A | ORG_X),
    Case(
        "learners.enrolment_detail", {"enrolment_id": "enrolment_x"}, STAFF_A | ORG_X, method="POST"
    ),
    Case("learners.learner_detail", {"learner_id": "learner_x"}, STAFF_A | ORG_X),
    Case("learners.learner_export", {"learner_id": "learner_x"}, STAFF_A, method="POST"),
    Case("learners.learner_erase", {"learner_id": "learner_x"}, STAFF_A, method="POST"),
    Case("learners.import_preview", {"upload_id": "upload_a"}, {"coord_a"}),
    Case("learners.import_preview", {"upload_id": "upload_a"}, {"coord_a"}, method="POST"),
    Case("learners.import_template", {"kind": "=group", "fmt": "=xlsx"}, NOT_FUNDER | {"funder"}),
    Case("learners.import_template", {"kind": "=individual", "fmt": "=csv"}, SIGNED_IN),
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
    world["upload_a"] = _upload(make, world, programme)


def _upload(make, world, programme):  # type: ignore[no-untyped-def]
    import json

    from hubs.learners.models import EnrolmentKind, ImportUpload

    table = {"header": ["Groep", "Aantal"], "rows": [["3K", "24"]], "row_numbers": [2]}
    with make._unit() as s:
        upload = ImportUpload(
            user_id=world.users["coord_a"].id,
            programme_id=programme.id,
            organisation_id=world["org_x"].id,
            kind=EnrolmentKind.GROUP,
            school_year=2025,
            filename="klas.csv",
            table_json=json.dumps(table),
        )
        s.add(upload)
        s.flush()
    return upload
