"""Matrix cases for snapshots: managers, their maker (a coordinator), funders once shared."""

from __future__ import annotations

from tests.access.test_matrix import Case
from tests.access.world import ROLES

SURVEY_TOKEN = "matrix-survey-token"

# A snapshot for every programme, made by coordinator A, shared: the world's funder
# covers every programme.
SHARED = {"manager", "coord_a", "funder"}
# Made by coordinator A, not shared: no funder sees it.
UNSHARED = {"manager", "coord_a"}

CASES = [
    # The survey link works without login, for whoever holds it (single use).
    Case("funders.survey", {"token": f"={SURVEY_TOKEN}"}, set(ROLES)),
    Case("funders.snapshot_detail", {"snapshot_id": "snapshot_shared"}, SHARED),
    Case("funders.snapshot_detail", {"snapshot_id": "snapshot_unshared"}, UNSHARED),
    Case("funders.snapshot_changes", {"snapshot_id": "snapshot_shared"}, SHARED),
    Case("api_funders.get_snapshot", {"snapshot_id": "snapshot_shared"}, SHARED),
    Case("api_funders.get_snapshot", {"snapshot_id": "snapshot_unshared"}, UNSHARED),
    Case(
        "funders.snapshot_share",
        {"snapshot_id": "snapshot_unshared"},
        UNSHARED,
        method="POST",
    ),
    *(
        Case(
            "funders.snapshot_download",
            {"snapshot_id": "snapshot_shared", "fmt": f"={fmt}"},
            SHARED,
        )
        for fmt in ("csv", "xlsx", "pdf")
    ),
]


def build(world, make):  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    from sqlalchemy import select

    from hubs.accounts.models import RoleGrant
    from hubs.funders.models import FunderScope, Snapshot, Survey, SurveyKind
    from hubs.funders.surveys import token_hash
    from tests.booking.helpers import raw_booking

    document = {
        "name": "growth",
        "title": "Groei",
        "subtitle": "",
        "filename": "growth-2021-2022",
        "options": [],
        "definitions": [],
        "sections": [],
    }
    with make._unit() as s:
        grant = s.scalar(select(RoleGrant).where(RoleGrant.user_id == world.users["funder"].id))
        s.add(FunderScope(grant_id=grant.id, all_programmes=True))
        for key, shared in (("snapshot_shared", True), ("snapshot_unshared", False)):
            snapshot = Snapshot(
                title=key,
                report="growth",
                query={"from": "2021", "to": "2022"},
                all_programmes=True,
                document=document,
                csv_file=b"a,b\r\n",
                xlsx_file=b"PK",
                pdf_file=b"%PDF-",
                created_by_id=world.users["coord_a"].id,
                shared_at=datetime(2022, 9, 12, tzinfo=UTC) if shared else None,
            )
            s.add(snapshot)
            s.flush()
            world[key] = snapshot
        lead = raw_booking(
            None,
            world["resource_a"],
            world["org_x"],
            datetime(2022, 6, 1, 8, tzinfo=UTC),
            datetime(2022, 6, 1, 9, tzinfo=UTC),
        )
        s.add(
            Survey(
                kind=SurveyKind.VISIT,
                booking_id=lead,
                hub_id=world["hub_a"].id,
                email="booker@x.example",
                token_hash=token_hash(SURVEY_TOKEN),
            )
        )
