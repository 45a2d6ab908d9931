"""Attendance of a booked visit: a number present, or the learners present.

A record belongs to the bundle's first row (``bookings.id == bundle_id``); a room with its
machines is one visit. ``present`` is always the number of people who came; for a visit
with a list of names (a course session) it equals the number of ``AttendanceLearner``
rows. A recorded visit with nobody present is a no-show.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hubs.db import UTCDateTime, utcnow
from hubs.extensions import Model
from hubs.models_base import created_at_column


class Attendance(Model):
    """Who came to one booked visit (a bundle), as recorded by a coordinator.

    ``listed`` says the count comes from a list of learners (``learners``). The person
    who recorded it is kept by user id only (erasing them leaves the record meaningful).
    """

    __tablename__ = "attendance"
    __table_args__ = (CheckConstraint("present >= 0", name="present_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(
        ForeignKey("bookings.id", ondelete="CASCADE"), unique=True
    )
    present: Mapped[int]
    listed: Mapped[bool] = mapped_column(default=False)
    recorded_by_id: Mapped[int | None]
    recorded_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    learners: Mapped[list[AttendanceLearner]] = relationship(
        cascade="all, delete-orphan", order_by="AttendanceLearner.learner_id"
    )

    @property
    def is_no_show(self) -> bool:
        return self.present == 0

    @property
    def learner_ids(self) -> list[int]:
        return [row.learner_id for row in self.learners]


class AttendanceLearner(Model):
    """One learner who was present at a visit with a list of names."""

    __tablename__ = "attendance_learners"
    __table_args__ = (Index("ix_attendance_learners_learner", "learner_id"),)

    attendance_id: Mapped[int] = mapped_column(
        ForeignKey("attendance.id", ondelete="CASCADE"), primary_key=True
    )
    learner_id: Mapped[int] = mapped_column(
        ForeignKey("learners.id", ondelete="RESTRICT"), primary_key=True
    )
