"""Importing group and individual lists: dry run, problems, all-or-nothing, idempotence."""

from __future__ import annotations

import io
from datetime import date

import pytest
import time_machine
from sqlalchemy import func, select

from hubs.extensions import db
from hubs.learners.models import Enrolment, Learner, Level, Pathway

NOW = date(2025, 9, 15)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def setup(make, learn):
    hub = make.hub(name="TechnoHUB")
    school = make.organisation("vo_school", hubs=(hub,), name="Groene Hart College")
    company = make.organisation("company", hubs=(hub,))
    outsider = make.organisation("vo_school")
    return {
        "hub": hub,
        "school": school,
        "company": company,
        "outsider": outsider,
        "programme": learn.programme(hub, "Dagelijks techniekonderwijs", categories=("vo",)),
        "mixed": learn.programme(hub, "Bijscholing", categories=("mbo", "employee", "vo")),
        "coordinator": make.user(("coordinator", hub)),
        "teacher": make.user(("booker", school)),
    }


def post(
    client, headers, programme, kind, content, *, org=None, dry_run=True, name="f.csv", **extra
):
    data = {
        "programme_id": str(programme.id),
        "kind": kind,
        "dry_run": "true" if dry_run else "false",
        "file": (io.BytesIO(content), name),
        **extra,
    }
    if org is not None:
        data["organisation_id"] = str(org.id)
    return client.post(
        "/api/v1/enrolments/imports", data=data, headers=headers, content_type="multipart/form-data"
    )


def counts(app):
    with app.app_context():
        return (
            db.session.scalar(select(func.count()).select_from(Enrolment)),
            db.session.scalar(select(func.count()).select_from(Learner)),
        )


GROUPS = "Groep;Niveau;Aantal\r\n3K-PIE;VMBO-KB 3;24\r\n4H-NT;Havo 4;18\r\n2B;basis;12\r\n"


def test_group_list_dry_run_then_commit_then_reimport_changes_nothing(
    client, app, setup, api_headers
):
    s = setup
    headers = api_headers(s["coordinator"])
    dry = post(client, headers, s["programme"], "group", GROUPS.encode(), org=s["school"])
    assert dry.status_code == 200, dry.json
    assert (dry.json["created"], dry.json["updated"], dry.json["errors"]) == (3, 0, [])
    assert counts(app) == (0, 0)
    done = post(
        client, headers, s["programme"], "group", GROUPS.encode(), org=s["school"], dry_run=False
    )
    assert done.status_code == 201 and done.json["created"] == 3
    with app.app_context():
        rows = {e.group_name: e for e in db.session.scalars(select(Enrolment))}
        assert rows["3K-PIE"].level == Level.VMBO_KB and rows["3K-PIE"].leerjaar == 3
        assert rows["4H-NT"].level == Level.HAVO and rows["4H-NT"].leerjaar == 4
        assert rows["2B"].headcount == 12 and rows["2B"].starts_on == date(2025, 8, 1)
        assert rows["2B"].ends_on == date(2026, 7, 31) and rows["2B"].school_year == 2025
        stamps = {e.id: e.updated_at for e in rows.values()}
    again = post(
        client, headers, s["programme"], "group", GROUPS.encode(), org=s["school"], dry_run=False
    )
    assert again.status_code == 201 and again.json["unchanged"] == 3 and again.json["created"] == 0
    with app.app_context():
        assert {e.id: e.updated_at for e in db.session.scalars(select(Enrolment))} == stamps
    changed = GROUPS.replace("3K-PIE;VMBO-KB 3;24", "3K-PIE;VMBO-KB 3;25")
    update = post(
        client, headers, s["programme"], "group", changed.encode(), org=s["school"], dry_run=False
    )
    assert (update.json["updated"], update.json["unchanged"]) == (1, 2)


def test_bad_rows_are_each_reported_and_nothing_is_written(client, app, setup, api_headers):
    s = setup
    content = (
        "Groep,Niveau,Aantal,Begindatum\n"
        "3K,vmbo-kb,24,01-09-2025\n"
        "3X,paars,20,\n"
        ",havo,10,\n"
        "4V,vwo 4,veel,\n"
        "5V,vwo,12,31-02-2026\n"
        "6V,vwo,12,01-09-2024\n"
        "3K,vmbo-kb,24,\n"
    )
    response = post(
        client,
        api_headers(s["coordinator"]),
        s["programme"],
        "group",
        content.encode(),
        org=s["school"],
        dry_run=False,
    )
    assert response.status_code == 422
    errors = {(e["row"], e["column"]): e for e in response.json["errors"]}
    assert set(errors) == {
        (3, "Niveau"),
        (4, "Groep"),
        (5, "Aantal"),
        (6, "Begindatum"),
        (7, "Begindatum"),
        (8, "Groep"),
    }
    assert errors[(3, "Niveau")]["value"] == "paars"
    assert "Onbekend niveau" in errors[(3, "Niveau")]["message"]  # Dutch by default
    assert "rij 2" in errors[(8, "Groep")]["message"]
    assert counts(app) == (0, 0)


def test_messages_follow_the_users_language(client, setup, api_headers, make):
    s = setup
    english = make.user(("coordinator", s["hub"]), locale="en")
    content = b"Groep;Niveau;Aantal\n3X;paars;20\n"
    response = post(client, api_headers(english), s["programme"], "group", content, org=s["school"])
    assert response.status_code == 422
    assert response.json["errors"][0]["message"].startswith("Unknown level")


INDIVIDUALS = (
    "Leerlingnummer;Categorie;Niveau;Leerjaar;Roepnaam;Tussenvoegsel;Achternaam;Geboortedatum;BSN\n"
    "000123;vo;kader;3;Daniëlle;van;Dijk;01-02-2010;123456782\n"
    "000124;leerling;VMBO-KB;3;Sem;;Bakker;02-03-2010;\n"
)


def test_individual_list_keeps_leading_zeros_and_no_pupil_names_or_birth_dates(
    client, app, setup, api_headers
):
    s = setup
    headers = api_headers(s["teacher"])  # a booker of the school imports for their school
    dry = post(client, headers, s["programme"], "individual", INDIVIDUALS.encode("cp1252"))
    assert dry.status_code == 200, dry.json
    assert set(dry.json["ignored_columns"]) == {"Geboortedatum", "BSN"}
    assert dry.json["notices"]  # names of pupils are not stored for this programme
    done = post(
        client, headers, s["programme"], "individual", INDIVIDUALS.encode("cp1252"), dry_run=False
    )
    assert done.status_code == 201
    with app.app_context():
        learners = db.session.scalars(select(Learner).order_by(Learner.reference)).all()
        assert [lr.reference for lr in learners] == ["000123", "000124"]
        assert all(lr.given_name is None and lr.family_name is None for lr in learners)
        assert learners[0].level == Level.VMBO_KB and learners[0].leerjaar == 3
    again = post(
        client,
        headers,
        s["programme"],
        "individual",
        INDIVIDUALS.encode("utf-8-sig"),
        dry_run=False,
    )
    assert again.json["unchanged"] == 2


def test_employee_names_are_kept_and_names_with_accents_survive_cp1252(
    client, app, setup, api_headers
):
    s = setup
    content = "Personeelsnummer,Soort,Roepnaam,Achternaam,E-mailadres\nE-0042,werkende,Daniëlle,Zwart,d.zwart@example.nl\n"
    headers = api_headers(s["coordinator"])
    done = post(
        client,
        headers,
        s["mixed"],
        "individual",
        content.encode("cp1252"),
        org=s["company"],
        dry_run=False,
    )
    assert done.status_code == 201, done.json
    with app.app_context():
        learner = db.session.scalar(select(Learner))
        assert (learner.given_name, learner.family_name, learner.email) == (
            "Daniëlle",
            "Zwart",
            "d.zwart@example.nl",
        )


def test_mbo_levels_and_pathways(client, app, setup, api_headers, make):
    s = setup
    roc = make.organisation("mbo_college", hubs=(s["hub"],))
    content = "Studentnummer;Niveau;BOL/BBL\n5001;mbo 2;bbl\n5002;Niveau 4 BOL;\n5003;N3;BOL\n"
    done = post(
        client,
        api_headers(s["coordinator"]),
        s["mixed"],
        "individual",
        content.encode(),
        org=roc,
        dry_run=False,
    )
    assert done.status_code == 201, done.json
    with app.app_context():
        got = {
            lr.reference: (lr.category.value, lr.level, lr.pathway)
            for lr in db.session.scalars(select(Learner))
        }
    assert got == {
        "5001": ("mbo", Level.MBO_2, Pathway.BBL),
        "5002": ("mbo", Level.MBO_4, Pathway.BOL),
        "5003": ("mbo", Level.MBO_3, Pathway.BOL),
    }


def test_xlsx_with_date_cells_numbers_and_formula_text(client, app, setup, api_headers):
    import openpyxl

    s = setup
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Groep", "Niveau", "Aantal", "Begindatum"])
    sheet.append(["3K-PIE", "vmbo-kb", 24, date(2025, 9, 1)])
    sheet.append(['=HYPERLINK("x")', "havo", 18.0, None])
    buffer = io.BytesIO()
    book.save(buffer)
    done = post(
        client,
        api_headers(s["coordinator"]),
        s["programme"],
        "group",
        buffer.getvalue(),
        org=s["school"],
        dry_run=False,
        name="klas.xlsx",
    )
    assert done.status_code == 201, done.json
    with app.app_context():
        rows = {e.group_name: e for e in db.session.scalars(select(Enrolment))}
    assert rows["3K-PIE"].starts_on == date(2025, 9, 1)
    assert rows['=HYPERLINK("x")'].headcount == 18  # kept as text, never evaluated


def test_limits_answer_413_and_422(client, app, setup, api_headers):
    s = setup
    app.config.update(IMPORT_MAX_BYTES=1000, IMPORT_MAX_ROWS=3)
    headers = api_headers(s["coordinator"])
    big = post(
        client,
        headers,
        s["programme"],
        "group",
        b"Groep;Aantal\n" + b"a;1\n" * 400,
        org=s["school"],
    )
    assert big.status_code == 413
    many = post(
        client, headers, s["programme"], "group", b"Groep;Aantal\n" + b"a;1\n" * 4, org=s["school"]
    )
    assert many.status_code == 422 and "3" in many.json["errors"][0]["message"]
    assert counts(app) == (0, 0)


def test_import_needs_the_right_to_enrol_for_that_organisation(client, setup, api_headers, make):
    s = setup
    other_teacher = make.user(("booker", s["company"]))
    response = post(
        client,
        api_headers(other_teacher),
        s["programme"],
        "group",
        GROUPS.encode(),
        org=s["school"],
    )
    assert response.status_code == 403
    not_member = post(
        client,
        api_headers(s["coordinator"]),
        s["programme"],
        "group",
        GROUPS.encode(),
        org=s["outsider"],
    )
    assert not_member.status_code == 422 and "organisation_id" in not_member.json["fields"]


def test_iso_dates_and_end_dates(client, app, setup, api_headers):
    s = setup
    content = "Groep;Aantal;Begindatum;Einddatum;Status\n3K;24;2025-09-01;31-01-2026;gestopt\n"
    done = post(
        client,
        api_headers(s["coordinator"]),
        s["programme"],
        "group",
        content.encode(),
        org=s["school"],
        dry_run=False,
    )
    assert done.status_code == 201, done.json
    with app.app_context():
        enrolment = db.session.scalar(select(Enrolment))
        assert (enrolment.starts_on, enrolment.ends_on) == (date(2025, 9, 1), date(2026, 1, 31))
        assert enrolment.status.value == "stopped"


def test_concurrent_imports_of_one_file_write_it_once(app, setup, api_headers):
    import threading

    s = setup
    headers = api_headers(s["coordinator"])
    barrier = threading.Barrier(4)
    statuses: list[int] = []

    def worker() -> None:
        client = app.test_client()
        barrier.wait()
        # The test's clock (the autouse fixture) applies to these threads too.
        response = post(
            client,
            headers,
            s["programme"],
            "group",
            GROUPS.encode(),
            org=s["school"],
            dry_run=False,
        )
        statuses.append(response.status_code)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert set(statuses) <= {201, 409} and 201 in statuses
    assert counts(app) == (3, 0)
