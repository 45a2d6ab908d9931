"""Machine licences and who uses a licensed machine in a booking."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hubs.db import UTCDateTime
from hubs.extensions import Model
from hubs.learners.models import Learner
from hubs.models_base import created_at_column, str_enum


class LicenceSource(StrEnum):
    COORDINATOR = "coordinator"
    COURSE = "course"

    @property
    def label(self) -> str:
        return str({"coordinator": _l("coordinator"), "course": _l("course")}[self.value])


class Licence(Model):
    """A learner may use machines of one kind ("cnc", "laser", "lassen") at every hub,
    from ``issued_on`` until ``expires_on`` (inclusive; None: no expiry), unless revoked.

    People are referred to by internal id only (``issued_by_id``, ``revoked_by_id``):
    erasing an account leaves the record meaningful. ``course_id`` names the course that
    granted it (no foreign key until courses exist). ``reminded_at`` is set when the
    holder's organisation was mailed about the coming expiry (once per licence).
    """

    __tablename__ = "licences"
    __table_args__ = (
        CheckConstraint("expires_on IS NULL OR expires_on >= issued_on", name="expires_after"),
        Index("ix_licences_learner_kind", "learner_id", "kind"),
        Index("ix_licences_expires_on", "expires_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("learners.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    issued_on: Mapped[date]
    expires_on: Mapped[date | None]
    source: Mapped[LicenceSource] = mapped_column(str_enum(LicenceSource, "licence_source"))
    course_id: Mapped[int | None]
    issued_by_id: Mapped[int | None]
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_by_id: Mapped[int | None]
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = created_at_column()

    learner: Mapped[Learner] = relationship()

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def is_valid_on(self, day: date) -> bool:
        """Not revoked, issued on or before ``day``, not expired on ``day``."""
        return (
            not self.is_revoked
            and self.issued_on <= day
            and (self.expires_on is None or day <= self.expires_on)
        )

    def __repr__(self) -> str:
        return f"<Licence {self.id} {self.kind} learner {self.learner_id}>"


class BookingLicenceHolder(Model):
    """A person who will use the licensed machines of a booking (keyed by the bundle's
    lead row)."""

    __tablename__ = "booking_licence_holders"

    booking_id: Mapped[int] = mapped_column(
        ForeignKey("bookings.id", ondelete="CASCADE"), primary_key=True
    )
    learner_id: Mapped[int] = mapped_column(
        ForeignKey("learners.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class BookingSupervision(Model):
    """A school class uses licensed machines under the hub instructor's supervision.

    A row means supervision is needed; ``confirmed_at`` is set when a coordinator
    confirms it (when approving the request, or at once when they booked it).
    """

    __tablename__ = "booking_supervisions"

    booking_id: Mapped[int] = mapped_column(
        ForeignKey("bookings.id", ondelete="CASCADE"), primary_key=True
    )
    kinds: Mapped[str] = mapped_column(String(200))
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    confirmed_by_id: Mapped[int | None]

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None
