"""Flask responses for downloads: CSV and XLSX streamed, PDF in one piece."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import quote

from flask import Response, stream_with_context

from hubs.exports.tabular import Sheet, csv_stream, stream_file, write_xlsx

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def attachment(filename: str) -> dict[str, str]:
    """A Content-Disposition header that survives non-ASCII file names."""
    ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_")
    return {
        "Content-Disposition": f'attachment; filename="{ascii_name}"; '
        f"filename*=UTF-8''{quote(filename)}"
    }


def csv_response(
    filename: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    delimiter: str = ",",
    preamble: Iterable[Sequence[Any]] = (),
) -> Response:
    body = csv_stream(header, rows, delimiter=delimiter, preamble=preamble)
    return Response(
        stream_with_context(body),
        mimetype="text/csv",
        content_type="text/csv; charset=utf-8",
        headers=attachment(filename),
    )


def xlsx_response(filename: str, sheets: Sequence[Sheet]) -> Response:
    path = write_xlsx(sheets)
    return Response(stream_file(path), mimetype=XLSX_MIMETYPE, headers=attachment(filename))


def pdf_response(filename: str, pdf: bytes) -> Response:
    return Response(pdf, mimetype="application/pdf", headers=attachment(filename))
