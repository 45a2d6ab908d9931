"""Remove identifying strings from free-text columns (notes, message bodies …)."""

from __future__ import annotations

import json
import re
from typing import Any

from sqlalchemy import String, Text, func, or_, select

from hubs.extensions import db

REPLACEMENT = "[verwijderd]"


def pattern_for(needles: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(n) for n in needles), re.IGNORECASE)


def scrub_value(value: Any, pattern: re.Pattern[str]) -> Any:
    """``value`` with every match replaced; walks JSON lists and dicts."""
    if isinstance(value, str):
        return pattern.sub(REPLACEMENT, value)
    if isinstance(value, list):
        return [scrub_value(v, pattern) for v in value]
    if isinstance(value, dict):
        return {k: scrub_value(v, pattern) for k, v in value.items()}
    return value


def matching(model: type, columns: list[Any], needles: tuple[str, ...]) -> Any:
    """A criterion: any of ``columns`` contains any needle (case-insensitive)."""
    conditions = []
    for column in columns:
        text = column if isinstance(column.type, (String, Text)) else func.cast(column, Text)
        for needle in needles:
            conditions.append(func.lower(text).contains(needle.lower(), autoescape=True))
            escaped = _json_escaped(needle)
            if escaped != needle:
                conditions.append(func.lower(text).contains(escaped.lower(), autoescape=True))
    return or_(*conditions)


def _json_escaped(needle: str) -> str:
    # JSON columns store "ë" as "\\u00eb": look for that spelling too.
    return json.dumps(needle)[1:-1]


def scrub(model: type, attributes: list[str], needles: tuple[str, ...]) -> list[Any]:
    """Replace the needles in these columns of every row that holds one; returns the rows."""
    if not needles:
        return []
    columns = [getattr(model, name) for name in attributes]
    rows: list[Any] = list(
        db.session.scalars(select(model).where(matching(model, columns, needles)))
    )
    pattern = pattern_for(needles)
    for row in rows:
        for name in attributes:
            setattr(row, name, scrub_value(getattr(row, name), pattern))
    db.session.flush()
    return rows
