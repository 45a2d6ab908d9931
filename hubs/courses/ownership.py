"""A course owns its sessions' bookings (:mod:`hubs.booking.owners`).

Cancelling one session from the booking pages or the API is refused with a message that
sends the coordinator to the course: the enrolled people signed up for every date, so a
session is dropped by cancelling the course (which mails the companies), not silently.
Moving a session from the booking pages is allowed (it re-checks every booking rule);
the course's copy of the times follows.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from hubs.booking.models import Booking
from hubs.booking.owners import Owner
from hubs.courses.models import Course, CourseSession
from hubs.extensions import db


def _session_of(lead: Booking) -> CourseSession | None:
    return db.session.scalar(select(CourseSession).where(CourseSession.booking_id == lead.id))


def refusal(lead: Booking) -> Any | None:
    """Why a course session's booking is not cancelled on its own."""
    title = db.session.scalar(
        select(Course.title)
        .join(CourseSession, CourseSession.course_id == Course.id)
        .where(CourseSession.booking_id == lead.id)
    )
    if title is None:
        return None
    return _l(
        "This booking is a session of the course “%(title)s”. Cancel the course on its page, "
        "or move this session with “Move or change”.",
        title=title,
    )


def moved(lead: Booking) -> None:
    """Keep the session's copy of the times in step with its booking."""
    session = _session_of(lead)
    if session is not None:
        session.starts_at = lead.start_at
        session.ends_at = lead.end_at
        db.session.flush()


OWNER = Owner("courses", refusal=refusal, moved=moved)
