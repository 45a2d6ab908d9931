"""``/api/v1/snapshots`` and ``/api/v1/targets``: what funders received, and progress."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import selectinload

from hubs.access import get_or_404, select_visible
from hubs.api.common import Blueprint, PageArgs, page_schema, paginate
from hubs.funders.models import Snapshot
from hubs.funders.schemas import SnapshotDetailSchema, SnapshotSchema

SNAPSHOT_FIELDS = tuple(SnapshotSchema().fields)

blp = Blueprint("api_funders", __name__, description="Funders: frozen snapshots and targets")


@blp.get("/snapshots")
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_schema(SnapshotSchema))
def list_snapshots(args: dict[str, Any]) -> dict[str, Any]:
    """Snapshots the caller may see (funders: the ones shared with them), newest first."""
    stmt = (
        select_visible(Snapshot)
        .options(selectinload(Snapshot.recipients))
        .order_by(Snapshot.created_at.desc(), Snapshot.id.desc())
    )
    return paginate(stmt, args)


@blp.get("/snapshots/<int:snapshot_id>")
@blp.response(200, SnapshotDetailSchema)
def get_snapshot(snapshot_id: int) -> dict[str, Any]:
    """One snapshot with its frozen rows, exactly as it was made."""
    snapshot = get_or_404(Snapshot, snapshot_id)
    document = snapshot.document
    return {
        **{name: getattr(snapshot, name) for name in SNAPSHOT_FIELDS},
        "document_title": document["title"],
        "options": document["options"],
        "definitions": document["definitions"],
        "sections": [
            {
                **section,
                "columns": [{"label": c[0], "kind": c[1]} for c in section["columns"]],
            }
            for section in document["sections"]
        ],
    }
