"""Streaming CSV and XLSX: constant memory however many rows, text never a formula.

Both take a header and an iterable of rows (tuples). Numbers stay numbers; text cells
that a spreadsheet would read as a formula (starting with ``= + - @``, tab or carriage
return) get a leading apostrophe, the OWASP advice for CSV injection.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import xlsxwriter

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
EXCEL_MAX_ROWS = 1_048_576
CHUNK_ROWS = 500
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def safe_text(value: Any) -> Any:
    """Neutralise text a spreadsheet would execute; leave numbers and dates alone."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return safe_text(value) if isinstance(value, str) else value


def csv_stream(
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    delimiter: str = ",",
    bom: bool = True,
    preamble: Iterable[Sequence[Any]] = (),
) -> Iterator[str]:
    """RFC 4180 CSV (CRLF, quoted as needed) in chunks of text, for a streaming response.

    ``preamble`` rows (e.g. the report's options and definitions) come before the header.
    A UTF-8 BOM lets Excel recognise the encoding.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    if bom:
        buffer.write("\ufeff")
    for line in preamble:
        writer.writerow([_csv_value(v) for v in line])
    writer.writerow([safe_text(h) for h in header])
    for count, row in enumerate(rows, start=1):
        writer.writerow([_csv_value(v) for v in row])
        if count % CHUNK_ROWS == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


@dataclass
class Sheet:
    """One section of a workbook: a title, a header and its rows (any iterable)."""

    title: str
    header: Sequence[str]
    rows: Iterable[Sequence[Any]]
    widths: Sequence[int] = field(default_factory=list)


def _sheet_name(title: str, part: int) -> str:
    # Excel: at most 31 characters, none of []:*?/\
    clean = "".join(c for c in title if c not in "[]:*?/\\")[:28]
    return clean if part == 1 else f"{clean[:25]} ({part})"


def write_xlsx(sheets: Sequence[Sheet], *, max_rows: int = EXCEL_MAX_ROWS) -> str:
    """Write a workbook to a temporary file in constant memory; returns its path.

    Rows beyond Excel's limit continue on a new sheet with the same header. The caller
    streams the file and removes it (see :func:`stream_file`). Aware datetimes (instants
    from the database are UTC) appear in Europe/Amsterdam time: Excel has no time zones.
    """
    fd, path = tempfile.mkstemp(suffix=".xlsx", prefix="hubs-export-")
    os.close(fd)
    workbook = xlsxwriter.Workbook(
        path,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "default_date_format": "dd-mm-yyyy",
        },
    )
    bold = workbook.add_format({"bold": True})
    formats = _Formats(
        workbook.add_format({"num_format": "dd-mm-yyyy"}),
        workbook.add_format({"num_format": "dd-mm-yyyy hh:mm"}),
    )
    for sheet in sheets:
        part = 1
        worksheet, row_index = _new_worksheet(workbook, sheet, part, bold)
        for row in sheet.rows:
            if row_index >= max_rows:
                part += 1
                worksheet, row_index = _new_worksheet(workbook, sheet, part, bold)
            _write_row(worksheet, row_index, row, formats)
            row_index += 1
    workbook.close()
    return path


@dataclass(frozen=True)
class _Formats:
    date: Any
    datetime: Any


def _new_worksheet(workbook: Any, sheet: Sheet, part: int, bold: Any) -> tuple[Any, int]:
    worksheet = workbook.add_worksheet(_sheet_name(sheet.title, part))
    for col, width in enumerate(sheet.widths):
        worksheet.set_column(col, col, width)
    for col, title in enumerate(sheet.header):
        worksheet.write_string(0, col, str(title), bold)
    return worksheet, 1


# Excel's day 0 is 30 December 1899 (its serial numbers count days from there).
_EXCEL_EPOCH = date(1899, 12, 30).toordinal()


def excel_serial(value: datetime | date) -> float:
    """The Excel serial number of a date or a datetime; an aware datetime in Amsterdam
    wall-clock time (what the person reading the sheet expects), a naive one as it is."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(AMSTERDAM)
        seconds = value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6
        return value.toordinal() - _EXCEL_EPOCH + seconds / 86400
    return float(value.toordinal() - _EXCEL_EPOCH)


def _write_row(worksheet: Any, row: int, values: Sequence[Any], formats: _Formats) -> None:
    # The hot loop of a million-row export: one type test per cell, then the writer that
    # needs no further conversion (dates as serial numbers with a date format).
    for col, value in enumerate(values):
        kind = type(value)
        if kind is str:
            worksheet.write_string(row, col, value)
        elif value is None:
            continue
        elif kind is bool:
            worksheet.write_boolean(row, col, value)
        elif kind is int or kind is float or kind is Decimal:
            worksheet.write_number(row, col, float(value))
        elif isinstance(value, datetime):
            worksheet.write_number(row, col, excel_serial(value), formats.datetime)
        elif isinstance(value, date):
            worksheet.write_number(row, col, excel_serial(value), formats.date)
        elif isinstance(value, (int, float, Decimal)):  # bool is an int: tested above
            worksheet.write_number(row, col, float(value))
        else:
            # write_string never interprets the text: "=SUM(A1)" stays text in Excel.
            worksheet.write_string(row, col, str(value))


def stream_file(path: str, chunk_size: int = 64 * 1024) -> Iterator[bytes]:
    """Yield a file's bytes and delete it afterwards (also when the client goes away)."""
    try:
        with open(path, "rb") as fh:
            while chunk := fh.read(chunk_size):
                yield chunk
    finally:
        os.unlink(path)
