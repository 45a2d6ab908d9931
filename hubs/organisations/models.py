"""Organisations (schools, MBO colleges, companies) and their memberships of hubs."""

from __future__ import annotations

import re
from datetime import date, datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hubs.extensions import Model
from hubs.locations.models import Hub
from hubs.models_base import created_at_column, str_enum

BRIN_RE = re.compile(r"^[0-9]{2}[A-Z]{2}$")
BRIN_BRANCH_RE = re.compile(r"^[0-9]{2}$")
KVK_RE = re.compile(r"^[0-9]{8}$")


class OrganisationKind(StrEnum):
    VO_SCHOOL = "vo_school"
    MBO_COLLEGE = "mbo_college"
    COMPANY = "company"
    OTHER = "other"

    @property
    def label(self) -> str:
        return str(
            {
                "vo_school": _l("secondary school (VO)"),
                "mbo_college": _l("MBO college"),
                "company": _l("company"),
                "other": _l("other"),
            }[self.value]
        )


class HolidayRegion(StrEnum):
    NOORD = "noord"
    MIDDEN = "midden"
    ZUID = "zuid"


SCHOOL_KINDS = (OrganisationKind.VO_SCHOOL, OrganisationKind.MBO_COLLEGE)


class Organisation(Model):
    """A school (BRIN), an MBO college (BRIN), a company (KvK number) or another body."""

    __tablename__ = "organisations"
    __table_args__ = (
        CheckConstraint(
            "kind NOT IN ('vo_school', 'mbo_college') OR brin IS NOT NULL",
            name="school_has_brin",
        ),
        CheckConstraint("kind <> 'company' OR kvk IS NOT NULL", name="company_has_kvk"),
        UniqueConstraint("brin", "brin_branch"),
        UniqueConstraint("kvk"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[OrganisationKind] = mapped_column(str_enum(OrganisationKind, "organisation_kind"))
    brin: Mapped[str | None] = mapped_column(String(4))
    brin_branch: Mapped[str | None] = mapped_column(String(2))
    kvk: Mapped[str | None] = mapped_column(String(8))
    town: Mapped[str] = mapped_column(String(120), default="")
    # Schools only: the region whose school holidays apply (stored per school).
    holiday_region: Mapped[HolidayRegion | None] = mapped_column(
        str_enum(HolidayRegion, "holiday_region")
    )
    created_at: Mapped[datetime] = created_at_column()

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="organisation", order_by="Membership.starts_on"
    )

    @property
    def is_school(self) -> bool:
        return self.kind in SCHOOL_KINDS

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.name}>"


class Membership(Model):
    """An organisation's membership of a hub for a period (``ends_on`` inclusive, open-ended when None)."""

    __tablename__ = "memberships"
    __table_args__ = (
        CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="ends_after_start"),
        Index("ix_memberships_hub_org", "hub_id", "organisation_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    hub_id: Mapped[int] = mapped_column(ForeignKey("hubs.id", ondelete="CASCADE"))
    starts_on: Mapped[date]
    ends_on: Mapped[date | None]
    created_at: Mapped[datetime] = created_at_column()

    organisation: Mapped[Organisation] = relationship(back_populates="memberships")
    hub: Mapped[Hub] = relationship()

    def is_active_on(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)
