"""The importer under random input: never a 500, never a partial write."""

from __future__ import annotations

import io
from datetime import date

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from hubs.extensions import db
from hubs.learners.models import Enrolment, Learner

# The number of examples comes from the profile (tests/conftest.py: dev 100, CI 40).
FUZZ = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
HEADERS = [
    "Groep",
    "Klas",
    "Aantal",
    "Niveau",
    "Leerjaar",
    "Categorie",
    "Leerlingnummer",
    "Roepnaam",
    "Tussenvoegsel",
    "Achternaam",
    "E-mailadres",
    "Begindatum",
    "Einddatum",
    "Status",
    "BOL/BBL",
    "BSN",
    "",
]
NASTY = st.sampled_from(
    ['"', '""', "\n", "\r\n", ";", ",", "\t", "=", "+", "-", "@", "=1+1", "\x00", "ë", "€", " "]
)
VALUES = st.one_of(
    st.sampled_from(
        [
            "3K-PIE",
            "24",
            "vmbo-kb",
            "Havo 4",
            "kader",
            "mbo 2",
            "bbl",
            "vo",
            "mbo",
            "werkende",
            "000123",
            "01-08-2025",
            "2025-09-01",
            "31-02-2026",
            "afgerond",
            "0",
            "-5",
            "99999",
        ]
    ),
    st.text(max_size=30),
    st.lists(NASTY, max_size=6).map("".join),
    st.integers(min_value=900, max_value=3000).map(lambda n: "x" * n),
)


@pytest.fixture
def setup(make, learn, api_headers):
    hub = make.hub()
    school = make.organisation("vo_school", hubs=(hub,))
    programme = learn.programme(hub, "Fuzz", records_pupil_names=True)
    return {
        "headers": api_headers(make.user(("coordinator", hub))),
        "programme": programme,
        "school": school,
    }


def _counts(app):
    with app.app_context():
        return (
            db.session.scalar(select(func.count()).select_from(Enrolment)),
            db.session.scalar(select(func.count()).select_from(Learner)),
        )


def _post(client, setup, content: bytes, kind: str, dry_run: bool, name: str = "f.csv"):
    return client.post(
        "/api/v1/enrolments/imports",
        data={
            "programme_id": str(setup["programme"].id),
            "organisation_id": str(setup["school"].id),
            "kind": kind,
            "dry_run": "true" if dry_run else "false",
            "file": (io.BytesIO(content), name),
        },
        headers=setup["headers"],
        content_type="multipart/form-data",
    )


def _check(app, client, setup, content, kind, dry_run, name="f.csv"):
    before = _counts(app)
    with time_machine.travel(date(2025, 9, 15), tick=False):
        response = _post(client, setup, content, kind, dry_run, name)
    after = _counts(app)
    assert response.status_code in (200, 201, 413, 422), response.get_data(as_text=True)[:500]
    if response.status_code == 201:
        assert not dry_run
        assert after[0] - before[0] == response.json["created"]
    else:
        assert after == before, "a refused import wrote something"
    if response.status_code == 422 and "errors" in response.json:
        for error in response.json["errors"]:
            assert set(error) == {"row", "column", "value", "message"}


@FUZZ
@given(content=st.binary(max_size=3000), kind=st.sampled_from(["group", "individual"]))
def test_random_bytes(app, client, setup, content, kind):
    _check(app, client, setup, content, kind, dry_run=False)


@FUZZ
@given(content=st.binary(max_size=3000))
def test_random_bytes_posing_as_xlsx(app, client, setup, content):
    _check(app, client, setup, b"PK\x03\x04" + content, "group", False, name="f.xlsx")


@FUZZ
@given(
    header=st.lists(st.sampled_from(HEADERS), min_size=1, max_size=8),
    rows=st.lists(st.lists(VALUES, max_size=8), max_size=12),
    delimiter=st.sampled_from([";", ",", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
    quote=st.booleans(),
    kind=st.sampled_from(["group", "individual"]),
    dry_run=st.booleans(),
)
def test_csv_like_text(app, client, setup, header, rows, delimiter, encoding, quote, kind, dry_run):
    def line(cells):
        if quote:
            cells = ['"' + c.replace('"', '""') + '"' for c in cells]
        return delimiter.join(cells)

    text = "\r\n".join(line(cells) for cells in [header, *rows])
    _check(app, client, setup, text.encode(encoding, errors="replace"), kind, dry_run)


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    rows=st.lists(
        st.lists(
            st.one_of(
                VALUES,
                st.integers(-10, 10**6),
                st.floats(allow_nan=False),
                st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 1, 1)),
            ),
            max_size=6,
        ),
        max_size=8,
    ),
    kind=st.sampled_from(["group", "individual"]),
)
def test_random_xlsx(app, client, setup, rows, kind):
    import openpyxl
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Groep", "Leerlingnummer", "Aantal", "Niveau", "Begindatum", "Roepnaam"])
    for cells in rows:
        # Strings the way a user typed them: openpyxl must not turn "=…" into a formula.
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", c) if isinstance(c, str) else c for c in cells])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.data_type == "f":
                cell.data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    _check(app, client, setup, buffer.getvalue(), kind, False, name="f.xlsx")


@FUZZ
@given(
    names=st.lists(
        st.tuples(
            st.sampled_from(["=", "+", "-", "@", '"', "'", ""]),
            st.text(
                alphabet=st.characters(categories=["L", "N", "P", "S", "Zs"]),
                min_size=1,
                max_size=20,
            ),
        )
        .map("".join)
        .map(lambda s: " ".join(s.split()))
        .filter(bool),
        min_size=1,
        max_size=5,
        unique_by=lambda s: s,
    )
)
def test_group_names_are_stored_as_typed_text(app, client, setup, names):
    def quoted(value: str) -> str:
        return '"' + value.replace('"', '""') + '"'

    text = "Groep;Aantal;Categorie\r\n" + "".join(f"{quoted(n)};7;vo\r\n" for n in names)
    with time_machine.travel(date(2025, 9, 15), tick=False):
        response = _post(client, setup, text.encode("utf-8"), "group", dry_run=False)
    assert response.status_code == 201, response.json.get("errors")
    with app.app_context():
        stored = set(
            db.session.scalars(select(Enrolment.group_name).where(Enrolment.group_name.in_(names)))
        )
    assert stored == set(names)
