"""Weekly series: one rule, and a booking per date.

A *series* stores what the booker asked for — its resources, the first date, the local
start and end time, the time zone, the weekdays, every how many weeks and until when —
and the rule (an RFC 5545 RRULE) built from it. Each date of the rule is an *occurrence*:
booked (an ordinary booking bundle, so every rule and the database's no-overlap
guarantee apply to it), skipped (a closure or a school holiday) or left out because it
was taken when the series was booked.
"""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hubs.db import UTCDateTime, utcnow
from hubs.extensions import Model
from hubs.learners.models import LearnerCategory, Level
from hubs.locations.models import Hub
from hubs.models_base import created_at_column, str_enum
from hubs.organisations.models import Organisation

if TYPE_CHECKING:
    from hubs.booking.models import Booking

# The weekday codes of the API ("mon" ... "sun"), Monday first like date.weekday().
WEEKDAY_CODES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class OccurrenceState(StrEnum):
    BOOKED = "booked"  # a booking exists (its status says whether it still stands)
    SKIPPED = "skipped"  # a hub closure or a school holiday
    CONFLICT = "conflict"  # taken (or not bookable) when the series was booked: left out

    @property
    def label(self) -> str:
        return str(
            {
                "booked": _l("booked date"),
                "skipped": _l("skipped"),
                "conflict": _l("not booked"),
            }[self.value]
        )


class BookingSeries(Model):
    """What a booker asked for: "every Tuesday 09:00–11:00 from 1 September to 18 December".

    ``start_time`` and ``end_time`` are wall-clock times in ``timezone``: each occurrence
    is computed per date in local time and only then turned into an instant, so a lesson
    stays at 09:00 through both clock changes. ``rule`` is the RRULE of the dates.
    """

    __tablename__ = "booking_series"
    __table_args__ = (
        CheckConstraint("interval_weeks BETWEEN 1 AND 52", name="interval_range"),
        CheckConstraint("end_time > start_time", name="ends_after_start"),
        CheckConstraint("until >= first_day", name="until_after_first_day"),
        CheckConstraint("group_size >= 1", name="group_size_positive"),
        Index("ix_booking_series_hub_first_day", "hub_id", "first_day"),
        Index("ix_booking_series_organisation_first_day", "organisation_id", "first_day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    hub_id: Mapped[int] = mapped_column(ForeignKey("hubs.id", ondelete="RESTRICT"))
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT")
    )
    booked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The bundle every occurrence books, in the order asked (the first is the lead row).
    resource_ids: Mapped[list[int]] = mapped_column(JSON)
    rule: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64))
    first_day: Mapped[date]
    until: Mapped[date]
    start_time: Mapped[time]
    end_time: Mapped[time]
    interval_weeks: Mapped[int] = mapped_column(default=1)
    weekdays: Mapped[str] = mapped_column(String(27))  # "tue,thu"
    group_name: Mapped[str] = mapped_column(String(60))
    group_size: Mapped[int]
    learner_category: Mapped[LearnerCategory] = mapped_column(
        str_enum(LearnerCategory, "learner_category")
    )
    level: Mapped[Level | None] = mapped_column(str_enum(Level, "learner_level"))
    purpose: Mapped[str] = mapped_column(String(200), default="")
    # Passed to every occurrence's booking (see Booking.programme_id).
    programme_id: Mapped[int | None] = mapped_column(
        ForeignKey("programmes.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    hub: Mapped[Hub] = relationship()
    organisation: Mapped[Organisation] = relationship()
    occurrences: Mapped[list[SeriesOccurrence]] = relationship(
        back_populates="series", order_by="SeriesOccurrence.on_date", viewonly=True
    )

    @property
    def weekday_numbers(self) -> list[int]:
        return [WEEKDAY_CODES.index(code) for code in self.weekdays.split(",") if code]

    def __repr__(self) -> str:
        return f"<BookingSeries {self.id} {self.rule}>"


class SeriesOccurrence(Model):
    """One date of a series' rule and what became of it.

    ``on_date`` is the rule's local date (like an iCalendar RECURRENCE-ID): it stays when
    the booking is moved to another day. ``booking_id`` is the lead row of the date's
    bundle; ``reason`` says why a date was skipped or left out.
    """

    __tablename__ = "booking_series_occurrences"
    __table_args__ = (
        UniqueConstraint("series_id", "on_date"),
        UniqueConstraint("booking_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("booking_series.id", ondelete="CASCADE"))
    on_date: Mapped[date]
    state: Mapped[OccurrenceState] = mapped_column(str_enum(OccurrenceState, "occurrence_state"))
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("bookings.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(300), default="")

    series: Mapped[BookingSeries] = relationship(back_populates="occurrences")
    booking: Mapped[Booking | None] = relationship()

    def __repr__(self) -> str:
        return f"<SeriesOccurrence {self.series_id} {self.on_date} {self.state}>"


def describe(series: BookingSeries) -> dict[str, Any]:
    """The series' request as plain values (for the audit trail)."""
    return {
        "series_id": series.id,
        "rule": series.rule,
        "start_time": series.start_time.strftime("%H:%M"),
        "end_time": series.end_time.strftime("%H:%M"),
    }
