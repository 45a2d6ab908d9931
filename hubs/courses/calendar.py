"""Course sessions in calendars: feeds of the companies whose staff take the course, and
a reminder the day before to whoever enrolled them, each with the session's ``.ics``.

A session is an ordinary booking in the giving organisation's name, so the hub's,
resource's and giver's feeds already show it (``hubs.calendar.booking_feed``). Here it
is added where the booking source does not reach: the organisation feed of a company
with staff seated on the course, and the "mine" feed of the HR user who enrolled them.
The event has the booking's UID (one occurrence, one UID in every calendar), the course
title as SUMMARY and never a learner's name.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Select, and_, func, or_, select

from hubs.access import Principal, principal_for
from hubs.accounts.models import User
from hubs.booking.clock import zone
from hubs.booking.models import ACTIVE_STATUSES, Booking, BookingStatus
from hubs.calendar import ics
from hubs.calendar.events import booking_uid, ics_attachment, link_builder, location, status_of
from hubs.calendar.feeds import FeedSource, Window
from hubs.calendar.models import CalendarFeed, FeedKind
from hubs.calendar.reminders import Due, ReminderSource
from hubs.courses.models import SEATED, Course, CourseEnrolment, CourseSession
from hubs.extensions import db
from hubs.locations.models import Hub
from hubs.mail.services import queue_mail
from hubs.organisations.models import Organisation

FILENAME = "course-session-{id}.ics"


def _seated(*conditions: ColumnElement[bool]) -> Any:
    """EXISTS: a seated enrolment on the session's course matching ``conditions``."""
    return (
        select(CourseEnrolment.id)
        .where(
            CourseEnrolment.course_id == CourseSession.course_id,
            CourseEnrolment.status.in_(SEATED),
            *conditions,
        )
        .exists()
    )


def _sessions(feed: CalendarFeed, window: Window) -> Select[Any] | None:
    """The session ids the feed shows beyond its bookings (None: nothing to add)."""
    if feed.kind == FeedKind.ORGANISATION:
        extra = and_(
            Course.organisation_id != feed.organisation_id,
            _seated(CourseEnrolment.organisation_id == feed.organisation_id),
        )
    elif feed.kind == FeedKind.MINE:
        extra = and_(
            or_(Booking.booked_by_id.is_(None), Booking.booked_by_id != feed.user_id),
            _seated(CourseEnrolment.enrolled_by_id == feed.user_id),
        )
    else:
        return None  # hub and resource feeds show the session's booking
    return (
        select(CourseSession.id)
        .join(Course, Course.id == CourseSession.course_id)
        .join(Booking, Booking.id == CourseSession.booking_id)
        .where(
            Booking.start_at >= window.since,
            Booking.start_at < window.until,
            or_(
                Booking.status.in_(ACTIVE_STATUSES),
                Booking.updated_at >= window.cancelled_since,
            ),
            extra,
        )
    )


def session_event(
    session: CourseSession,
    lead: Booking,
    course: Course,
    hub: Hub,
    giver: str,
    link: Callable[[Any], str] | None,
) -> ics.CalendarEvent:
    """One session as an event: the course title, where, who gives it; no names."""
    status = status_of(lead)
    summary = course.title
    if status == ics.CANCELLED:
        summary = _("Cancelled: %(what)s", what=summary)
    lines = [
        _("Course: %(title)s", title=course.title),
        _("Given by %(organisation)s at %(hub)s", organisation=giver, hub=hub.name),
    ]
    url = link(course.id) if link is not None else ""
    if url:
        lines.append(_("See the course: %(url)s", url=url))
    return ics.CalendarEvent(
        uid=booking_uid(lead.bundle_id or lead.id),
        sequence=max(lead.version - 1, 0),
        start=lead.start_at,
        end=lead.end_at,
        tzid=hub.timezone,
        summary=summary,
        stamp=lead.updated_at,
        created=lead.created_at,
        status=status,
        description="\n".join(lines),
        location=location(hub),
        url=url,
    )


def _rows(session_ids: Any) -> list[Any]:
    return list(
        db.session.execute(
            select(CourseSession, Booking, Course, Hub, Organisation.name)
            .join(Booking, Booking.id == CourseSession.booking_id)
            .join(Course, Course.id == CourseSession.course_id)
            .join(Hub, Hub.id == Course.hub_id)
            .join(Organisation, Organisation.id == Course.organisation_id)
            .where(CourseSession.id.in_(session_ids))
            .order_by(Booking.start_at, CourseSession.id)
        ).all()
    )


def feed_events(feed: CalendarFeed, p: Principal, window: Window) -> list[ics.CalendarEvent]:
    """The feed's course sessions (beyond its bookings), in the current locale."""
    ids = _sessions(feed, window)
    if ids is None:
        return []
    link = link_builder("courses.detail", "course_id")
    return [
        session_event(session, lead, course, hub, giver, link)
        for session, lead, course, hub, giver in _rows(ids.scalar_subquery())
    ]


def fingerprint(feed: CalendarFeed, p: Principal, window: Window) -> object:
    """Changes when a session of the feed (its booking or its course) does."""
    ids = _sessions(feed, window)
    if ids is None:
        return None
    return tuple(
        str(value)
        for value in db.session.execute(
            select(
                func.count(),
                func.max(Booking.updated_at),
                func.sum(Booking.version),
                func.max(Course.updated_at),
            )
            .select_from(CourseSession)
            .join(Booking, Booking.id == CourseSession.booking_id)
            .join(Course, Course.id == CourseSession.course_id)
            .where(CourseSession.id.in_(ids.scalar_subquery()))
        ).one()
    )


def session_calendar(session_id: int, locale: str) -> str:
    """The ``.ics`` of one session (a mail attachment)."""
    ((session, lead, course, hub, giver),) = _rows([session_id])
    link = link_builder("courses.detail", "course_id")
    with force_locale(locale):
        return ics.render([session_event(session, lead, course, hub, giver, link)])


# --- reminders --------------------------------------------------------------------------


def reminders_due(start: datetime, end: datetime) -> list[Due]:
    """Confirmed sessions starting in ``[start, end)``: one reminder for each active user
    who enrolled someone seated on the course (not the one who booked the session: the
    booking reminder reaches them)."""
    rows = db.session.execute(
        select(CourseSession.id, Booking.start_at, CourseEnrolment.enrolled_by_id)
        .distinct()
        .join(Booking, Booking.id == CourseSession.booking_id)
        .join(CourseEnrolment, CourseEnrolment.course_id == CourseSession.course_id)
        .join(User, User.id == CourseEnrolment.enrolled_by_id)
        .where(
            Booking.status == BookingStatus.CONFIRMED,
            Booking.start_at >= start,
            Booking.start_at < end,
            CourseEnrolment.status.in_(SEATED),
            User.active.is_(True),
            or_(Booking.booked_by_id.is_(None), Booking.booked_by_id != User.id),
        )
        .order_by(Booking.start_at, CourseSession.id, CourseEnrolment.enrolled_by_id)
    ).all()
    return [Due("course_session", sid, at, uid) for sid, at, uid in rows if uid]


def send_reminder(due: Due) -> bool:
    """Queue the reminder of ``due`` (False: moved, cancelled, nobody seated any more)."""
    session = db.session.get(CourseSession, due.item_id)
    user = db.session.get(User, due.user_id)
    if session is None or user is None or not user.active:
        return False
    lead = db.session.get(Booking, session.booking_id)
    if lead is None or lead.status != BookingStatus.CONFIRMED or lead.start_at != due.starts_at:
        return False
    seated = db.session.scalar(
        select(func.count()).where(
            CourseEnrolment.course_id == session.course_id,
            CourseEnrolment.status.in_(SEATED),
            CourseEnrolment.enrolled_by_id == user.id,
        )
    )
    if not seated or not principal_for(user).is_booker:
        return False
    course = session.course
    when = lead.start_at.astimezone(zone(course.hub.timezone)).strftime("%H:%M")
    locale = user.locale or "nl"
    content = session_calendar(session.id, locale)
    message = queue_mail(
        to=user,
        kind="reminder.course",
        template="courses/reminder",
        subject=_l("Tomorrow at %(time)s: %(what)s", time=when, what=course.title),
        attachments=[ics_attachment(content, FILENAME.format(id=session.id))],
        course=course,
        session=session,
        seated=seated,
    )
    return message is not None


FEED = FeedSource("course_session", feed_events, fingerprint)
REMINDER = ReminderSource("course_session", reminders_due, send_reminder)
