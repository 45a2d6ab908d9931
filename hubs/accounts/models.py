"""People who sign in, what they may do (role grants), their sessions and API tokens."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hubs.db import UTCDateTime
from hubs.extensions import Model
from hubs.locations.models import Hub
from hubs.models_base import created_at_column, personal, str_enum
from hubs.organisations.models import Organisation


class Role(StrEnum):
    MANAGER = "manager"  # programme manager: all hubs
    COORDINATOR = "coordinator"  # runs one hub (a grant per hub)
    BOOKER = "booker"  # teacher or HR of one organisation
    FUNDER = "funder"  # reads reports

    @property
    def label(self) -> str:
        return str(
            {
                "manager": _l("programme manager"),
                "coordinator": _l("coordinator"),
                "booker": _l("booker"),
                "funder": _l("funder"),
            }[self.value]
        )


class User(Model):
    """A person who can sign in. Deactivation ends every session and token at once."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(
        String(254), unique=True, info=personal("sign-in and notifications", "account")
    )
    name: Mapped[str] = mapped_column(
        String(200), default="", info=personal("greeting and contact", "account")
    )
    locale: Mapped[str] = mapped_column(String(5), default="nl")
    # None until an invited person sets a password.
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = created_at_column()
    deactivated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    grants: Mapped[list[RoleGrant]] = relationship(
        back_populates="user",
        foreign_keys="RoleGrant.user_id",
        cascade="all, delete-orphan",
        order_by="RoleGrant.id",
    )

    # Flask-Login protocol. The id stored in the cookie is the key of one AuthSession,
    # so ending that session (logout, password change, deactivation) ends the cookie.
    __allow_unmapped__ = True
    session_key: str | None = None  # set per request; not a column

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str | None:
        return self.session_key

    def __repr__(self) -> str:
        return f"<User {self.id}>"


class RoleGrant(Model):
    """One role of a user, scoped to a hub (coordinator) or an organisation (booker)."""

    __tablename__ = "role_grants"
    __table_args__ = (
        CheckConstraint(
            "(role = 'coordinator' AND hub_id IS NOT NULL AND organisation_id IS NULL)"
            " OR (role = 'booker' AND organisation_id IS NOT NULL AND hub_id IS NULL)"
            " OR (role IN ('manager', 'funder') AND hub_id IS NULL"
            " AND organisation_id IS NULL)",
            name="scope_fits_role",
        ),
        CheckConstraint("NOT is_org_admin OR role = 'booker'", name="admin_is_booker"),
        Index(
            "uq_role_grants_scope",
            "user_id",
            "role",
            func.coalesce("hub_id", 0),
            func.coalesce("organisation_id", 0),
            unique=True,
        ),
        Index("ix_role_grants_hub", "hub_id"),
        Index("ix_role_grants_organisation", "organisation_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    role: Mapped[Role] = mapped_column(str_enum(Role, "role"))
    hub_id: Mapped[int | None] = mapped_column(ForeignKey("hubs.id", ondelete="CASCADE"))
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE")
    )
    # Organisation admins invite and remove colleagues of their own organisation.
    is_org_admin: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = created_at_column()
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(back_populates="grants", foreign_keys=[user_id])
    hub: Mapped[Hub | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()


class AuthSession(Model):
    """A signed-in browser. The cookie holds a random key; only its hash is stored."""

    __tablename__ = "auth_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = created_at_column()
    last_seen_at: Mapped[datetime] = created_at_column()
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()


class ApiToken(Model):
    """A personal API token (``Authorization: Bearer``). Stored hashed; expires; revocable."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # A label the user chooses ("laptop"); it may say whose device it is.
    name: Mapped[str] = mapped_column(
        String(100), info=personal("tell the user's tokens apart", "account")
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = created_at_column()
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()

    def is_usable_at(self, now: datetime) -> bool:
        return self.revoked_at is None and now < self.expires_at


class PasswordReset(Model):
    """A "forgot password" link: single use, expires; only the token's hash is stored."""

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = created_at_column()
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    def is_usable_at(self, now: datetime) -> bool:
        return self.used_at is None and now < self.expires_at
