"""On the demo data the growth report 2021 -> 2022 shows the province's figures everywhere."""

from __future__ import annotations

import csv
import io

import openpyxl
from pypdf import PdfReader

from tests.helpers import login_through_form

QUERY = "from=2021&to=2022&basis=school&count=participants"
TECHNOHUB = (
    "Bij TechnoHUB Woerden groeide het aantal leerlingen in Dagelijks techniekonderwijs "
    "van 27 naar 124 (+97; +359%; bijna vervijfvoudigd)"
)


def _manager(client, demo):
    login_through_form(client, demo["users"]["manager@hubs.example"], "hubs-demo-2022")


def test_api_shows_27_to_124_and_77_to_124(client, demo, api_headers, frozen):
    headers = {**api_headers(demo["users"]["manager@hubs.example"]), "Accept-Language": "nl"}
    response = client.get(f"/api/v1/reports/growth?{QUERY}", headers=headers)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert set(body) == {"basis", "count", "definitions", "rows"}
    assert (body["basis"], body["count"]) == ("school", "participants")
    rows = {(r["hub"], r["programme"], r["category"]): r for r in body["rows"]}
    daily = rows[("TechnoHUB Woerden", "Dagelijks techniekonderwijs", "vo")]
    assert set(daily) == {
        "hub", "programme", "category", "level", "from_count", "to_count",
        "change", "change_pct", "factor", "sentence", "suppressed",
    }  # fmt: skip
    assert (daily["from_count"], daily["to_count"], daily["change"]) == (27, 124, 97)
    assert (daily["change_pct"], daily["factor"], daily["level"]) == (359.3, 4.59, None)
    assert daily["sentence"] == TECHNOHUB
    mbo = rows[("MAKE Center Nieuwegein", "MBO Techniek", "mbo")]
    assert (mbo["from_count"], mbo["to_count"], mbo["change"]) == (77, 124, 47)
    assert (mbo["change_pct"], mbo["factor"]) == (61.0, 1.61)
    assert "participants" in body["definitions"] and "groups" in body["definitions"]


def test_page_shows_the_numbers_and_definitions(client, demo, frozen):
    _manager(client, demo)
    page = client.get(f"/reports/growth?{QUERY}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert TECHNOHUB in html
    assert "van 77 naar 124 (+47; +61%)" in html
    assert "Definities" in html and "Groepen zijn anoniem" in html
    assert "<svg" in html and "<script" not in html


def test_csv_xlsx_and_pdf_carry_the_same_numbers(client, demo, frozen):
    _manager(client, demo)
    text = client.get(f"/reports/growth.csv?{QUERY}").get_data(as_text=True)
    lines = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    daily = next(r for r in lines if r[:2] == ["TechnoHUB Woerden", "Dagelijks techniekonderwijs"])
    assert daily[3:8] == ["27", "124", "97", "359.3", "4.59"]
    assert any(r and r[0] == "Deelnemers" for r in lines)

    data = client.get(f"/reports/growth.xlsx?{QUERY}").get_data()
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book[book.sheetnames[0]]
    row = next(r for r in sheet.iter_rows(values_only=True) if r[1] == "MBO Techniek")
    assert row[3:8] == (77, 124, 47, 61, 1.61)
    assert "Definities" in book.sheetnames

    pdf = client.get(f"/reports/growth.pdf?{QUERY}").get_data()
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "27" in text and "124" in text and "77" in text
    assert "bijna vervijfvoudigd" in text and "Pagina 1 van" in text


def test_cli_writes_the_same_numbers(app, demo, tmp_path, frozen):
    output = tmp_path / "growth.xlsx"
    result = app.test_cli_runner().invoke(
        args=["report", "growth", "--from", "2021", "--to", "2022", "--format", "xlsx",
              "--output", str(output)]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(output)
    rows = list(book[book.sheetnames[0]].iter_rows(values_only=True))
    daily = next(r for r in rows if r[1] == "Dagelijks techniekonderwijs")
    assert daily[3:5] == (27, 124)
