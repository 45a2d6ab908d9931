"""Course sessions in calendars: the hub's feed shows the session booking, the feeds of
the companies (and HR users) with staff on the course show the session with the course
title, the same UID and no learner names; HR is reminded the day before."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from tests.booking.helpers import NOW, principal
from tests.calendar.helpers import make_feed, read, uid
from tests.helpers import queued_mail

TITLE = "CNC-frezen basis"


def _enrolled_course(app, cw, course):
    """A course of two sessions with the company's three employees; the session
    booking ids in order."""
    from hubs.courses.enrolment import enrol
    from hubs.courses.models import CourseSession
    from hubs.extensions import db

    course_id = course()
    with app.app_context():
        enrol(principal(cw.hr), course_id, [e.id for e in cw.employees])
        return course_id, list(
            db.session.scalars(
                select(CourseSession.booking_id)
                .where(CourseSession.course_id == course_id)
                .order_by(CourseSession.starts_at)
            )
        )


def _no_names(cw, text):
    for person in [*cw.employees, *cw.other_employees]:
        assert person.family_name not in text and person.given_name not in text


def test_the_hub_feed_shows_the_sessions_as_bookings_with_the_course_title(app, client, cw, course):
    _course_id, sessions = _enrolled_course(app, cw, course)
    response = client.get(make_feed(app, cw.coordinator, "hub", cw.hub))
    events = read(response.data)
    assert set(events) == {uid(b) for b in sessions}
    assert all(TITLE in e.summary for e in events.values())
    _no_names(cw, response.get_data(as_text=True))


def test_the_company_feeds_show_the_sessions_its_staff_take(app, client, cw, course):
    course_id, sessions = _enrolled_course(app, cw, course)
    for url in (
        make_feed(app, cw.hr, "organisation", cw.company),
        make_feed(app, cw.hr, "mine"),
    ):
        response = client.get(url)
        assert response.status_code == 200
        events = read(response.data)
        assert list(events) == [uid(b) for b in sessions]  # the same UIDs as the hub feed
        first = events[uid(sessions[0])]
        assert first.summary == TITLE and first.local_start == "09:00"
        assert first.status == "CONFIRMED" and "MAKE Center Nieuwegein" in first.location
        assert f"/courses/{course_id}" in first.description
        _no_names(cw, response.get_data(as_text=True))
    # A company without staff on the course sees nothing of it.
    assert (
        read(client.get(make_feed(app, cw.other_hr, "organisation", cw.other_company)).data) == {}
    )


def test_the_company_feed_changes_when_its_staff_cancel(app, client, cw, course):
    from hubs.courses.enrolment import cancel_enrolment
    from hubs.courses.models import CourseEnrolment
    from hubs.extensions import db

    course_id, sessions = _enrolled_course(app, cw, course)
    url = make_feed(app, cw.hr, "organisation", cw.company)
    first = client.get(url)
    assert client.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    with app.app_context():
        ids = db.session.scalars(
            select(CourseEnrolment.id).where(CourseEnrolment.course_id == course_id)
        ).all()
        for enrolment_id in ids:
            cancel_enrolment(principal(cw.hr), enrolment_id)
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200 and read(again.data) == {}


def _remind(app):
    result = app.test_cli_runner().invoke(args=["notifications", "remind"])
    assert result.exit_code == 0, result.output
    return result.output


def test_hr_is_reminded_the_day_before_a_session_once_with_its_event(
    app, client, cw, course, clock
):
    _course_id, sessions = _enrolled_course(app, cw, course)
    clock.move_to(NOW + timedelta(days=7))  # Monday 9 March; the first session is tomorrow
    _remind(app)
    _remind(app)
    mails = [m for m in queued_mail(app, cw.hr.email) if m.kind == "reminder.course"]
    (mail,) = mails
    assert mail.subject == f"Morgen om 09:00: {TITLE}"
    assert "3 mensen" in mail.body_text and "dinsdag 10 maart 2026" in mail.body_text
    (attachment,) = mail.attachments
    (event,) = read(attachment["content"]).values()
    assert event.uid == uid(sessions[0]) and event.summary == TITLE
    _no_names(cw, attachment["content"] + mail.body_text)
    feed = read(client.get(make_feed(app, cw.hr, "mine")).data)
    assert feed[event.uid].sequence == event.sequence
