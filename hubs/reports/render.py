"""A :class:`Report` as CSV (streamed), XLSX (constant memory) and PDF (A4).

CSV: the title, options and definitions first, then each section with its title and
header (RFC 4180, CRLF, formula-like text made safe). XLSX: one sheet per section (split
past Excel's row limit) and a definitions sheet. PDF: the same, with charts.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from itertools import chain
from typing import Any

from flask_babel import gettext as _

from hubs.exports.pdf import render_pdf
from hubs.exports.tabular import Sheet, csv_stream, write_xlsx
from hubs.reports.model import Figure, Report


def _section_rows(report: Report) -> Iterator[Sequence[Any]]:
    for index, section in enumerate(report.sections):
        if index:
            yield []
            yield [section.title]
            yield section.header
        yield from section.rows
        if section.note:
            yield [section.note]


def csv_chunks(report: Report, delimiter: str = ",") -> Iterator[str]:
    """The report as CSV text chunks; rows are read lazily, one chunk at a time."""
    first = report.sections[0]
    preamble = chain(report.preamble(), [[first.title]])
    return csv_stream(first.header, _section_rows(report), delimiter=delimiter, preamble=preamble)


def definitions_rows(report: Report) -> Iterable[Sequence[Any]]:
    yield [report.title, report.subtitle]
    yield from ([label, value] for label, value in report.options)
    yield from ([term, text] for term, text in report.definitions)
    for section in report.sections:
        if section.note:
            yield [section.title, section.note]


def xlsx_path(report: Report) -> str:
    """Write the workbook to a temporary file (see :func:`hubs.exports.tabular.write_xlsx`)."""
    sheets = [
        Sheet(section.title, section.header, section.rows, widths=_widths(section.columns))
        for section in report.sections
    ]
    sheets.append(
        Sheet(_("Definitions"), [_("Term"), _("Meaning")], definitions_rows(report), [28, 100])
    )
    return write_xlsx(sheets)


def _widths(columns: Sequence[Any]) -> list[int]:
    return [12 if c.kind.is_number else 28 for c in columns]


def pdf_bytes(report: Report, charts: Sequence[Figure], today: date) -> bytes:
    return render_pdf("reports/pdf.html", report=report, charts=charts, generated_on=today)
