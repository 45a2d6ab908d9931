"""Courses in the company training report: employees trained and hours attended per
company, from the sessions' attendance registers."""

from __future__ import annotations

from datetime import timedelta

from tests.booking.helpers import NOW, principal

YEAR = {"from": "2025", "to": "2025"}


def _report(app, scope=None, **args):
    from hubs.reports.options import parse_options
    from hubs.reports.scope import EVERYTHING
    from hubs.reports.training import training_report

    with app.test_request_context():
        report = training_report(parse_options({**YEAR, **args}), scope or EVERYTHING)
    return {row.company: (row.employees_trained, row.course_hours) for row in report.rows}


def _held_course(app, cw, course, clock):
    """Three employees of one company and one of another enrolled; after both sessions
    the register says all four came to the first, two of the first company to the second."""
    from sqlalchemy import select

    from hubs.attendance.services import AttendanceInput, record_attendance
    from hubs.courses.enrolment import enrol
    from hubs.courses.models import CourseSession
    from hubs.extensions import db

    course_id = course()
    staff, other = cw.employees, cw.other_employees
    with app.app_context():
        enrol(principal(cw.hr), course_id, [e.id for e in staff])
        enrol(principal(cw.other_hr), course_id, [e.id for e in other])
        sessions = db.session.scalars(
            select(CourseSession.booking_id)
            .where(CourseSession.course_id == course_id)
            .order_by(CourseSession.starts_at)
        ).all()
    clock.move_to(NOW + timedelta(days=16))
    came = [[*staff, *other], staff[:2]]
    for booking_id, people in zip(sessions, came, strict=True):
        with app.app_context():
            record_attendance(
                principal(cw.coordinator),
                booking_id,
                AttendanceInput(learner_ids=[p.id for p in people]),
            )
    return course_id


def test_the_report_counts_employees_and_hours_from_the_sessions_registers(app, cw, course, clock):
    _held_course(app, cw, course, clock)
    # Sessions of 3 hours: 3 + 2 employee-sessions for Kromwijk, 1 for Lekdijk.
    assert _report(app) == {"Kromwijk Machinebouw": (3, 15.0), "Lekdijk Metaal": (1, 3.0)}


def test_the_report_keeps_to_its_years_and_hubs(app, cw, course, clock, make):
    from hubs.reports.scope import ReportScope

    _held_course(app, cw, course, clock)
    assert _report(app, **{"from": "2024", "to": "2024"}) == {}
    other = make.hub(name="Andere hub")
    assert _report(app, ReportScope(hub_ids=frozenset({other.id}))) == {}
    assert _report(app, ReportScope(hub_ids=frozenset({cw.hub.id}))) != {}


def test_a_course_nobody_came_to_counts_nothing(app, cw, course, clock):
    from hubs.courses.enrolment import enrol

    course_id = course()
    with app.app_context():
        enrol(principal(cw.hr), course_id, [e.id for e in cw.employees])
    assert _report(app) == {}


def _complete(app, cw, course_id):
    from hubs.courses.services import complete_course

    with app.app_context():
        return complete_course(principal(cw.coordinator), course_id)


def _licences(app, scope=None):
    from hubs.reports.options import parse_options
    from hubs.reports.scope import EVERYTHING
    from hubs.reports.training import training_report

    with app.test_request_context():
        report = training_report(parse_options(YEAR), scope or EVERYTHING)
    return {row.company: row.licences_issued for row in report.rows}


def test_licences_issued_on_completion_count_per_company(app, cw, course, clock, make):
    from hubs.reports.scope import ReportScope

    course_id = _held_course(app, cw, course, clock)
    assert _licences(app) == {"Kromwijk Machinebouw": 0, "Lekdijk Metaal": 0}
    _complete(app, cw, course_id)  # the two who came to both sessions get the licence
    assert _licences(app) == {"Kromwijk Machinebouw": 2, "Lekdijk Metaal": 0}
    other = make.hub(name="Andere hub")
    assert _licences(app, ReportScope(hub_ids=frozenset({other.id}))) == {}
    assert _licences(app, ReportScope(hub_ids=frozenset({cw.hub.id})))["Kromwijk Machinebouw"] == 2


def test_hr_sees_the_real_licences_of_their_staff(app, client, login, cw, course, clock):
    from sqlalchemy import select

    from hubs.db import write_transaction
    from hubs.extensions import db
    from hubs.licences.models import Licence
    from hubs.licences.services import revoke_licence

    course_id = _held_course(app, cw, course, clock)
    _complete(app, cw, course_id)
    login(client, cw.hr)
    html = client.get("/courses/staff").get_data(as_text=True)
    assert html.count("CNC, geldig tot vr 17 mrt 2028") == 2
    csv_text = client.get("/courses/staff/export.csv").get_data(as_text=True)
    assert csv_text.count("CNC, geldig tot vr 17 mrt 2028") == 2
    with app.app_context():
        first = db.session.scalars(select(Licence).order_by(Licence.id)).first()
        with write_transaction():
            revoke_licence(first.id, revoked_by_id=cw.coordinator.id)
    html = client.get("/courses/staff").get_data(as_text=True)
    assert html.count("CNC, geldig tot vr 17 mrt 2028") == 1 and "CNC (ingetrokken)" in html
