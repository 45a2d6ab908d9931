"""Snapshots: a report frozen as its recipients saw it, and what changed since.

The document (title, options, definitions, sections with their rows) is stored as JSON
and the CSV, XLSX and PDF as they were generated: a corrected enrolment later changes
the live report, never the snapshot. :func:`changes` compares a snapshot with the same
report built today, row by row.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from hubs.audit.events import DATA_EXPORTED
from hubs.audit.services import log_security_event
from hubs.db import transactional, utcnow
from hubs.errors import InvalidInput
from hubs.extensions import db
from hubs.funders.models import Snapshot
from hubs.funders.reporting import FunderReach, scope_for_reach
from hubs.learners.models import FundingSource
from hubs.reports import render
from hubs.reports import services as report_services
from hubs.reports.catalog import KINDS, Built
from hubs.reports.model import Column, Kind, Report, Section
from hubs.reports.options import parse_options

QUERY_KEYS = ("from", "to", "basis", "count")


def _json_value(value: Any) -> Any:
    if value is None or isinstance(value, (int, float)):
        return value
    return str(value)


def document_to_json(report: Report) -> dict[str, Any]:
    """The report as stored: every row read once, values as numbers or text."""
    return {
        "name": report.name,
        "title": str(report.title),
        "subtitle": str(report.subtitle),
        "filename": report.filename,
        "options": [[str(a), str(b)] for a, b in report.options],
        "definitions": [[str(a), str(b)] for a, b in report.definitions],
        "sections": [
            {
                "key": s.key,
                "title": str(s.title),
                "note": str(s.note),
                "columns": [[str(c.label), c.kind.value] for c in s.columns],
                "rows": [[_json_value(v) for v in row] for row in s.rows],
            }
            for s in report.sections
        ],
    }


def document_from_json(data: Mapping[str, Any]) -> Report:
    """A stored document as a :class:`Report` (for the page and the comparison)."""
    return Report(
        name=data["name"],
        title=data["title"],
        subtitle=data["subtitle"],
        options=[tuple(o) for o in data["options"]],  # type: ignore[misc]
        definitions=[tuple(d) for d in data["definitions"]],  # type: ignore[misc]
        sections=[
            Section(
                s["key"],
                s["title"],
                [Column(label, Kind(kind)) for label, kind in s["columns"]],
                s["rows"],
                s["note"],
            )
            for s in data["sections"]
        ],
        filename=data["filename"],
    )


def clean_query(args: Mapping[str, Any]) -> dict[str, str]:
    return {k: str(args[k]) for k in QUERY_KEYS if args.get(k) not in (None, "")}


def build(report: str, query: Mapping[str, str], reach: FunderReach) -> Built:
    """The report as the recipients see it today (their programmes, small numbers hidden)."""
    if report not in KINDS:
        raise InvalidInput(_("Choose a report."), field="report")
    options = parse_options(MultiDict(query))
    return KINDS[report].build(options, scope_for_reach(reach), report_services.today())


def _files(built: Built) -> tuple[bytes, bytes, bytes]:
    document = built.document
    csv_bytes = "".join(render.csv_chunks(document)).encode("utf-8-sig")
    path = render.xlsx_path(document)
    try:
        with open(path, "rb") as handle:
            xlsx_bytes = handle.read()
    finally:
        os.unlink(path)
    pdf = render.pdf_bytes(document, built.charts, report_services.today())
    return csv_bytes, xlsx_bytes, pdf


@dataclass(frozen=True)
class SnapshotInput:
    title: str
    report: str
    query: dict[str, str]
    source_ids: frozenset[int]
    all_programmes: bool = False


def _check(data: SnapshotInput) -> list[FundingSource]:
    if not data.title.strip():
        raise InvalidInput(_("Give the snapshot a title."), field="title")
    sources = list(
        db.session.scalars(select(FundingSource).where(FundingSource.id.in_(data.source_ids)))
    )
    if not data.all_programmes and not sources:
        raise InvalidInput(
            _("Choose the funding sources the snapshot is for, or all programmes."),
            field="sources",
        )
    return sources


@transactional
def freeze(data: SnapshotInput, actor_id: int | None) -> Snapshot:
    """Freeze a report for its recipients: rows and files are stored and never change."""
    sources = _check(data)
    reach = FunderReach(data.all_programmes, frozenset(s.id for s in sources))
    built = build(data.report, data.query, reach)
    csv_bytes, xlsx_bytes, pdf = _files(built)
    snapshot = Snapshot(
        title=data.title.strip(),
        report=data.report,
        query=data.query,
        all_programmes=data.all_programmes,
        document={**document_to_json(built.document), "locale": str(get_locale() or "nl")},
        csv_file=csv_bytes,
        xlsx_file=xlsx_bytes,
        pdf_file=pdf,
        created_by_id=actor_id,
        recipients=sources,
    )
    db.session.add(snapshot)
    db.session.flush()
    return snapshot


@transactional
def share(snapshot: Snapshot, actor_id: int | None) -> None:
    """Make the snapshot visible to the funders it concerns (idempotent); logged as an
    export, since the numbers now leave the hubs."""
    if snapshot.shared_at is None:
        snapshot.shared_at = utcnow()
        _log(snapshot, "shared", actor_id)


@transactional
def record_download(snapshot: Snapshot, fmt: str, actor_id: int | None) -> None:
    """Log a download of a snapshot's file as a data export (ids and codes only)."""
    _log(snapshot, fmt, actor_id)


def _log(snapshot: Snapshot, fmt: str, actor_id: int | None) -> None:
    log_security_event(
        DATA_EXPORTED,
        actor_id=actor_id,
        target_type="snapshot",
        target_id=snapshot.id,
        details={"report": snapshot.report, "format": fmt},
    )


def reach_of_snapshot(snapshot: Snapshot) -> FunderReach:
    return FunderReach(snapshot.all_programmes, frozenset(s.id for s in snapshot.recipients))


# --- what changed since ------------------------------------------------------------------


@dataclass(frozen=True)
class CellChange:
    column: str
    kind: str
    old: Any
    new: Any


@dataclass(frozen=True)
class RowChange:
    """A row of a section whose numbers differ now (``old``/``new`` None: row came/went)."""

    section: str
    key: tuple[Any, ...]
    cells: list[CellChange]
    status: str  # "changed", "added", "removed"


def _keyed(section: Section) -> dict[tuple[Any, ...], Sequence[Any]]:
    width = next((i for i, c in enumerate(section.columns) if c.kind.is_number), 1)
    return {tuple(row[:width]): row for row in section.rows}


def _diff_section(old: Section, new: Section) -> Iterable[RowChange]:
    before, after = _keyed(old), _keyed(new)
    columns = [c for c in old.columns]
    for key, row in before.items():
        now = after.get(key)
        if now is None:
            yield RowChange(str(old.title), key, [], "removed")
            continue
        cells = [
            CellChange(str(col.label), col.kind.value, a, b)
            for col, a, b in zip(columns, row, now, strict=False)
            if col.kind.is_number and a != b
        ]
        if cells:
            yield RowChange(str(old.title), key, cells, "changed")
    for key in after:
        if key not in before:
            yield RowChange(str(old.title), key, [], "added")


def changes(snapshot: Snapshot) -> list[RowChange]:
    """Per row, old → new between the snapshot and the same report built now."""
    frozen = document_from_json(snapshot.document)
    # Rows are matched on their labels: build today's report in the snapshot's language
    # (snapshots from before the language was stored were frozen in Dutch).
    with force_locale(snapshot.document.get("locale") or "nl"):
        built = build(snapshot.report, snapshot.query, reach_of_snapshot(snapshot))
        live = document_to_json(built.document)  # same value types as the stored rows
    now = {s.key: s for s in document_from_json(live).sections}
    found: list[RowChange] = []
    for section in frozen.sections:
        if section.key in now:
            found.extend(_diff_section(section, now[section.key]))
    return found
