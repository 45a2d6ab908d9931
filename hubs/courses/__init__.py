"""Courses for company staff (and pupils): sessions that reserve rooms and machines through
the booking core, seats that are never oversold, a waiting list with automatic promotion,
attendance per session through the register, completion with a licence and a certificate.
"""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from hubs.mail import kinds

kinds.register("course", _l("Courses: enrolments, waiting list and cancellations"))


def init_app(app: Flask) -> None:
    from hubs.attendance.hooks import register_recorded
    from hubs.courses import roster  # noqa: F401  (registers the sessions' lists of names)
    from hubs.courses.services import recompute_completion

    register_recorded("courses", recompute_completion)

    from hubs.booking.owners import register_owner
    from hubs.courses.ownership import OWNER

    register_owner(OWNER)

    from hubs.booking.notify import register_router
    from hubs.courses.notify import quiet_while_scheduling

    register_router(quiet_while_scheduling)
    from hubs.courses.training import course_figures
    from hubs.reports.training import register_course_source

    register_course_source(course_figures)

    from hubs.calendar import feeds, reminders
    from hubs.courses import calendar

    feeds.register_source(calendar.FEED)
    reminders.register_source(calendar.REMINDER)
