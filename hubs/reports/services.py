"""Use cases of reports: building one for a reader, and recording that it left the system."""

from __future__ import annotations

from datetime import date

from hubs.audit.events import DATA_EXPORTED
from hubs.audit.services import log_security_event
from hubs.db import transactional, utcnow
from hubs.learners.counting import AMSTERDAM
from hubs.reports.options import ReportOptions


def today() -> date:
    """Today in the Netherlands (the generation date every export states)."""
    return utcnow().astimezone(AMSTERDAM).date()


@transactional
def record_export(report: str, fmt: str, options: ReportOptions, actor_id: int | None) -> None:
    """Log a download, API read or scheduled run of a report as a data export.

    Ids and codes only (which report, format and years), never names.
    """
    log_security_event(
        DATA_EXPORTED,
        actor_id=actor_id,
        target_type="report",
        details={
            "report": report,
            "format": fmt,
            "from": options.from_year,
            "to": options.to_year,
            "basis": options.basis_code,
        },
    )
