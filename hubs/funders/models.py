"""Funder scopes, frozen report snapshots and programme targets."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from hubs.booking.models import Booking
from hubs.db import UTCDateTime
from hubs.extensions import Model
from hubs.learners.models import FundingSource, Programme
from hubs.models_base import created_at_column, personal, str_enum

funder_scope_sources = Table(
    "funder_scope_sources",
    Model.metadata,
    Column("scope_id", ForeignKey("funder_scopes.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "funding_source_id",
        ForeignKey("funding_sources.id", ondelete="CASCADE"),
        primary_key=True,
    ),
)

snapshot_sources = Table(
    "snapshot_sources",
    Model.metadata,
    Column("snapshot_id", ForeignKey("snapshots.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "funding_source_id",
        ForeignKey("funding_sources.id", ondelete="RESTRICT"),
        primary_key=True,
    ),
)


class FunderScope(Model):
    """What a funder grant covers: the programmes of some funding sources, or all of them."""

    __tablename__ = "funder_scopes"

    id: Mapped[int] = mapped_column(primary_key=True)
    grant_id: Mapped[int] = mapped_column(
        ForeignKey("role_grants.id", ondelete="CASCADE"), unique=True
    )
    # The province co-funds the deal as a whole: every programme, whatever its sources.
    all_programmes: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = created_at_column()

    sources: Mapped[list[FundingSource]] = relationship(
        secondary=funder_scope_sources, order_by="FundingSource.name"
    )


class Snapshot(Model):
    """A report frozen for a period and a recipient: its rows and files never change.

    ``document`` holds the report as the recipient saw it (title, options, definitions,
    sections with their rows, small numbers suppressed); the files are stored as they
    were generated.
    """

    __tablename__ = "snapshots"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    report: Mapped[str] = mapped_column(String(40))
    # The report's query (years, basis, count) as a query-string mapping.
    query: Mapped[dict[str, Any]] = mapped_column(JSON)
    # Built as these recipients see it: every programme, or those of ``recipients``.
    all_programmes: Mapped[bool] = mapped_column(default=False)
    shared_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    document: Mapped[dict[str, Any]] = deferred(mapped_column(JSON))
    csv_file: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    xlsx_file: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    pdf_file: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    created_at: Mapped[datetime] = created_at_column()
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    recipients: Mapped[list[FundingSource]] = relationship(
        secondary=snapshot_sources, order_by="FundingSource.name"
    )


class Indicator(StrEnum):
    """What a programme promises its funders, per year."""

    PARTICIPANTS = "participants"
    ORGANISATIONS = "organisations"
    CONTACT_HOURS = "contact_hours"
    SATISFACTION_AVG = "satisfaction_avg"
    SATISFACTION_SHARE = "satisfaction_share"

    @property
    def label(self) -> str:
        return str(
            {
                "participants": _l("participants"),
                "organisations": _l("organisations reached"),
                "contact_hours": _l("contact hours"),
                "satisfaction_avg": _l("satisfaction (average, 1–10)"),
                "satisfaction_share": _l("satisfied (share scoring 7 or more, %)"),
            }[self.value]
        )


class Target(Model):
    """A programme's target for one indicator in one (school) year."""

    __tablename__ = "targets"
    __table_args__ = (
        UniqueConstraint("programme_id", "year", "indicator"),
        CheckConstraint("value >= 0", name="value_not_negative"),
        CheckConstraint("year BETWEEN 2000 AND 2100", name="year_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    indicator: Mapped[Indicator] = mapped_column(str_enum(Indicator, "target_indicator"))
    value: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime] = created_at_column()

    programme: Mapped[Programme] = relationship()


class SurveyKind(StrEnum):
    VISIT = "visit"  # a booking of the hub (mailed to the booker)
    COURSE = "course"  # an individual enrolment with an e-mail address


class Survey(Model):
    """One satisfaction question after a visit or a course: a score 1–10 and a comment.

    Sent once per booking (the lead row of a bundle) or enrolment; answered once through
    a single-use link (only the token's hash is stored), no login needed. A course
    survey stores its enrolment's programme; a visit's programme is its booking's (read
    through the booking, so a programme named later still counts).
    """

    __tablename__ = "surveys"
    __table_args__ = (
        CheckConstraint("score IS NULL OR score BETWEEN 1 AND 10", name="score_range"),
        CheckConstraint(
            "(booking_id IS NOT NULL) <> (enrolment_id IS NOT NULL)", name="one_subject"
        ),
        CheckConstraint("(answered_at IS NULL) = (score IS NULL)", name="answer_has_score"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[SurveyKind] = mapped_column(str_enum(SurveyKind, "survey_kind"))
    booking_id: Mapped[int | None] = mapped_column(
        ForeignKey("bookings.id", ondelete="CASCADE"), unique=True
    )
    enrolment_id: Mapped[int | None] = mapped_column(
        ForeignKey("enrolments.id", ondelete="CASCADE"), unique=True
    )
    hub_id: Mapped[int] = mapped_column(ForeignKey("hubs.id", ondelete="CASCADE"), index=True)
    programme_id: Mapped[int | None] = mapped_column(
        ForeignKey("programmes.id", ondelete="SET NULL"), index=True
    )
    email: Mapped[str | None] = mapped_column(
        String(254), info=personal("send the survey link", "invitation")
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    sent_at: Mapped[datetime] = created_at_column()
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    score: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(
        Text, default="", info=personal("what the respondent wrote", "invitation")
    )

    programme: Mapped[Programme | None] = relationship()
    booking: Mapped[Booking | None] = relationship()

    @property
    def answer_programme(self) -> Programme | None:
        """The programme the answer counts for (see the class docs)."""
        if self.booking_id is not None:
            return self.booking.programme if self.booking is not None else None
        return self.programme
