"""``/api/v1/snapshots`` and ``/api/v1/targets``: what funders received, and progress."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import selectinload

from hubs.access import current_principal, get_or_404, select_visible
from hubs.api.common import Blueprint, PageArgs, page_schema, paginate
from hubs.funders.models import Snapshot, Target
from hubs.funders.report_targets import hidden_for
from hubs.funders.reporting import funder_report_scope
from hubs.funders.schemas import (
    SnapshotDetailSchema,
    SnapshotSchema,
    TargetQuerySchema,
    TargetSchema,
)
from hubs.funders.targets import Progress, progress
from hubs.learners.models import Programme

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


@blp.get("/targets")
@blp.arguments(TargetQuerySchema, location="query")
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_schema(TargetSchema))
def list_targets(query: dict[str, Any], args: dict[str, Any]) -> dict[str, Any]:
    """Targets per programme, year and indicator, with the actual number and progress.

    Funders see the targets of their programmes; small numbers are null with
    ``"suppressed": true``.
    """
    stmt = (
        select_visible(Target)
        .join(Programme, Programme.id == Target.programme_id)
        .options(selectinload(Target.programme))
        .order_by(Target.year.desc(), Programme.name, Target.indicator)
    )
    if "year" in query:
        stmt = stmt.where(Target.year == query["year"])
    if "programme_id" in query:
        stmt = stmt.where(Target.programme_id == query["programme_id"])
    page = paginate(stmt, args)
    p = current_principal()
    funder = funder_report_scope(p)
    hidden = hidden_for(funder, {t.year for t in page["items"]}) if funder else None
    found = progress(
        page["items"], suppress_for_funders=funder is not None, hidden_programmes=hidden
    )
    page["items"] = [_target(item) for item in found]
    return page


def _target(item: Progress) -> dict[str, Any]:
    t = item.target
    return {
        "id": t.id,
        "programme_id": t.programme_id,
        "programme": t.programme.name,
        "year": t.year,
        "indicator": t.indicator.value,
        "target": t.value,
        "actual": None if item.hidden else item.actual,
        "progress_pct": item.progress_pct,
        "suppressed": item.hidden is not None,
    }
