"""Report documents as CSV and XLSX: sections, definitions, safe cells, constant memory."""

from __future__ import annotations

import csv
import io
import os
import tracemalloc

import openpyxl

from hubs.reports.model import Column, Kind, Report, Section
from hubs.reports.render import csv_chunks, xlsx_path


def _report(rows) -> Report:
    return Report(
        name="probe",
        title="Probe",
        subtitle="alle hubs · schooljaar",
        options=[("Jaren", "2021/22 → 2022/23")],
        definitions=[("Deelnemers", "unieke leerlingen + groepen")],
        sections=[
            Section("rows", "Rijen", [Column("Naam"), Column("Aantal", Kind.INT)], rows),
            Section("totals", "Totalen", [Column("Hub"), Column("Aantal", Kind.INT)], [["=A1", 3]]),
        ],
    )


def test_csv_states_options_and_definitions_then_each_section_with_safe_cells():
    text = "".join(csv_chunks(_report([["@SUM(1)", 27], ["+31 6", 124]])))
    lines = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert lines[:5] == [
        ["Probe"],
        ["alle hubs · schooljaar"],
        ["Jaren", "2021/22 → 2022/23"],
        ["Deelnemers", "unieke leerlingen + groepen"],
        [],
    ]
    assert lines[5:9] == [["Rijen"], ["Naam", "Aantal"], ["'@SUM(1)", "27"], ["'+31 6", "124"]]
    assert lines[9:] == [[], ["Totalen"], ["Hub", "Aantal"], ["'=A1", "3"]]
    assert "\r\n" in text


def test_xlsx_has_a_sheet_per_section_and_a_definitions_sheet():
    path = xlsx_path(_report([["3K-PIE", 27]]))
    try:
        book = openpyxl.load_workbook(path)
    finally:
        os.unlink(path)
    assert book.sheetnames == ["Rijen", "Totalen", "Definitions"]  # no app: English
    assert book["Rijen"]["B2"].value == 27 and book["Rijen"]["B2"].data_type == "n"
    assert book["Totalen"]["A2"].value == "=A1" and book["Totalen"]["A2"].data_type == "s"
    definitions = list(book["Definitions"].iter_rows(values_only=True))
    assert ("Jaren", "2021/22 → 2022/23") in definitions
    assert ("Deelnemers", "unieke leerlingen + groepen") in definitions


def _many(n: int):
    return ([f"groep {i}", i] for i in range(n))


# Holding the rows alone would take ~170 bytes each (10 MB for 60,000); a million-row
# export works the same way, these sizes keep the suite fast under tracemalloc.


def test_a_huge_report_streams_as_csv_in_bounded_memory():
    tracemalloc.start()
    size = sum(len(chunk) for chunk in csv_chunks(_report(_many(60_000))))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert size > 1_000_000
    assert peak < 1_000_000


def test_a_huge_report_is_written_as_xlsx_in_bounded_memory():
    tracemalloc.start()
    path = xlsx_path(_report(_many(20_000)))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    book = openpyxl.load_workbook(path, read_only=True)
    assert book["Rijen"].max_row == 20_001
    book.close()
    os.unlink(path)
    assert peak < 1_500_000
