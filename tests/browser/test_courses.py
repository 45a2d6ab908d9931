"""Courses end to end in Chromium, axe-checked in Dutch and English.

- HR finds a course with one seat left and enrols two employees: one gets the seat, the
  other goes on the waiting list.
- A coordinator records who came to a course session in the register and completes the
  course; HR then sees the course completed and the licence it grants.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select

from hubs.booking.clock import day_bounds, monday_of, zone
from hubs.courses.models import CourseEnrolment, EnrolmentStatus
from hubs.db import utcnow
from hubs.extensions import db
from tests.booking.helpers import principal
from tests.browser.test_accessibility import Auditor, switch_language
from tests.courses.conftest import build_course_world, course_input

pytestmark = pytest.mark.browser


def _audit(page: Page, auditor: Auditor, what: str) -> None:
    url = page.url
    for lang in ("en", "nl"):
        switch_language(page, lang)
        if page.url != url:
            page.goto(url)
        auditor.check(page, what, lang)


def test_hr_enrols_two_employees_on_the_last_seat(app: Flask, make, new_context, sign_in):
    from hubs.courses.enrolment import enrol
    from hubs.courses.services import SessionInput, schedule_course

    cw = build_course_world(make)
    tz = zone(None)
    today = utcnow().astimezone(tz).date()
    tuesday = monday_of(today) + timedelta(days=8)
    start = day_bounds(tuesday, tz)[0] + timedelta(hours=9)
    with app.app_context():
        data = course_input(
            cw,
            seats=2,
            decision_on=None,
            enrol_deadline=tuesday - timedelta(days=1),
            sessions=[SessionInput(start, start + timedelta(hours=3), [cw.room.id, cw.cnc.id])],
        )
        course = schedule_course(principal(cw.coordinator), data)
        enrol(principal(cw.other_hr), course.id, [cw.other_employees[0].id])
    page = new_context().new_page()
    auditor = Auditor()
    sign_in(page, cw.hr.email)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Cursussen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cursussen")
    expect(page.locator(".course-list")).to_contain_text("nog 1 plaats vrij")
    _audit(page, auditor, "course catalogue")
    page.get_by_role("link", name="CNC-frezen basis").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("CNC-frezen basis")
    _audit(page, auditor, "course")
    page.get_by_label("Sanne Bakker").check()
    page.get_by_label("Joris Visser").check()
    page.get_by_role("button", name="Inschrijven").click()
    expect(page.locator("body")).to_contain_text("1 persoon ingeschreven.")
    expect(page.locator("body")).to_contain_text("Op de wachtlijst: Joris Visser")
    rows = page.locator("table tbody tr")
    expect(rows.filter(has_text="Sanne Bakker")).to_contain_text("Ingeschreven")
    expect(rows.filter(has_text="Joris Visser")).to_contain_text("Wachtlijst")
    expect(rows.filter(has_text="Kees Mol")).to_have_count(0)  # another company's
    _audit(page, auditor, "course after enrolling")
    with app.app_context():
        statuses = {
            e.learner_id: e.status
            for e in db.session.scalars(
                select(CourseEnrolment).where(CourseEnrolment.course_id == course.id)
            )
        }
    assert statuses[cw.employees[0].id] == EnrolmentStatus.ENROLLED
    assert statuses[cw.employees[1].id] == EnrolmentStatus.WAITING
    assert not auditor.report(), auditor.report()


def _held_today(app: Flask, make, cw) -> int:
    """A course whose one session is today (inserted directly: it has begun), with two
    employees enrolled."""
    from hubs.courses.models import Course, CourseSession
    from tests.booking.helpers import raw_booking

    tz = zone(None)
    start = day_bounds(utcnow().astimezone(tz).date(), tz)[0]
    end = start + timedelta(hours=1)
    booking_id = raw_booking(
        app, cw.cnc, cw.college, start, end, group_name="CNC-frezen basis", group_size=4
    )
    with app.app_context(), make._unit() as s:
        course = Course(
            hub_id=cw.hub.id,
            organisation_id=cw.college.id,
            title="CNC-frezen basis",
            seats=4,
            enrol_deadline=start.date() - timedelta(days=3),
            grants_licence_kind="CNC",
            licence_valid_months=24,
        )
        s.add(course)
        s.flush()
        s.add(
            CourseSession(course_id=course.id, booking_id=booking_id, starts_at=start, ends_at=end)
        )
        for person in cw.employees[:2]:
            s.add(
                CourseEnrolment(
                    course_id=course.id,
                    learner_id=person.id,
                    organisation_id=person.organisation_id,
                    status=EnrolmentStatus.ENROLLED,
                    enrolled_by_id=cw.hr.id,
                )
            )
        s.flush()
        return course.id


def test_a_coordinator_records_attendance_and_the_licence_appears(
    app: Flask, make, new_context, sign_in
):
    cw = build_course_world(make)
    course_id = _held_today(app, make, cw)
    page = new_context().new_page()
    auditor = Auditor()
    sign_in(page, cw.coordinator.email)
    page.goto(f"/courses/{course_id}")
    page.get_by_role("link", name="Presentielijst").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Wie is er gekomen?")
    _audit(page, auditor, "register of a course session")
    page.get_by_label("Sanne Bakker").check()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator("body")).to_contain_text("1 persoon aanwezig")
    page.goto(f"/courses/{course_id}")
    page.get_by_role("button", name="Cursus afronden (volgens de presentielijst)").click()
    expect(page.locator("body")).to_contain_text("Cursus afgerond: 1 afgerond, 1 niet afgerond.")
    rows = page.locator("table tbody tr")
    expect(rows.filter(has_text="Sanne Bakker")).to_contain_text("Afgerond")
    expect(rows.filter(has_text="Joris Visser")).to_contain_text("Niet afgerond")
    _audit(page, auditor, "completed course")

    hr = new_context().new_page()
    sign_in(hr, cw.hr.email)
    hr.goto("/courses/staff")
    row = hr.locator("table tbody tr").filter(has_text="Sanne Bakker")
    expect(row).to_contain_text("Afgerond")
    expect(row.locator("td").nth(5)).to_contain_text("CNC, geldig tot")
    expect(row.get_by_role("link", name="Certificaat (PDF)")).to_be_visible()
    _audit(hr, auditor, "HR's staff on courses")
    assert not auditor.report(), auditor.report()
