"""Course pages through the test client: catalogue, enrolling with the form, scheduling,
cancelling, the start page, HR's exports and the certificate."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from sqlalchemy import select

from hubs.courses.models import Course, CourseEnrolment, EnrolmentStatus
from hubs.extensions import db
from tests.booking.helpers import at, principal


def _signed_in(client, login, user):
    login(client, user)
    return client


def test_hr_finds_a_course_and_enrols_two_employees_on_the_last_seat(
    app, client, cw, course, login
):
    course_id = course(seats=1)
    _signed_in(client, login, cw.hr)
    page = client.get("/courses")
    assert page.status_code == 200
    assert "CNC-frezen basis" in page.text and "nog 1 plaats vrij" in page.text
    a, b, _ = cw.employees
    detail = client.get(f"/courses/{course_id}")
    assert "Sanne Bakker" in detail.text and "Kees Mol" not in detail.text
    answer = client.post_form(
        f"/courses/{course_id}/enrol", {"learner_ids": [a.id, b.id]}, follow_redirects=True
    )
    assert answer.status_code == 200
    assert "1 persoon ingeschreven" in answer.text
    assert "Op de wachtlijst: Joris Visser" in answer.text
    with app.app_context():
        rows = db.session.scalars(select(CourseEnrolment).order_by(CourseEnrolment.id)).all()
        assert [(r.learner_id, r.status) for r in rows] == [
            (a.id, EnrolmentStatus.ENROLLED),
            (b.id, EnrolmentStatus.WAITING),
        ]


def test_enrolling_nobody_shows_the_error_at_the_field(client, cw, course, login):
    course_id = course()
    _signed_in(client, login, cw.hr)
    answer = client.post_form(f"/courses/{course_id}/enrol", {})
    assert answer.status_code == 422
    assert "Kies ten minste één medewerker" in answer.text
    assert 'class="error-summary"' in answer.text


def test_a_coordinator_schedules_a_course_with_the_form(app, client, cw, login):
    _signed_in(client, login, cw.coordinator)
    form = client.get("/courses/new")
    assert form.status_code == 200 and "Instructielokaal" in form.text
    data = {
        "hub_id": cw.hub.id,
        "organisation_id": cw.college.id,
        "title": "Lasersnijden veilig werken",
        "resource_ids": [cw.room.id],
        "session1_date": "2026-03-11",
        "session1_start": "13:00",
        "session1_end": "16:00",
        "seats": 8,
        "min_participants": 3,
        "decision_on": "2026-03-05",
        "enrol_deadline": "06-03-2026",
        "price": "125,50".replace(",", "."),
        "grants_licence_kind": "laser",
        "licence_valid_months": 12,
        "audience": "both",
    }
    answer = client.post_form("/courses/new", data)
    assert answer.status_code == 302, answer.text[-2000:]
    with app.app_context():
        course = db.session.scalar(select(Course))
        assert course.title == "Lasersnijden veilig werken"
        assert course.price_cents == 12550
        assert course.sessions[0].starts_at == at("2026-03-11", "13:00")
    bad = client.post_form("/courses/new", {**data, "title": "", "session1_date": ""})
    assert bad.status_code == 422
    assert 'class="error-summary"' in bad.text


def _course_form(cw, **extra):
    return {
        "hub_id": cw.hub.id,
        "organisation_id": cw.college.id,
        "title": "Lassen in tien lessen",
        "resource_ids": [cw.room.id],
        "seats": 6,
        "enrol_deadline": "2026-03-09",
        "audience": "companies",
        **extra,
    }


def test_more_session_rows_without_javascript_then_a_five_session_course(app, client, cw, login):
    _signed_in(client, login, cw.coordinator)
    page = client.get("/courses/new")
    assert 'name="session3_date"' in page.text and 'name="session4_date"' not in page.text
    days = ["2026-03-10", "2026-03-17", "2026-03-24", "2026-03-31", "2026-04-07"]
    first = {"session_rows": "3", "title": "Lassen in tien lessen", "session1_date": days[0]}
    more = client.post_form("/courses/new", {**first, "more_sessions": "1"})
    assert more.status_code == 200
    assert 'name="session6_date"' in more.text and 'name="session7_date"' not in more.text
    assert 'value="Lassen in tien lessen"' in more.text and 'class="error-summary"' not in more.text
    assert "Datum van bijeenkomst 6" in more.text  # a label per row (Dutch by default)
    data = {"session_rows": "6"}
    for n, day in enumerate(days, start=1):
        data |= {f"session{n}_date": day, f"session{n}_start": "13:00", f"session{n}_end": "16:00"}
    answer = client.post_form("/courses/new", _course_form(cw, **data))
    assert answer.status_code == 302, answer.text[-3000:]
    with app.app_context():
        course = db.session.scalar(select(Course))
        assert [s.starts_at for s in course.sessions] == [at(d, "13:00") for d in days]


def test_a_session_row_with_times_but_no_date_is_an_error_at_the_field(client, cw, login):
    _signed_in(client, login, cw.coordinator)
    data = {
        "session_rows": "4",
        "session1_date": "2026-03-10",
        "session1_start": "13:00",
        "session1_end": "16:00",
        "session4_start": "13:00",
        "session4_end": "16:00",
    }
    answer = client.post_form("/courses/new", _course_form(cw, **data))
    assert answer.status_code == 422
    assert 'id="session4_date-error"' in answer.text
    assert 'class="error-summary"' in answer.text


def test_the_number_of_session_rows_is_bounded(client, cw, login):
    from hubs.courses.forms import MAX_SESSIONS

    _signed_in(client, login, cw.coordinator)
    answer = client.post_form("/courses/new", {"session_rows": "100000", "more_sessions": "1"})
    assert answer.status_code == 200
    assert f'name="session{MAX_SESSIONS}_date"' in answer.text
    assert f'name="session{MAX_SESSIONS + 1}_date"' not in answer.text
    assert 'name="more_sessions"' not in answer.text
    junk = client.post_form("/courses/new", {"session_rows": "veel", "more_sessions": "1"})
    assert junk.status_code == 200 and 'name="session6_date"' in junk.text


def test_a_course_on_a_taken_slot_is_refused_at_the_form(client, cw, course, login):
    course()
    _signed_in(client, login, cw.coordinator)
    answer = client.post_form(
        "/courses/new",
        {
            "hub_id": cw.hub.id,
            "organisation_id": cw.college.id,
            "title": "Botsing",
            "resource_ids": [cw.cnc.id],
            "session1_date": "2026-03-10",
            "session1_start": "10:00",
            "session1_end": "11:00",
            "seats": 2,
            "enrol_deadline": "2026-03-09",
            "audience": "companies",
        },
    )
    assert answer.status_code == 422
    assert "bezet" in answer.text


def test_below_minimum_courses_show_on_the_coordinators_start_page(client, cw, course, login):
    course(min_participants=3)
    _signed_in(client, login, cw.coordinator)
    start = client.get("/")
    assert "Cursussen onder het minimum" in start.text
    assert "0 van minimaal 3 deelnemers" in start.text


def test_cancelling_a_course_with_the_button(app, client, cw, course, login):
    course_id = course()
    _signed_in(client, login, cw.coordinator)
    assert client.post_form(f"/courses/{course_id}/cancel", {"reason": "x"}).status_code == 400
    answer = client.post_form(
        f"/courses/{course_id}/cancel", {"reason": "Te weinig", "confirm": "yes"}
    )
    assert answer.status_code == 302
    page = client.get(f"/courses/{course_id}")
    assert "Geannuleerd" in page.text


def _completed(app, cw, course, clock):
    """A course whose first two employees completed it (recorded in the register)."""
    from hubs.attendance.services import AttendanceInput, record_attendance
    from hubs.courses import enrolment, services

    course_id = course(grants_licence_kind="CNC")
    ids = [e.id for e in cw.employees[:2]]
    with app.app_context():
        enrolment.enrol(principal(cw.hr), course_id, ids)
    clock.move_to(at("2026-03-17", "13:00"))
    with app.app_context():
        for session in db.session.get(Course, course_id).sessions:
            record_attendance(
                principal(cw.coordinator), session.booking_id, AttendanceInput(learner_ids=ids)
            )
        services.complete_course(principal(cw.coordinator), course_id)
    return course_id


def test_hr_exports_the_evidence_as_csv_and_xlsx(app, client, cw, course, login, clock):
    _completed(app, cw, course, clock)
    _signed_in(client, login, cw.hr)
    overview = client.get("/courses/staff")
    assert overview.status_code == 200 and "Sanne Bakker" in overview.text
    csv = client.get("/courses/staff/export.csv")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    lines = csv.data.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Medewerker;Personeelsnummer;Organisatie;Cursus")
    assert any("Sanne Bakker" in line and ";6.0;" in line and "Afgerond" in line for line in lines)
    xlsx = client.get("/courses/staff/export.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Medewerker"
    assert {row[0] for row in values[1:]} == {"Sanne Bakker", "Joris Visser"}
    other = _signed_in(app.test_client(), login, cw.other_hr).get("/courses/staff/export.csv")
    assert "Sanne Bakker" not in other.data.decode("utf-8-sig")


def test_a_completed_course_has_a_pdf_certificate(app, client, cw, course, login, clock):
    course_id = _completed(app, cw, course, clock)
    with app.app_context():
        done = db.session.scalar(
            select(CourseEnrolment).where(CourseEnrolment.course_id == course_id).limit(1)
        )
    _signed_in(client, login, cw.hr)
    pdf = client.get(f"/courses/enrolments/{done.id}/certificate.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF")
    stranger = _signed_in(app.test_client(), login, cw.other_hr)
    assert stranger.get(f"/courses/enrolments/{done.id}/certificate.pdf").status_code == 404
