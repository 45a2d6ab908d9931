"""An invitation to join Hubs with a role, by e-mail."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hubs.accounts.models import Role, User
from hubs.db import UTCDateTime
from hubs.extensions import Model
from hubs.locations.models import Hub
from hubs.models_base import created_at_column, personal, str_enum
from hubs.organisations.models import Organisation


class InvitationStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"

    @property
    def label(self) -> str:
        return str(
            {
                "pending": _l("waiting for reply"),
                "accepted": _l("accepted"),
                "withdrawn": _l("withdrawn"),
                "expired": _l("expired"),
            }[self.value]
        )


class Invitation(Model):
    """A person invited by e-mail into a role (usually: booker of an organisation).

    The link in the mail carries a random token of 256 bits; only its SHA-256 is stored.
    It works once, until ``expires_at``; sending it again replaces the token (the old
    link stops working), withdrawing ends it.
    """

    __tablename__ = "invitations"
    __table_args__ = (
        CheckConstraint(
            "(role = 'coordinator' AND hub_id IS NOT NULL AND organisation_id IS NULL)"
            " OR (role = 'booker' AND organisation_id IS NOT NULL AND hub_id IS NULL)"
            " OR (role IN ('manager', 'funder') AND hub_id IS NULL"
            " AND organisation_id IS NULL)",
            name="scope_fits_role",
        ),
        CheckConstraint("NOT is_org_admin OR role = 'booker'", name="admin_is_booker"),
        Index("ix_invitations_email", "email"),
        Index("ix_invitations_organisation", "organisation_id"),
        Index("ix_invitations_hub", "hub_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(
        String(254), info=personal("send the invitation", "invitation")
    )
    name: Mapped[str] = mapped_column(
        String(200), default="", info=personal("greet the invited person", "invitation")
    )
    locale: Mapped[str] = mapped_column(String(5), default="nl")
    role: Mapped[Role] = mapped_column(str_enum(Role, "invitation_role"))
    hub_id: Mapped[int | None] = mapped_column(ForeignKey("hubs.id", ondelete="CASCADE"))
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE")
    )
    is_org_admin: Mapped[bool] = mapped_column(default=False)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = created_at_column()
    sent_at: Mapped[datetime] = created_at_column()
    send_count: Mapped[int] = mapped_column(default=1)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    accepted_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    hub: Mapped[Hub | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id])

    def status_at(self, now: datetime) -> InvitationStatus:
        if self.accepted_at is not None:
            return InvitationStatus.ACCEPTED
        if self.withdrawn_at is not None:
            return InvitationStatus.WITHDRAWN
        if now >= self.expires_at:
            return InvitationStatus.EXPIRED
        return InvitationStatus.PENDING

    @property
    def is_open(self) -> bool:
        """Neither accepted nor withdrawn: may be re-sent (also when expired) or withdrawn."""
        return self.accepted_at is None and self.withdrawn_at is None

    def __repr__(self) -> str:
        return f"<Invitation {self.id}>"
