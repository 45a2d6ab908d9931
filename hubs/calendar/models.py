"""Calendar feed links and the reminders already sent.

A *feed* is a secret URL a calendar app (Outlook, Google, Apple) polls. Only the SHA-256
of its token is stored; the URL is shown once, when the feed is made or its link renewed.
What a feed shows is decided at request time from its owner's rights (see
:mod:`hubs.calendar.feeds`), so the row only says *which* calendar it is.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from hubs.db import UTCDateTime
from hubs.extensions import Model
from hubs.models_base import created_at_column, str_enum


class FeedKind(StrEnum):
    MINE = "mine"  # the bookings the owner made
    ORGANISATION = "organisation"  # one organisation's bookings
    HUB = "hub"  # everything at one hub (others' bookings as "busy")
    RESOURCE = "resource"  # one machine or room (others' bookings as "busy")

    @property
    def label(self) -> str:
        return str(
            {
                "mine": _l("My bookings"),
                "organisation": _l("Organisation"),
                "hub": _l("Hub"),
                "resource": _l("Machine or room"),
            }[self.value]
        )


class CalendarFeed(Model):
    """A subscribable calendar of one user: their own bookings, an organisation's, a hub's
    or a resource's. Deleting the row (revoke) or renewing its token kills the old URL."""

    __tablename__ = "calendar_feeds"
    __table_args__ = (
        CheckConstraint(
            "(kind = 'mine' AND organisation_id IS NULL AND hub_id IS NULL"
            " AND resource_id IS NULL)"
            " OR (kind = 'organisation' AND organisation_id IS NOT NULL AND hub_id IS NULL"
            " AND resource_id IS NULL)"
            " OR (kind = 'hub' AND hub_id IS NOT NULL AND organisation_id IS NULL"
            " AND resource_id IS NULL)"
            " OR (kind = 'resource' AND resource_id IS NOT NULL AND organisation_id IS NULL"
            " AND hub_id IS NULL)",
            name="target_fits_kind",
        ),
        # One feed per user and calendar: asking again renews the link instead.
        Index(
            "uq_calendar_feeds_target",
            "user_id",
            "kind",
            func.coalesce("organisation_id", 0),
            func.coalesce("hub_id", 0),
            func.coalesce("resource_id", 0),
            unique=True,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[FeedKind] = mapped_column(str_enum(FeedKind, "calendar_feed_kind"))
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE")
    )
    hub_id: Mapped[int | None] = mapped_column(ForeignKey("hubs.id", ondelete="CASCADE"))
    resource_id: Mapped[int | None] = mapped_column(ForeignKey("resources.id", ondelete="CASCADE"))
    # SHA-256 (hex) of the secret in the URL; the secret itself is never stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = created_at_column()
    renewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @property
    def target_id(self) -> int | None:
        return self.organisation_id or self.hub_id or self.resource_id


class SentReminder(Model):
    """A reminder that went out: running ``flask notifications remind`` again skips it.

    ``source`` names what it was about ("booking", a course session later), ``item_id``
    its id and ``starts_at`` the start it announced (a moved booking is reminded again).
    ``recipient`` is ``user:<id>`` (never an address).
    """

    __tablename__ = "calendar_sent_reminders"
    __table_args__ = (
        UniqueConstraint("source", "item_id", "starts_at", "recipient"),
        Index("ix_calendar_sent_reminders_starts_at", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(30))
    item_id: Mapped[int]
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    recipient: Mapped[str] = mapped_column(String(40))
    sent_at: Mapped[datetime] = created_at_column()
