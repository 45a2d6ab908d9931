"""The pages: programmes with counts, enrolments, people, the import flow, templates."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
import time_machine


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(date(2025, 9, 15), tick=False):
        yield


@pytest.fixture
def setup(make, learn):
    hub = make.hub(name="TechnoHUB")
    school = make.organisation("vo_school", hubs=(hub,), name="Groene Hart College")
    other = make.organisation("vo_school", hubs=(hub,), name="Lek en IJssel Lyceum")
    company = make.organisation("company", hubs=(hub,), name="Van Rijn")
    programme = learn.programme(hub, "Dagelijks techniekonderwijs", categories=("vo",))
    learn.group(programme, school, 24, date(2025, 8, 1), date(2026, 7, 31), group_name="3K")
    learn.group(programme, other, 30, date(2025, 8, 1), date(2026, 7, 31), group_name="4H")
    return {
        "hub": hub,
        "school": school,
        "company": company,
        "programme": programme,
        "coordinator": make.user(("coordinator", hub)),
        "teacher": make.user(("booker", school)),
        "hr": make.user(("booker", company)),
    }


def test_coordinator_sees_counts_and_a_teacher_only_their_school(client, login, setup):
    login(client, setup["coordinator"])
    html = client.get("/learners?year=2025").get_data(as_text=True)
    assert "Dagelijks techniekonderwijs" in html and ">54<" in html
    client.post_form("/logout")
    login(client, setup["teacher"])
    html = client.get("/learners?year=2025").get_data(as_text=True)
    assert ">24<" in html and ">54<" not in html
    enrolments = client.get("/learners/enrolments?year=2025").get_data(as_text=True)
    assert "3K" in enrolments and "4H" not in enrolments


def test_enrolment_filters(client, login, setup):
    login(client, setup["coordinator"])
    assert "3K" in client.get("/learners/enrolments?year=2025&level=").get_data(as_text=True)
    html = client.get("/learners/enrolments?year=2025&level=havo&kind=junk").get_data(as_text=True)
    assert "Geen inschrijvingen" in html
    assert "Geen inschrijvingen" in client.get("/learners/enrolments?year=2024").get_data(
        as_text=True
    )


def test_hr_sees_their_employees_with_names(client, login, setup, learn):
    learn.learner(
        setup["company"], "E1", category="employee", given_name="Henk", family_name="Jansen"
    )
    learn.learner(setup["school"], "000123")
    login(client, setup["hr"])
    html = client.get("/learners/people").get_data(as_text=True)
    assert "Henk Jansen" in html and "000123" not in html


def _upload(client, setup, content: bytes, name="export.csv"):
    return client.post_form(
        "/learners/imports/new",
        {
            "programme_id": setup["programme"].id,
            "organisation_id": setup["school"].id,
            "kind": "group",
            "school_year": 2025,
            "file": (io.BytesIO(content), name),
        },
        content_type="multipart/form-data",
    )


def test_import_flow_problems_then_fixed_file_then_confirm(client, login, setup, app):
    login(client, setup["coordinator"])
    form = client.get("/learners/imports/new").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in form and "Groepslijst (Excel)" in form
    bad = "Klas;Niveau;Aantal leerlingen\n3K-PIE;kader 3;24\n2B;paars;20\n4H;havo 4;veel\n"
    response = _upload(client, setup, bad.encode("cp1252"))
    assert response.status_code == 302
    preview = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Het bestand heeft 2 problemen" in preview
    rows = re.findall(r'<tr class="problem">(.*?)</tr>', preview, re.S)
    assert len(rows) == 2 and "paars" in rows[0] and "veel" in rows[1]
    assert "Importeren</button>" not in preview
    fixed = bad.replace("paars", "basis").replace("veel", "18")
    response = _upload(client, setup, fixed.encode("cp1252"))
    preview_url = response.headers["Location"]
    preview = client.get(preview_url).get_data(as_text=True)
    assert "Nieuw: 3" in preview and "Importeren</button>" in preview
    done = client.post_form(preview_url)
    assert done.status_code == 302 and "/learners/enrolments" in done.headers["Location"]
    listing = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "3K-PIE" in listing and "2B" in listing
    assert client.get(preview_url).status_code == 404  # the upload is gone


def test_upload_that_cannot_be_read_shows_the_problem_at_the_field(client, login, setup):
    login(client, setup["coordinator"])
    response = _upload(client, setup, b"\x00\x01\x02garbage", name="x.xls")
    assert response.status_code == 422
    assert "field-error" in response.get_data(as_text=True)


def test_upload_too_large_is_413_with_a_message(client, login, setup, app):
    app.config["IMPORT_MAX_BYTES"] = 100
    login(client, setup["coordinator"])
    response = _upload(client, setup, b"Groep;Aantal\n" + b"a;1\n" * 50)
    assert response.status_code == 413 and "KB" in response.get_data(as_text=True)


@pytest.mark.parametrize("kind", ["group", "individual"])
def test_templates_download_and_import_cleanly(client, login, setup, kind):
    import openpyxl

    login(client, setup["coordinator"])
    csv_file = client.get(f"/learners/imports/template/{kind}.csv")
    assert csv_file.status_code == 200 and csv_file.data.startswith(b"\xef\xbb\xbf")
    assert b";" in csv_file.data
    xlsx = client.get(f"/learners/imports/template/{kind}.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(xlsx.data))
    header = [c.value for c in book.active[1]]
    assert header[0] in ("Groep", "Leerlingnummer")
    assert all(c.data_type == "s" for row in book.active.iter_rows() for c in row if c.value)
    assert client.get("/learners/imports/template/other.csv").status_code == 404


def test_programme_pages(client, login, setup, make):
    login(client, setup["coordinator"])
    page = client.get("/learners/programmes/new")
    assert page.status_code == 200 and "<fieldset" in page.get_data(as_text=True)
    response = client.post_form(
        "/learners/programmes/new",
        {
            "hub_id": setup["hub"].id,
            "name": "CNC bijscholing",
            "categories": ["employee"],
            "crebo": "",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    detail = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "CNC bijscholing" in detail and "Per schooljaar" in detail
    again = client.post_form(
        "/learners/programmes/new",
        {"hub_id": setup["hub"].id, "name": "CNC bijscholing", "categories": ["employee"]},
    )
    assert "al een opleiding met deze naam" in again.get_data(as_text=True)
    client.post_form("/logout")
    login(client, setup["teacher"])
    assert client.get("/learners/programmes/new").status_code == 403
