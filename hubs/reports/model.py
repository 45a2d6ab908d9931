"""A report as every output sees it: options, definitions and sections of rows.

The page, the PDF, the CSV and the XLSX render the same :class:`Report`. Rows are plain
tuples in column order and may be any iterable (a generator from a database cursor), so
a CSV or XLSX of a million rows never holds them all in memory.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from markupsafe import Markup


class Kind(StrEnum):
    """How a column's values are shown (text left, numbers right)."""

    TEXT = "text"
    INT = "int"
    PCT = "pct"  # a percentage with one decimal (359.3)
    FACTOR = "factor"  # a ratio with two decimals (4.59)
    HOURS = "hours"  # hours with one decimal

    @property
    def is_number(self) -> bool:
        return self != Kind.TEXT


@dataclass(frozen=True)
class Column:
    label: str
    kind: Kind = Kind.TEXT


@dataclass
class Section:
    """One table of a report (one sheet in the XLSX)."""

    key: str
    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]]
    note: str = ""

    @property
    def header(self) -> list[str]:
        return [c.label for c in self.columns]


@dataclass
class Report:
    """What every output states: the title, the options chosen, the definitions."""

    name: str  # growth, use, companies
    title: str  # "Groei 2021/22 → 2022/23"
    subtitle: str  # hubs and period, for the PDF's running header
    options: Sequence[tuple[str, str]]
    definitions: Sequence[tuple[str, str]]
    sections: Sequence[Section] = field(default_factory=list)
    filename: str = "report"

    def preamble(self) -> list[list[str]]:
        """Title, options and definitions as rows (the top of a CSV)."""
        rows: list[list[str]] = [[self.title], [self.subtitle]]
        rows += [[label, value] for label, value in self.options]
        rows += [[term, text] for term, text in self.definitions]
        rows.append([])
        return rows


@dataclass(frozen=True)
class Figure:
    """A chart (SVG) with its visible caption and a note ("shows the first 40 rows")."""

    svg: Markup
    caption: str
    note: str = ""
    key: str = ""  # names a chart that a build hook may redraw ("trend")
