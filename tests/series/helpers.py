"""Building blocks for series tests."""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.booking.helpers import at


def series_input(
    resources: list[Any], day: str, start: str, end: str, until: str, **kw: Any
) -> Any:
    """A weekly series from ``day`` (local times ``start``–``end``) until ``until``."""
    from hubs.series.services import SeriesInput

    values: dict[str, Any] = {
        "resource_ids": [r.id for r in resources],
        "first_start": at(day, start),
        "first_end": at(day, end),
        "until": date.fromisoformat(until),
        "group_name": "3K-PIE",
        "group_size": 4,
        "learner_category": "vo",
        "level": "vmbo-kb",
        "purpose": "Lasersnijden",
    }
    values.update(kw)
    return SeriesInput(**values)
