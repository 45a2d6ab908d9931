"""A course session's booking belongs to the course: cancelling it alone (booking page,
API) is refused with a message sending the coordinator to the course; moving it keeps the
course's copy of the times; cancelling the course still cancels its sessions."""

from __future__ import annotations

from sqlalchemy import select

from hubs.booking.models import Booking, BookingStatus
from hubs.courses.models import Course, CourseSession
from hubs.extensions import db
from tests.booking.helpers import at


def _first_session(app, course_id):
    with app.app_context():
        session = db.session.get(Course, course_id).sessions[0]
        return session.booking_id


def _status(app, booking_id):
    with app.app_context():
        return db.session.get(Booking, booking_id).status


def test_the_api_refuses_to_cancel_a_course_session_alone(app, client, cw, course, api_headers):
    course_id = course()
    booking_id = _first_session(app, course_id)
    answer = client.post(
        f"/api/v1/bookings/{booking_id}/cancel",
        json={"reason": "zaal nodig"},
        headers=api_headers(cw.coordinator),
    )
    assert answer.status_code == 409, answer.json
    assert answer.json["code"] == "managed_elsewhere"
    assert "CNC-frezen basis" in answer.json["message"]
    assert _status(app, booking_id) == BookingStatus.CONFIRMED


def test_the_booking_page_sends_the_coordinator_to_the_course(app, client, cw, course, login):
    course_id = course()
    booking_id = _first_session(app, course_id)
    login(client, cw.coordinator)
    page = client.get(f"/bookings/{booking_id}")
    assert page.status_code == 200
    assert "bijeenkomst van de cursus" in page.text
    assert f"/bookings/{booking_id}/cancel" not in page.text
    # A hand-made POST is refused with the same message, nothing changes.
    answer = client.post_form(
        f"/bookings/{booking_id}/cancel", {"reason": ""}, follow_redirects=True
    )
    assert "bijeenkomst van de cursus" in answer.text
    assert _status(app, booking_id) == BookingStatus.CONFIRMED


def test_moving_a_session_moves_the_course_session(app, cw, course):
    from hubs.booking import services as booking
    from tests.booking.helpers import principal

    course_id = course()
    booking_id = _first_session(app, course_id)
    with app.app_context():
        booking.change_booking(
            booking_id,
            booking.BookingChange(start=at("2026-03-11", "13:00"), end=at("2026-03-11", "16:00")),
            principal(cw.coordinator),
        )
    with app.app_context():
        session = db.session.scalar(
            select(CourseSession).where(CourseSession.booking_id == booking_id)
        )
        assert (session.starts_at, session.ends_at) == (
            at("2026-03-11", "13:00"),
            at("2026-03-11", "16:00"),
        )


def test_cancelling_the_course_still_cancels_its_sessions(app, cw, course):
    from hubs.courses.services import cancel_course
    from tests.booking.helpers import principal

    course_id = course()
    booking_id = _first_session(app, course_id)
    with app.app_context():
        cancel_course(principal(cw.coordinator), course_id, "te weinig aanmeldingen")
    assert _status(app, booking_id) == BookingStatus.CANCELLED
