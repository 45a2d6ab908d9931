"""Course rules at the service level, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from hubs.booking.models import Booking, BookingStatus
from hubs.courses import enrolment as enrolling
from hubs.courses import services
from hubs.courses.models import Course, CourseEnrolment, CourseStatus, EnrolmentStatus
from hubs.errors import DomainError, InvalidInput, NotAllowed
from hubs.extensions import db
from hubs.mail.models import OutboxMessage
from hubs.mail.services import compose_pending
from tests.booking.helpers import at, principal
from tests.courses.conftest import course_input
from tests.learners.conftest import learn  # noqa: F401


def _statuses(course_id):
    rows = db.session.scalars(select(CourseEnrolment).where(CourseEnrolment.course_id == course_id))
    return {row.learner_id: row.status for row in rows}


def _mail_to(address):
    compose_pending()
    return db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.to_address == address)
    ).all()


def test_scheduling_books_every_session_for_the_room_and_machine(ctx, cw, course):
    course_id = course()
    course_row = db.session.get(Course, course_id)
    assert len(course_row.sessions) == 2
    bookings = db.session.scalars(select(Booking).order_by(Booking.start_at, Booking.id)).all()
    assert {b.resource_id for b in bookings} == {cw.room.id, cw.cnc.id}
    assert len(bookings) == 4
    assert all(b.status == BookingStatus.CONFIRMED for b in bookings)
    assert course_row.hours == 6


def test_course_sessions_are_not_given_the_colleges_own_programme(ctx, cw, course, learn):  # noqa: F811
    programme = learn.programme(cw.hub, "Techniek voor iedereen")
    learn.group(programme, cw.college, 24, date(2025, 8, 1), date(2026, 7, 31))
    course()
    assert set(db.session.scalars(select(Booking.programme_id))) == {None}


def test_scheduling_mails_nobody_a_confirmation_per_session(ctx, cw, course):
    course(days=["2026-03-10", "2026-03-17", "2026-03-24"])
    assert _mail_to(cw.coordinator.email) == []
    # An ordinary booking by the same coordinator is still confirmed by mail.
    from hubs.booking import services as booking

    booking.book(
        booking.BookingInput(
            resource_ids=[cw.cnc.id],
            start=at("2026-03-12", "09:00"),
            end=at("2026-03-12", "10:00"),
            group_name="Onderhoud",
            group_size=1,
            learner_category="other",
            organisation_id=cw.college.id,
        ),
        principal(cw.coordinator),
    )
    (mail,) = _mail_to(cw.coordinator.email)
    assert mail.kind == "booking.confirmed"


def test_a_course_cannot_double_book_a_machine(ctx, cw, course):
    from hubs.booking.errors import SlotTaken

    course()
    with pytest.raises(SlotTaken):
        course(title="Tweede cursus", days=["2026-03-17"])
    assert db.session.scalar(select(Course).where(Course.title == "Tweede cursus")) is None


def test_bad_course_input_names_the_fields_and_writes_nothing(ctx, cw, course):
    with pytest.raises(InvalidInput) as caught:
        course(title="", seats=0, enrol_deadline=date(2026, 3, 20), sessions=[])
    assert {"title", "seats", "sessions"} <= set(caught.value.fields)
    assert db.session.scalar(select(Course)) is None


def test_only_the_hubs_coordinator_schedules(ctx, cw):
    with pytest.raises(NotAllowed):
        services.schedule_course(principal(cw.hr), course_input(cw))


def test_hr_enrols_until_full_then_the_waiting_list(ctx, cw, course):
    course_id = course(seats=2)
    a, b, c = (e.id for e in cw.employees)
    result = enrolling.enrol(principal(cw.hr), course_id, [a, b, c])
    assert [e.learner_id for e in result.enrolled] == [a, b]
    assert [e.learner_id for e in result.waiting] == [c]
    assert _statuses(course_id) == {
        a: EnrolmentStatus.ENROLLED,
        b: EnrolmentStatus.ENROLLED,
        c: EnrolmentStatus.WAITING,
    }


def test_hr_cannot_enrol_another_companys_staff_or_pupils(ctx, cw, course, make):
    from hubs.learners.models import Learner, LearnerCategory

    course_id = course()
    with make._unit() as s:
        pupil = Learner(organisation_id=cw.school.id, reference="123", category=LearnerCategory.VO)
        s.add(pupil)
    result = enrolling.enrol(
        principal(cw.hr), course_id, [cw.other_employees[0].id, pupil.id, 999999]
    )
    assert not result.enrolled and not result.waiting
    assert [r.learner_id for r in result.refused] == [cw.other_employees[0].id, pupil.id, 999999]
    teacher = enrolling.enrol(principal(cw.teacher), course_id, [pupil.id])
    assert "niet open" in str(teacher.refused[0].reason)  # companies-only course


def test_the_same_employee_is_not_enrolled_twice(ctx, cw, course):
    course_id = course()
    a = cw.employees[0].id
    enrolling.enrol(principal(cw.hr), course_id, [a])
    again = enrolling.enrol(principal(cw.hr), course_id, [a])
    assert [r.learner_id for r in again.refused] == [a]


def test_after_the_deadline_hr_can_no_longer_enrol_or_cancel(ctx, cw, course, clock):
    course_id = course()
    first = enrolling.enrol(principal(cw.hr), course_id, [cw.employees[0].id]).enrolled[0]
    clock.move_to(at("2026-03-10", "08:00"))
    with pytest.raises(DomainError, match="inschrijftermijn"):
        enrolling.enrol(principal(cw.hr), course_id, [cw.employees[1].id])
    with pytest.raises(DomainError, match="inschrijftermijn"):
        enrolling.cancel_enrolment(principal(cw.hr), first.id)


def test_a_freed_seat_goes_to_the_first_waiting_and_hr_is_mailed(ctx, cw, course):
    course_id = course(seats=1)
    a, b, c = (e.id for e in cw.employees)
    seat = enrolling.enrol(principal(cw.hr), course_id, [a]).enrolled[0]
    enrolling.enrol(principal(cw.other_hr), course_id, [cw.other_employees[0].id])
    enrolling.enrol(principal(cw.hr), course_id, [b])
    promoted = enrolling.cancel_enrolment(principal(cw.hr), seat.id)
    assert promoted is not None and promoted.learner_id == cw.other_employees[0].id
    assert _statuses(course_id)[b] == EnrolmentStatus.WAITING
    mails = _mail_to(cw.other_hr.email)
    assert len(mails) == 1 and "Kees Mol" in mails[0].body_text
    assert not _mail_to(cw.hr.email)


def test_cancelling_a_waiting_place_promotes_nobody(ctx, cw, course):
    course_id = course(seats=1)
    a, b, c = (e.id for e in cw.employees)
    result = enrolling.enrol(principal(cw.hr), course_id, [a, b, c])
    assert enrolling.cancel_enrolment(principal(cw.hr), result.waiting[0].id) is None
    assert _statuses(course_id)[b] == EnrolmentStatus.CANCELLED
    assert _statuses(course_id)[c] == EnrolmentStatus.WAITING


def test_hr_substitutes_an_employee_keeping_the_seat(ctx, cw, course):
    course_id = course(seats=1)
    a, b, _ = (e.id for e in cw.employees)
    seat = enrolling.enrol(principal(cw.hr), course_id, [a]).enrolled[0]
    enrolling.substitute(principal(cw.hr), seat.id, b)
    assert _statuses(course_id) == {b: EnrolmentStatus.ENROLLED}
    with pytest.raises(InvalidInput):
        enrolling.substitute(principal(cw.hr), seat.id, cw.other_employees[0].id)
    with pytest.raises(NotAllowed):
        enrolling.cancel_enrolment(principal(cw.other_hr), seat.id)


def test_cancelling_a_course_frees_its_resources_and_mails_the_companies(ctx, cw, course):
    course_id = course()
    enrolling.enrol(principal(cw.hr), course_id, [cw.employees[0].id, cw.employees[1].id])
    enrolling.enrol(principal(cw.other_hr), course_id, [cw.other_employees[0].id])
    services.cancel_course(principal(cw.coordinator), course_id, "Te weinig deelnemers")
    assert db.session.get(Course, course_id).status == CourseStatus.CANCELLED
    statuses = db.session.scalars(select(Booking.status)).all()
    assert statuses and set(statuses) == {BookingStatus.CANCELLED}
    assert set(_statuses(course_id).values()) == {EnrolmentStatus.CANCELLED}
    hr_mail = _mail_to(cw.hr.email)
    assert len(hr_mail) == 1 and "Sanne Bakker" in hr_mail[0].body_text
    assert "Te weinig deelnemers" in hr_mail[0].body_text
    assert len(_mail_to(cw.other_hr.email)) == 1
    # the slot is free again: another course can take it
    course(title="Nieuwe datum")


def test_below_minimum_courses_near_their_decision_date(ctx, cw, course):
    from hubs.courses.queries import below_minimum
    from hubs.db import utcnow

    low = course(min_participants=3)
    course(title="Later", days=["2026-05-12"], decision_on=date(2026, 5, 1))
    enrolling.enrol(principal(cw.hr), low, [cw.employees[0].id])
    found = below_minimum([cw.hub.id], date(2026, 3, 2), utcnow())
    assert [(b.course.id, b.taken) for b in found] == [(low, 1)]


def _record(cw, course_id, present_per_session):
    from hubs.attendance.services import AttendanceInput, record_attendance

    sessions = db.session.get(Course, course_id).sessions
    for session, ids in zip(sessions, present_per_session, strict=True):
        record_attendance(
            principal(cw.coordinator), session.booking_id, AttendanceInput(learner_ids=ids)
        )


def test_completing_records_who_attended_every_session(ctx, cw, course, clock):
    from hubs.licences.models import Licence

    course_id = course()
    a, b, _ = (e.id for e in cw.employees)
    enrolling.enrol(principal(cw.hr), course_id, [a, b])
    clock.move_to(at("2026-03-10", "13:00"))
    with pytest.raises(DomainError):
        services.complete_course(principal(cw.coordinator), course_id)
    clock.move_to(at("2026-03-17", "13:00"))
    with pytest.raises(DomainError, match="presentielijst|register"):
        services.complete_course(principal(cw.coordinator), course_id)
    _record(cw, course_id, [[a, b], [a]])
    result = services.complete_course(principal(cw.coordinator), course_id)
    assert [e.learner_id for e in result.completed] == [a]
    assert [e.learner_id for e in result.not_completed] == [b]
    assert _statuses(course_id) == {a: EnrolmentStatus.COMPLETED, b: EnrolmentStatus.NOT_COMPLETED}
    # A real licence for who completed it, issued by the coordinator who closed the course.
    (licence,) = db.session.scalars(select(Licence)).all()
    assert (licence.learner_id, licence.kind, licence.source.value) == (a, "cnc", "course")
    assert (licence.issued_on, licence.expires_on) == (date(2026, 3, 17), date(2028, 3, 17))
    assert (licence.course_id, licence.issued_by_id) == (course_id, cw.coordinator.id)


def test_correcting_the_register_after_completion_recomputes_who_completed(ctx, cw, course, clock):
    from hubs.licences.models import Licence
    from hubs.licences.services import valid_licences

    course_id = course()
    a, b, _ = (e.id for e in cw.employees)
    enrolling.enrol(principal(cw.hr), course_id, [a, b])
    clock.move_to(at("2026-03-17", "13:00"))
    _record(cw, course_id, [[a, b], [a]])
    services.complete_course(principal(cw.coordinator), course_id)
    # The second session's register was wrong: b came, a did not.
    _record(cw, course_id, [[a, b], [b]])
    db.session.expire_all()
    assert _statuses(course_id) == {a: EnrolmentStatus.NOT_COMPLETED, b: EnrolmentStatus.COMPLETED}
    dates = [date(2026, 3, 18)]
    assert valid_licences([a, b], "cnc", dates) == {b}
    licences = {(lic.learner_id, lic.is_revoked) for lic in db.session.scalars(select(Licence))}
    assert licences == {(a, True), (b, False)}
    completed = {e.learner_id: e.completed_on for e in _enrolments(course_id)}
    assert completed == {a: None, b: date(2026, 3, 17)}
    # Recording the same register again changes nothing (no second licence).
    _record(cw, course_id, [[a, b], [b]])
    assert db.session.scalar(select(func.count()).select_from(Licence)) == 2


def _enrolments(course_id):
    return db.session.scalars(
        select(CourseEnrolment).where(CourseEnrolment.course_id == course_id)
    ).all()


def test_the_register_lists_the_enrolled_people_of_a_session(ctx, cw, course):
    from hubs.attendance.roster import rosters_for

    course_id = course()
    enrolling.enrol(principal(cw.hr), course_id, [e.id for e in cw.employees])
    session = db.session.get(Course, course_id).sessions[0]
    names = [entry.name for entry in rosters_for([session.booking_id])[session.booking_id]]
    assert names == ["Fatima Amrani", "Sanne Bakker", "Joris Visser"]


def test_the_licence_expires_after_its_validity():
    from types import SimpleNamespace

    course = SimpleNamespace(licence_valid_months=24)
    assert services.licence_expiry(course, date(2026, 3, 17)) == date(2028, 3, 17)
    course.licence_valid_months = 1
    assert services.licence_expiry(course, date(2026, 1, 31)) == date(2026, 2, 28)
    course.licence_valid_months = None
    assert services.licence_expiry(course, date(2026, 1, 31)) is None
