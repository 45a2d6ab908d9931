"""Courses, their sessions (each a booking) and enrolments of named learners."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hubs.db import UTCDateTime, utcnow
from hubs.extensions import Model
from hubs.learners.models import Learner
from hubs.locations.models import Hub
from hubs.models_base import created_at_column, str_enum
from hubs.organisations.models import SCHOOL_KINDS, Organisation, OrganisationKind


class Audience(StrEnum):
    """Who may enrol: staff of member companies, pupils of member schools, or both."""

    COMPANIES = "companies"
    SCHOOLS = "schools"
    BOTH = "both"

    @property
    def label(self) -> str:
        return str(
            {
                "companies": _l("Member companies"),
                "schools": _l("Schools"),
                "both": _l("Member companies and schools"),
            }[self.value]
        )

    def admits(self, kind: OrganisationKind) -> bool:
        if kind == OrganisationKind.COMPANY:
            return self != Audience.SCHOOLS
        if kind in SCHOOL_KINDS:
            return self != Audience.COMPANIES
        return False


class CourseStatus(StrEnum):
    PLANNED = "planned"
    CANCELLED = "cancelled"
    COMPLETED = "completed"

    @property
    def label(self) -> str:
        return str(
            {
                "planned": _l("Planned"),
                "cancelled": _l("Cancelled"),
                "completed": _l("Completed"),
            }[self.value]
        )


class EnrolmentStatus(StrEnum):
    ENROLLED = "enrolled"
    WAITING = "waiting"
    CANCELLED = "cancelled"
    COMPLETED = "completed"
    NOT_COMPLETED = "not_completed"

    @property
    def label(self) -> str:
        return str(
            {
                "enrolled": _l("Enrolled"),
                "waiting": _l("Waiting list"),
                "cancelled": _l("Cancelled"),
                "completed": _l("Completed"),
                "not_completed": _l("Not completed"),
            }[self.value]
        )


# Statuses that hold (or wait for) a place: one of these per learner and course at most.
ACTIVE = (EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITING, EnrolmentStatus.COMPLETED)
SEATED = (EnrolmentStatus.ENROLLED, EnrolmentStatus.COMPLETED)
ACTIVE_SQL = "status IN ('enrolled', 'waiting', 'completed')"


class Course(Model):
    """A course at a hub: sessions, seats, a minimum with a decision date, a deadline for
    enrolling, a price per seat, the machine licence it grants and who may enrol.

    ``organisation_id`` is the member organisation that gives the course: its sessions are
    booked in its name. Enrolments lock this row (``SELECT … FOR UPDATE``) before counting
    seats, so concurrent enrolments never oversell.
    """

    __tablename__ = "courses"
    __table_args__ = (
        CheckConstraint("seats >= 1", name="seats_positive"),
        CheckConstraint("min_participants >= 0", name="min_not_negative"),
        CheckConstraint("price_cents >= 0", name="price_not_negative"),
        CheckConstraint(
            "licence_valid_months IS NULL OR licence_valid_months >= 1", name="validity_positive"
        ),
        Index("ix_courses_hub_status", "hub_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    hub_id: Mapped[int] = mapped_column(ForeignKey("hubs.id", ondelete="RESTRICT"))
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT")
    )
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    level: Mapped[str] = mapped_column(String(40), default="")
    seats: Mapped[int]
    min_participants: Mapped[int] = mapped_column(default=0)
    decision_on: Mapped[date | None]
    enrol_deadline: Mapped[date]
    price_cents: Mapped[int] = mapped_column(default=0)
    grants_licence_kind: Mapped[str | None] = mapped_column(String(40))
    licence_valid_months: Mapped[int | None]
    audience: Mapped[Audience] = mapped_column(
        str_enum(Audience, "course_audience"), default=Audience.COMPANIES
    )
    status: Mapped[CourseStatus] = mapped_column(
        str_enum(CourseStatus, "course_status"), default=CourseStatus.PLANNED
    )
    created_by_id: Mapped[int | None]
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    hub: Mapped[Hub] = relationship()
    organisation: Mapped[Organisation] = relationship()
    sessions: Mapped[list[CourseSession]] = relationship(
        back_populates="course", order_by="CourseSession.starts_at", cascade="all, delete-orphan"
    )

    @property
    def is_open(self) -> bool:
        return self.status == CourseStatus.PLANNED

    def is_enrollable_on(self, today: date) -> bool:
        return self.is_open and today <= self.enrol_deadline

    @property
    def first_day(self) -> datetime | None:
        return self.sessions[0].starts_at if self.sessions else None

    @property
    def hours(self) -> float:
        return round(sum(s.hours for s in self.sessions), 2)

    def __repr__(self) -> str:
        return f"<Course {self.id} {self.title}>"


class CourseSession(Model):
    """One date of a course: its booking (the bundle's first row) reserves the room and
    machines; the times are copied for ordering and listing."""

    __tablename__ = "course_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    booking_id: Mapped[int] = mapped_column(
        ForeignKey("bookings.id", ondelete="RESTRICT"), unique=True
    )
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())

    course: Mapped[Course] = relationship(back_populates="sessions")

    @property
    def hours(self) -> float:
        return (self.ends_at - self.starts_at).total_seconds() / 3600


class CourseEnrolment(Model):
    """A named learner on a course (a seat) or on its waiting list (in order of arrival:
    ``queued_at``, then id). HR of the learner's organisation enrols, cancels and
    substitutes; completion records the result here and issues the licence."""

    __tablename__ = "course_enrolments"
    __table_args__ = (
        Index("ix_course_enrolments_course_status", "course_id", "status"),
        # One place (or waiting place) per learner and course.
        Index(
            "uq_course_enrolments_active",
            "course_id",
            "learner_id",
            unique=True,
            sqlite_where=text(ACTIVE_SQL),
            postgresql_where=text(ACTIVE_SQL),
        ),
        Index("ix_course_enrolments_learner", "learner_id"),
        Index("ix_course_enrolments_organisation", "organisation_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    learner_id: Mapped[int] = mapped_column(ForeignKey("learners.id", ondelete="RESTRICT"))
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT")
    )
    status: Mapped[EnrolmentStatus] = mapped_column(str_enum(EnrolmentStatus, "course_enrolment"))
    enrolled_by_id: Mapped[int | None]
    queued_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    completed_on: Mapped[date | None]

    course: Mapped[Course] = relationship()
    learner: Mapped[Learner] = relationship()
    organisation: Mapped[Organisation] = relationship()

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE
