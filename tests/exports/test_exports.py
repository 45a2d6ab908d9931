"""Streaming CSV/XLSX, PDF rendering and SVG charts."""

from __future__ import annotations

import csv
import io
import os
import tracemalloc
from datetime import UTC, date, datetime
from pathlib import Path

import openpyxl
import pytest
from flask import Blueprint
from flask_babel import force_locale
from pypdf import PdfReader

from hubs.exports.charts import Bar, BarGroup, bar_chart
from hubs.exports.pdf import render_pdf
from hubs.exports.tabular import (
    Sheet,
    csv_stream,
    excel_serial,
    safe_text,
    stream_file,
    write_xlsx,
)


@pytest.mark.parametrize("text", ["=SUM(A1:A9)", "+31 6", "-2+3", "@cmd", "\tx", "\rx"])
def test_text_that_looks_like_a_formula_is_neutralised(text):
    assert safe_text(text) == "'" + text


def test_numbers_and_plain_text_are_left_alone():
    assert safe_text(-5) == -5 and safe_text("3K-PIE") == "3K-PIE" and safe_text(None) is None


def test_csv_is_rfc4180_with_bom_and_safe_cells():
    rows = [("3K-PIE", 24, 'Groep "A"; lokaal 1'), ("=cmd|' /C calc'!A0", -3, "regel\nnieuw")]
    text = "".join(csv_stream(["groep", "aantal", "notitie"], rows, delimiter=";"))
    assert text.startswith("\ufeffgroep;aantal;notitie\r\n")
    parsed = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert parsed[1] == ["3K-PIE", "24", 'Groep "A"; lokaal 1']
    assert parsed[2] == ["'=cmd|' /C calc'!A0", "-3", "regel\nnieuw"]


def test_csv_streams_in_constant_memory():
    rows = ((n, f"leerling {n}", "vmbo-kb") for n in range(200_000))
    tracemalloc.start()
    total = 0
    for chunk in csv_stream(["n", "naam", "niveau"], rows):
        total += len(chunk)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert total > 5_000_000
    assert peak < 2_000_000  # bytes: a few chunks, never the whole file


def test_xlsx_numbers_are_numbers_text_stays_text_and_long_sheets_split(tmp_path):
    rows = [
        (n, '=HYPERLINK("x")' if n == 0 else f"groep {n}", date(2025, 10, 6)) for n in range(25)
    ]
    path = write_xlsx(
        [
            Sheet("Groei 2021/22: deelnemers", ["aantal", "groep", "datum"], rows),
            Sheet(
                "Definities", ["begrip", "uitleg"], [("deelnemers", "unieke leerlingen + groepen")]
            ),
        ],
        max_rows=10,
    )
    workbook = openpyxl.load_workbook(path)
    names = workbook.sheetnames
    assert names == [
        "Groei 202122 deelnemers",
        "Groei 202122 deelnemers (2)",
        "Groei 202122 deelnemers (3)",
        "Definities",
    ]
    first = workbook[names[0]]
    assert [c.value for c in first[1]] == ["aantal", "groep", "datum"]
    assert first["A2"].value == 0 and first["A2"].data_type == "n"
    assert first["B2"].value == '=HYPERLINK("x")' and first["B2"].data_type == "s"
    assert first["C2"].value.date() == date(2025, 10, 6)
    # 25 rows over sheets of 9 data rows each (plus a header).
    assert [workbook[n].max_row - 1 for n in names[:3]] == [9, 9, 7]
    assert workbook[names[1]]["A1"].value == "aantal"
    chunks = b"".join(stream_file(path))
    assert chunks[:2] == b"PK" and not os.path.exists(path)


def test_xlsx_shows_instants_in_amsterdam_time_and_keeps_dates_and_naive_times():
    rows = [
        (datetime(2026, 7, 1, 10, 30, tzinfo=UTC), "zomertijd"),  # 12:30 CEST
        (datetime(2026, 1, 15, 8, 0, tzinfo=UTC), "wintertijd"),  # 09:00 CET
        (datetime(2026, 10, 25, 0, 30, tzinfo=UTC), "de nacht van de klokwissel"),  # 02:30
        (datetime(2026, 3, 3, 9, 15), "naïef: zoals het is"),
        (date(2026, 3, 3), "een datum"),
        (None, "leeg"),
        (True, "waar"),
    ]
    path = write_xlsx([Sheet("Tijden", ["wanneer", "wat"], rows)])
    sheet = openpyxl.load_workbook(path).active
    os.unlink(path)
    values = [sheet.cell(row=r, column=1).value for r in range(2, 9)]
    assert values[:4] == [
        datetime(2026, 7, 1, 12, 30),
        datetime(2026, 1, 15, 9, 0),
        datetime(2026, 10, 25, 2, 30),
        datetime(2026, 3, 3, 9, 15),
    ]
    assert values[4] == datetime(2026, 3, 3) and values[5] is None and values[6] is True
    assert sheet["A2"].number_format == "dd-mm-yyyy hh:mm"
    assert sheet["A6"].number_format == "dd-mm-yyyy"
    assert excel_serial(date(1900, 3, 1)) == 61.0  # Excel's own serial for that date


def test_xlsx_is_written_in_constant_memory():
    rows = ((n, f"leerling {n}", "vmbo-kb", n * 1.5) for n in range(100_000))
    tracemalloc.start()
    path = write_xlsx([Sheet("Rijen", ["n", "naam", "niveau", "uren"], rows)])
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    os.unlink(path)
    assert peak < 8_000_000


@pytest.fixture
def app(app):
    app.register_blueprint(
        Blueprint("probe_pdf", __name__, template_folder=str(Path(__file__).parent / "templates"))
    )
    return app


def test_pdf_has_header_content_and_page_numbers(app):
    with app.test_request_context(), force_locale("nl"):
        chart = bar_chart(
            "Groei", "Van 27 naar 124", [BarGroup("TechnoHUB", [Bar("2021", 27), Bar("2022", 124)])]
        )
        pdf = render_pdf("probe/report.html", chart=chart, generated_on=date(2026, 11, 29))
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert pdf.startswith(b"%PDF")
    assert "Groei 2021 naar 2022" in text and "TechnoHUB Woerden" in text
    assert "124" in text and "Pagina 1 van 1" in text
    assert "zo 29 nov 2026" in text


def test_bar_chart_is_accessible_svg_without_script(app):
    with app.test_request_context():
        svg = str(
            bar_chart(
                "Groei deelnemers",
                "TechnoHUB: van 27 naar 124",
                [
                    BarGroup(
                        "TechnoHUB Woerden",
                        [Bar("2021", 27, muted=True), Bar("2022", 124, note="+97")],
                        target=100,
                        target_text="doel 100",
                    )
                ],
            )
        )
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert "TechnoHUB: van 27 naar 124" in svg and "+97" in svg and "doel 100" in svg
    assert "<script" not in svg and "style=" not in svg
