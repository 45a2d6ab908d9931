"""Programmes at a hub, learners (persons) and their enrolments.

A learner is a person known by their organisation's reference (pupil, student or
employee number). Names are optional and only stored where needed (employees). An
enrolment puts a *group* (anonymous: a name and a headcount) or an *individual* learner
in a programme for a date range, by default one school year. How enrolments are counted
lives in :mod:`hubs.learners.counting`, nowhere else.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hubs.db import UTCDateTime
from hubs.extensions import Model
from hubs.locations.models import Hub
from hubs.models_base import created_at_column, personal, str_enum
from hubs.organisations.models import Organisation


class LearnerCategory(StrEnum):
    VO = "vo"
    MBO = "mbo"
    EMPLOYEE = "employee"
    OTHER = "other"

    @property
    def label(self) -> str:
        return str(
            {
                "vo": _l("VO pupil"),
                "mbo": _l("MBO student"),
                "employee": _l("employee"),
                "other": _l("other"),
            }[self.value]
        )


class Level(StrEnum):
    VMBO_BB = "vmbo-bb"
    VMBO_KB = "vmbo-kb"
    VMBO_GL = "vmbo-gl"
    VMBO_TL = "vmbo-tl"
    HAVO = "havo"
    VWO = "vwo"
    MBO_1 = "mbo-1"
    MBO_2 = "mbo-2"
    MBO_3 = "mbo-3"
    MBO_4 = "mbo-4"

    @property
    def category(self) -> LearnerCategory:
        return LearnerCategory.MBO if self.value.startswith("mbo") else LearnerCategory.VO

    @property
    def max_leerjaar(self) -> int:
        """The last year of study of a VO level (vmbo 4, havo 5, vwo 6)."""
        return {"havo": 5, "vwo": 6}.get(self.value, 4)

    @property
    def label(self) -> str:
        return {
            "vmbo-bb": "vmbo BB",
            "vmbo-kb": "vmbo KB",
            "vmbo-gl": "vmbo GL",
            "vmbo-tl": "vmbo TL",
            "havo": "havo",
            "vwo": "vwo",
        }.get(self.value) or str(_l("MBO level %(n)s", n=self.value[-1]))


class Pathway(StrEnum):
    BOL = "bol"  # school-based
    BBL = "bbl"  # work-based


class EnrolmentKind(StrEnum):
    GROUP = "group"
    INDIVIDUAL = "individual"


class EnrolmentStatus(StrEnum):
    ENROLLED = "enrolled"
    COMPLETED = "completed"
    STOPPED = "stopped"

    @property
    def label(self) -> str:
        return str(
            {
                "enrolled": _l("enrolled"),
                "completed": _l("completed"),
                "stopped": _l("stopped"),
            }[self.value]
        )


VO_LEVELS = tuple(level.value for level in Level if level.category == LearnerCategory.VO)
MBO_LEVELS = tuple(level.value for level in Level if level.category == LearnerCategory.MBO)


def _in(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


# The level (and year of study, pathway) must fit the learner category.
LEVEL_FITS_CATEGORY = (
    f"(category = 'vo' AND (level IS NULL OR level IN {_in(VO_LEVELS)}) AND pathway IS NULL)"
    f" OR (category = 'mbo' AND (level IS NULL OR level IN {_in(MBO_LEVELS)})"
    " AND leerjaar IS NULL)"
    " OR (category IN ('employee', 'other') AND level IS NULL AND leerjaar IS NULL"
    " AND pathway IS NULL)"
)


class FundingSource(Model):
    """Who pays for a programme (MKB-Deal, province, …); programme managers keep the list."""

    __tablename__ = "funding_sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = created_at_column()


programme_funding = Table(
    "programme_funding",
    Model.metadata,
    Column("programme_id", ForeignKey("programmes.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "funding_source_id",
        ForeignKey("funding_sources.id", ondelete="RESTRICT"),
        primary_key=True,
    ),
)


class Programme(Model):
    """What is followed at a hub ("Dagelijks techniekonderwijs", "MBO Techniek", …)."""

    __tablename__ = "programmes"
    __table_args__ = (
        UniqueConstraint("hub_id", "name"),
        CheckConstraint(
            "serves_vo OR serves_mbo OR serves_employee OR serves_other", name="serves_someone"
        ),
        CheckConstraint("crebo IS NULL OR length(crebo) = 5", name="crebo_five_digits"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    hub_id: Mapped[int] = mapped_column(ForeignKey("hubs.id", ondelete="RESTRICT"))
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    # The learner categories the programme serves.
    serves_vo: Mapped[bool] = mapped_column(default=False)
    serves_mbo: Mapped[bool] = mapped_column(default=False)
    serves_employee: Mapped[bool] = mapped_column(default=False)
    serves_other: Mapped[bool] = mapped_column(default=False)
    # The official MBO programme code (crebo / "erkende opleidingscode"), if any.
    crebo: Mapped[str | None] = mapped_column(String(5))
    # Pupils and students are recorded without names unless the programme needs them
    # (e.g. a machine safety instruction with a certificate).
    records_pupil_names: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = created_at_column()

    hub: Mapped[Hub] = relationship()
    funding_sources: Mapped[list[FundingSource]] = relationship(
        secondary=programme_funding, order_by="FundingSource.name"
    )

    @property
    def categories(self) -> list[LearnerCategory]:
        return [c for c in LearnerCategory if getattr(self, f"serves_{c.value}")]

    def serves(self, category: LearnerCategory) -> bool:
        return bool(getattr(self, f"serves_{category.value}"))

    def records_names_of(self, category: LearnerCategory) -> bool:
        """Whether names of learners of this category are kept for this programme."""
        if category in (LearnerCategory.EMPLOYEE, LearnerCategory.OTHER):
            return True
        return self.records_pupil_names

    def __repr__(self) -> str:
        return f"<Programme {self.id} {self.name}>"


class Learner(Model):
    """A person who learns at a hub, known by their organisation's reference.

    The reference is text (leading zeros matter). A name is only kept where needed:
    employees (training evidence for subsidy claims), pupils only when a programme needs
    it. No BSN, no birth date. ``anonymised_at`` is set when retention or an erasure
    request removed the personal data; the row stays so that counts stay correct.
    """

    __tablename__ = "learners"
    __table_args__ = (
        UniqueConstraint("organisation_id", "reference"),
        CheckConstraint(LEVEL_FITS_CATEGORY, name="level_fits_category"),
        CheckConstraint("leerjaar IS NULL OR leerjaar BETWEEN 1 AND 6", name="leerjaar_range"),
        CheckConstraint("email IS NULL OR category = 'employee'", name="email_only_employees"),
        Index("ix_learners_category", "category"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT")
    )
    reference: Mapped[str] = mapped_column(
        String(40), info=personal("identify the learner with their organisation", "learner")
    )
    category: Mapped[LearnerCategory] = mapped_column(str_enum(LearnerCategory, "learner_category"))
    level: Mapped[Level | None] = mapped_column(str_enum(Level, "learner_level"))
    leerjaar: Mapped[int | None]
    pathway: Mapped[Pathway | None] = mapped_column(str_enum(Pathway, "mbo_pathway"))
    given_name: Mapped[str | None] = mapped_column(
        String(80), info=personal("training evidence and certificates", "learner")
    )
    name_prefix: Mapped[str | None] = mapped_column(
        String(20), info=personal("training evidence and certificates", "learner")
    )
    family_name: Mapped[str | None] = mapped_column(
        String(80), info=personal("training evidence and certificates", "learner")
    )
    email: Mapped[str | None] = mapped_column(
        String(254), info=personal("course invitations and certificates (employees)", "learner")
    )
    # The account of an employee who books machines themselves (machine licences).
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = created_at_column()

    organisation: Mapped[Organisation] = relationship()

    @property
    def display_name(self) -> str:
        """The name if one is kept, else the reference."""
        parts = [self.given_name, self.name_prefix, self.family_name]
        name = " ".join(p for p in parts if p)
        return name or self.reference

    @property
    def has_name(self) -> bool:
        return bool(self.given_name or self.family_name)

    @property
    def is_anonymised(self) -> bool:
        return self.anonymised_at is not None

    def __repr__(self) -> str:
        return f"<Learner {self.id}>"


class Enrolment(Model):
    """A group or an individual learner in a programme for a date range (``ends_on`` inclusive).

    Group: organisation, group name, category, level and headcount, no personal data.
    Individual: a learner, optionally belonging to a group enrolment of the same
    programme (the group's headcount already includes them). Category, level and year of
    study are those at the time of the enrolment (a learner moves up a year).
    ``school_year`` (the year of 1 August in which ``starts_on`` falls) is part of the
    natural key that makes re-imports idempotent.
    """

    __tablename__ = "enrolments"
    __table_args__ = (
        CheckConstraint(
            "(kind = 'group' AND learner_id IS NULL AND group_id IS NULL"
            " AND group_name IS NOT NULL AND headcount IS NOT NULL AND headcount >= 1)"
            " OR (kind = 'individual' AND learner_id IS NOT NULL AND group_name IS NULL"
            " AND headcount IS NULL)",
            name="shape_fits_kind",
        ),
        CheckConstraint("ends_on >= starts_on", name="ends_after_start"),
        CheckConstraint(LEVEL_FITS_CATEGORY, name="level_fits_category"),
        CheckConstraint("leerjaar IS NULL OR leerjaar BETWEEN 1 AND 6", name="leerjaar_range"),
        # Natural keys: one enrolment per learner (or per group name of an organisation)
        # per programme and school year. NULLs are distinct, so each applies to its kind.
        UniqueConstraint(
            "programme_id", "learner_id", "school_year", name="uq_enrolments_learner_key"
        ),
        UniqueConstraint(
            "programme_id",
            "organisation_id",
            "group_name",
            "school_year",
            name="uq_enrolments_group_key",
        ),
        Index("ix_enrolments_period", "programme_id", "starts_on", "ends_on"),
        Index("ix_enrolments_organisation_year", "organisation_id", "school_year"),
        Index("ix_enrolments_learner", "learner_id"),
        Index("ix_enrolments_group", "group_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[EnrolmentKind] = mapped_column(str_enum(EnrolmentKind, "enrolment_kind"))
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="RESTRICT"))
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT")
    )
    school_year: Mapped[int]
    group_name: Mapped[str | None] = mapped_column(String(60))
    headcount: Mapped[int | None]
    learner_id: Mapped[int | None] = mapped_column(ForeignKey("learners.id", ondelete="RESTRICT"))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("enrolments.id", ondelete="SET NULL"))
    category: Mapped[LearnerCategory] = mapped_column(str_enum(LearnerCategory, "learner_category"))
    level: Mapped[Level | None] = mapped_column(str_enum(Level, "learner_level"))
    leerjaar: Mapped[int | None]
    pathway: Mapped[Pathway | None] = mapped_column(str_enum(Pathway, "mbo_pathway"))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    status: Mapped[EnrolmentStatus] = mapped_column(
        str_enum(EnrolmentStatus, "enrolment_status"), default=EnrolmentStatus.ENROLLED
    )
    # Free text may name a person: it is personal data and erased with them.
    note: Mapped[str] = mapped_column(
        Text, default="", info=personal("arrangements about the enrolment", "learner")
    )
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = created_at_column()

    programme: Mapped[Programme] = relationship()
    organisation: Mapped[Organisation] = relationship()
    learner: Mapped[Learner | None] = relationship()
    group: Mapped[Enrolment | None] = relationship(remote_side=[id])

    @property
    def is_group(self) -> bool:
        return self.kind == EnrolmentKind.GROUP

    @property
    def participants(self) -> int:
        return (self.headcount or 0) if self.is_group else 1

    def __repr__(self) -> str:
        return f"<Enrolment {self.id} {self.kind}>"


class ImportUpload(Model):
    """A parsed upload waiting for the uploader to confirm it (the web's two-step import).

    The table (header and rows as text) holds personal data; it is deleted when the import
    is committed and purged after a day otherwise.
    """

    __tablename__ = "import_uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    kind: Mapped[EnrolmentKind] = mapped_column(str_enum(EnrolmentKind, "enrolment_kind"))
    school_year: Mapped[int]
    filename: Mapped[str] = mapped_column(
        String(200), default="", info=personal("show which file is being imported", "upload")
    )
    table_json: Mapped[str] = mapped_column(
        Text, info=personal("confirm an import before it is written", "upload")
    )
    created_at: Mapped[datetime] = created_at_column()
