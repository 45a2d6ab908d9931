"""Bookings, closures, named periods (slots), per-hub booking settings and the audit trail.

A *booking* is one row per resource: a bundle (a room plus machines, booked together) is
several rows that share ``bundle_id``, the id of the bundle's first row. Every status
change acts on the whole bundle. The database refuses two active (requested or confirmed)
rows of one resource whose half-open intervals ``[start_at, end_at)`` overlap.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from enum import StrEnum
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hubs.db import UTCDateTime, utcnow
from hubs.extensions import Model

# The learner codes (vo, mbo-3 ...) are those of hubs.learners; re-exported for booking.
from hubs.learners.models import LearnerCategory as LearnerCategory
from hubs.learners.models import Level as Level
from hubs.learners.models import Programme
from hubs.locations.models import Hub, Resource
from hubs.models_base import created_at_column, personal, str_enum
from hubs.organisations.models import HolidayRegion, Organisation


class BookingStatus(StrEnum):
    REQUESTED = "requested"  # holds the slot until approved, rejected or expired
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"
    REJECTED = "rejected"
    EXPIRED = "expired"

    @property
    def label(self) -> str:
        return str(
            {
                "requested": _l("requested"),
                "confirmed": _l("confirmed"),
                "cancelled": _l("cancelled"),
                "rejected": _l("rejected"),
                "expired": _l("expired"),
            }[self.value]
        )

    @property
    def is_active(self) -> bool:
        return self in ACTIVE_STATUSES


ACTIVE_STATUSES = (BookingStatus.REQUESTED, BookingStatus.CONFIRMED)
# The SQL both the exclusion constraint and the SQLite triggers use for "active".
ACTIVE_SQL = "status IN ('requested', 'confirmed')"


def overlaps(a_start: Any, a_end: Any, b_start: Any, b_end: Any) -> bool:
    """Half-open intervals ``[a_start, a_end)`` and ``[b_start, b_end)`` share a moment.

    Back-to-back intervals (10:00–11:00, 11:00–12:00) do not overlap.
    """
    return a_start < b_end and b_start < a_end


# No booking lasts longer (rules.check_times refuses it on booking and on every move).
MAX_DURATION = timedelta(days=14)


class Booking(Model):
    """One resource for one interval, for one organisation's group.

    ``bundle_id`` is the id of the first row of the bundle (itself for that row); the
    bundle is booked, moved, approved and cancelled as one. ``version`` grows with every
    change (calendar feeds use it as the event's SEQUENCE).
    """

    __tablename__ = "bookings"
    __table_args__ = (
        CheckConstraint("end_at > start_at", name="ends_after_start"),
        CheckConstraint("group_size >= 1", name="group_size_positive"),
        Index("ix_bookings_resource_start", "resource_id", "start_at"),
        Index("ix_bookings_hub_start", "hub_id", "start_at"),
        Index("ix_bookings_organisation_start", "organisation_id", "start_at"),
        Index("ix_bookings_booked_by_start", "booked_by_id", "start_at"),
        Index("ix_bookings_status_expires", "status", "expires_at"),
        Index("ix_bookings_bundle", "bundle_id"),
        Index("ix_bookings_programme_start", "programme_id", "start_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    bundle_id: Mapped[int | None] = mapped_column(ForeignKey("bookings.id", ondelete="CASCADE"))
    hub_id: Mapped[int] = mapped_column(ForeignKey("hubs.id", ondelete="RESTRICT"))
    resource_id: Mapped[int] = mapped_column(ForeignKey("resources.id", ondelete="RESTRICT"))
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT")
    )
    booked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    start_at: Mapped[datetime] = mapped_column(UTCDateTime())
    end_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[BookingStatus] = mapped_column(str_enum(BookingStatus, "booking_status"))
    group_name: Mapped[str] = mapped_column(String(60))
    group_size: Mapped[int]
    learner_category: Mapped[LearnerCategory] = mapped_column(
        str_enum(LearnerCategory, "learner_category")
    )
    level: Mapped[Level | None] = mapped_column(str_enum(Level, "learner_level"))
    purpose: Mapped[str] = mapped_column(String(200), default="")
    # The hub's programme the visit is part of (optional): contact hours and visit
    # surveys count per programme through it.
    programme_id: Mapped[int | None] = mapped_column(
        ForeignKey("programmes.id", ondelete="SET NULL")
    )
    notes: Mapped[str] = mapped_column(
        Text,
        default="",
        info=personal("practical notes on a visit; may name a pupil (scrubbed, purged)", "learner"),
    )
    # A request that nobody handles expires at this moment (None once decided).
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancel_reason: Mapped[str] = mapped_column(String(300), default="")
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    hub: Mapped[Hub] = relationship()
    resource: Mapped[Resource] = relationship()
    organisation: Mapped[Organisation] = relationship()
    programme: Mapped[Programme | None] = relationship()
    # The bundle's first row, and on that row every row of the bundle (itself included).
    lead: Mapped[Booking | None] = relationship(
        remote_side=[id], foreign_keys=[bundle_id], viewonly=True
    )
    members: Mapped[list[Booking]] = relationship(
        foreign_keys=[bundle_id], order_by="Booking.id", viewonly=True
    )

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def is_request(self) -> bool:
        return self.status == BookingStatus.REQUESTED

    @property
    def duration(self) -> Any:
        return self.end_at - self.start_at

    def __repr__(self) -> str:
        return (
            f"<Booking {self.id} r{self.resource_id} {self.start_at:%Y-%m-%d %H:%M} {self.status}>"
        )


class BookingEvent(Model):
    """The audit trail of a bundle: who (a user id, never a name), when, what changed."""

    __tablename__ = "booking_events"
    __table_args__ = (Index("ix_booking_events_booking_at", "booking_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The bundle's first row.
    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id", ondelete="CASCADE"))
    at: Mapped[datetime] = created_at_column()
    # An internal id without a foreign key: erasing a person leaves the trail intact.
    actor_id: Mapped[int | None]
    action: Mapped[str] = mapped_column(String(30))
    # {"field": [old, new]} for changes; {"field": value} for what was created.
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    note: Mapped[str] = mapped_column(
        String(300),
        default="",
        info=personal(
            "a reason given for a change; may name someone (scrubbed, purged)", "learner"
        ),
    )


class Closure(Model):
    """A time the hub (``resource_id`` None) or one resource (maintenance) is not bookable.

    ``all_day`` closures cover whole local days: ``starts_at`` is the first day's midnight
    and ``ends_at`` the midnight after the last day. Imported closures keep the calendar
    event's UID so importing the same file twice adds nothing.
    """

    __tablename__ = "closures"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        UniqueConstraint("hub_id", "external_uid"),
        Index("ix_closures_hub_start", "hub_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    hub_id: Mapped[int] = mapped_column(ForeignKey("hubs.id", ondelete="CASCADE"))
    resource_id: Mapped[int | None] = mapped_column(ForeignKey("resources.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    all_day: Mapped[bool] = mapped_column(default=True)
    reason: Mapped[str] = mapped_column(String(200))
    external_uid: Mapped[str | None] = mapped_column(String(255))
    created_by_id: Mapped[int | None]
    created_at: Mapped[datetime] = created_at_column()

    resource: Mapped[Resource | None] = relationship()

    @property
    def is_maintenance(self) -> bool:
        return self.resource_id is not None

    def applies_to(self, resource_id: int) -> bool:
        return self.resource_id is None or self.resource_id == resource_id


class Slot(Model):
    """A named bookable period of a hub on a weekday ("3e-4e uur 10:25–12:05", "ochtend")."""

    __tablename__ = "booking_slots"
    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        UniqueConstraint("hub_id", "weekday", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    hub_id: Mapped[int] = mapped_column(ForeignKey("hubs.id", ondelete="CASCADE"))
    weekday: Mapped[int]
    name: Mapped[str] = mapped_column(String(60))
    starts_at: Mapped[time]
    ends_at: Mapped[time]


class HubBookingSettings(Model):
    """How a hub takes bookings. A hub without a row uses :data:`DEFAULT_SETTINGS`."""

    __tablename__ = "hub_booking_settings"
    __table_args__ = (
        CheckConstraint("cancel_deadline_hours BETWEEN 0 AND 720", name="deadline_range"),
        CheckConstraint("request_expiry_hours BETWEEN 1 AND 720", name="expiry_range"),
    )

    hub_id: Mapped[int] = mapped_column(ForeignKey("hubs.id", ondelete="CASCADE"), primary_key=True)
    uses_slots: Mapped[bool] = mapped_column(default=False)
    approval_required: Mapped[bool] = mapped_column(default=False)
    cancel_deadline_hours: Mapped[int] = mapped_column(default=24)
    request_expiry_hours: Mapped[int] = mapped_column(default=72)
    close_on_school_holidays: Mapped[bool] = mapped_column(default=False)
    holiday_region: Mapped[HolidayRegion] = mapped_column(
        str_enum(HolidayRegion, "hub_holiday_region"), default=HolidayRegion.MIDDEN
    )


DEFAULT_SETTINGS: dict[str, Any] = {
    "uses_slots": False,
    "approval_required": False,
    "cancel_deadline_hours": 24,
    "request_expiry_hours": 72,
    "close_on_school_holidays": False,
    "holiday_region": HolidayRegion.MIDDEN,
}


class ResourceApproval(Model):
    """A resource whose bookings a coordinator must approve (a row means: required)."""

    __tablename__ = "resource_approvals"

    resource_id: Mapped[int] = mapped_column(
        ForeignKey("resources.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = created_at_column()


class ConflictAck(Model):
    """A coordinator kept a bundle despite a conflict (a closure, shorter hours, ...).

    ``reason_key`` names the conflict ("closure:12", "hours", "membership"), so a later,
    different conflict of the same booking is shown again.
    """

    __tablename__ = "booking_conflict_acks"
    __table_args__ = (UniqueConstraint("booking_id", "reason_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id", ondelete="CASCADE"))
    reason_key: Mapped[str] = mapped_column(String(60))
    actor_id: Mapped[int | None]
    at: Mapped[datetime] = created_at_column()


class IdempotencyKey(Model):
    """The first successful answer to an API request with an ``Idempotency-Key`` header."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (
        UniqueConstraint("user_id", "key"),
        Index("ix_idempotency_keys_created", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(200))
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int]
    response: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = created_at_column()


def active_overlapping(resource_ids: Any, start: datetime, end: datetime) -> tuple[Any, ...]:
    """SQL criteria: active rows of these resources overlapping ``[start, end)``.

    ``start_at > start - MAX_DURATION`` is implied by the overlap (no booking is longer),
    but stating it bounds the ``(resource_id, start_at)`` index range to the interval:
    without it the database reads every earlier booking of the resource, so the cost
    would grow with the years of history (bench/: availability at 10k vs 1M rows).
    """
    return (
        Booking.resource_id.in_(resource_ids),
        Booking.status.in_(ACTIVE_STATUSES),
        Booking.start_at < end,
        Booking.start_at > start - MAX_DURATION,
        start < Booking.end_at,
    )
