"""Hubs (training locations), their opening hours and their bookable resources."""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hubs.extensions import Model
from hubs.models_base import created_at_column, str_enum


class ResourceKind(StrEnum):
    MACHINE = "machine"
    ROOM = "room"
    WORKSPACE = "workspace"

    @property
    def label(self) -> str:
        return str(
            {
                "machine": _l("machine"),
                "room": _l("room"),
                "workspace": _l("workspace"),
            }[self.value]
        )


class Hub(Model):
    """A training location (TechnoHUB Woerden, MAKE Center Nieuwegein, ...)."""

    __tablename__ = "hubs"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    town: Mapped[str] = mapped_column(String(120))
    address: Mapped[str] = mapped_column(String(300), default="")
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Amsterdam")
    created_at: Mapped[datetime] = created_at_column()

    opening_hours: Mapped[list[OpeningHours]] = relationship(
        back_populates="hub",
        order_by="(OpeningHours.weekday, OpeningHours.opens_at)",
        cascade="all, delete-orphan",
    )

    def __repr__(self) -> str:
        return f"<Hub {self.id} {self.name}>"


class OpeningHours(Model):
    """One opening interval of a hub on a weekday (0 = Monday); a day may have several."""

    __tablename__ = "opening_hours"
    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_range"),
        CheckConstraint("closes_at > opens_at", name="closes_after_opens"),
        UniqueConstraint("hub_id", "weekday", "opens_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    hub_id: Mapped[int] = mapped_column(ForeignKey("hubs.id", ondelete="CASCADE"))
    weekday: Mapped[int]
    opens_at: Mapped[time]
    closes_at: Mapped[time]

    hub: Mapped[Hub] = relationship(back_populates="opening_hours")


class OpeningException(Model):
    """Opening hours of one date that replace the weekday's usual hours.

    A date may have several intervals (an evening course after a normal day) or one row
    without times, which means closed all day. An open day on a normally closed day is
    simply an interval on that date.
    """

    __tablename__ = "opening_exceptions"
    __table_args__ = (
        CheckConstraint(
            "(opens_at IS NULL AND closes_at IS NULL)"
            " OR (opens_at IS NOT NULL AND closes_at IS NOT NULL AND closes_at > opens_at)",
            name="interval_or_closed",
        ),
        UniqueConstraint("hub_id", "on_date", "opens_at"),
        Index("ix_opening_exceptions_hub_date", "hub_id", "on_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    hub_id: Mapped[int] = mapped_column(ForeignKey("hubs.id", ondelete="CASCADE"))
    on_date: Mapped[date]
    opens_at: Mapped[time | None]
    closes_at: Mapped[time | None]
    note: Mapped[str] = mapped_column(String(200), default="")

    hub: Mapped[Hub] = relationship()

    @property
    def is_closed(self) -> bool:
        return self.opens_at is None


class Resource(Model):
    """A machine, room or workspace of a hub that can be booked.

    A retired resource (``active`` false) keeps its history but takes no new bookings.
    """

    __tablename__ = "resources"
    __table_args__ = (
        CheckConstraint("capacity >= 1", name="capacity_positive"),
        UniqueConstraint("hub_id", "name"),
        Index("ix_resources_hub_active", "hub_id", "active"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    hub_id: Mapped[int] = mapped_column(ForeignKey("hubs.id", ondelete="RESTRICT"))
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[ResourceKind] = mapped_column(str_enum(ResourceKind, "resource_kind"))
    capacity: Mapped[int] = mapped_column(default=1)
    # The machine licence type a user needs ("cnc", "laser", "lassen"), or None.
    licence_type: Mapped[str | None] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = created_at_column()

    hub: Mapped[Hub] = relationship()

    def __repr__(self) -> str:
        return f"<Resource {self.id} {self.name}>"
