"""Who may see and do what: the one place that decides.

A :class:`Principal` summarises a user's role grants. Each model that a route or API
endpoint looks up by id registers a *visibility scope*: a SQL criterion, given a
principal, that selects the rows that principal may see (see the ``policies.py`` of each
feature). Views never filter by hand; they call :func:`get_or_404` or
:func:`select_visible`, so a row outside the scope is a 404 everywhere, and
:func:`require` turns a missing permission on a visible object into a 403.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from flask import abort, g
from flask_login import current_user
from sqlalchemy import ColumnElement, Select, false, select

from hubs.extensions import db

M = TypeVar("M")
Scope = Callable[["Principal"], ColumnElement[bool]]

_scopes: dict[type, Scope] = {}


@dataclass(frozen=True)
class Principal:
    """The rights of one user (or of an anonymous visitor), computed from role grants."""

    user_id: int | None = None
    is_manager: bool = False
    coordinator_hub_ids: frozenset[int] = frozenset()
    booker_org_ids: frozenset[int] = frozenset()
    admin_org_ids: frozenset[int] = frozenset()
    is_funder: bool = False
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    @property
    def is_coordinator(self) -> bool:
        return bool(self.coordinator_hub_ids)

    @property
    def is_booker(self) -> bool:
        return bool(self.booker_org_ids)

    @property
    def is_staff(self) -> bool:
        """Programme manager or coordinator: runs hubs."""
        return self.is_manager or self.is_coordinator

    def coordinates(self, hub_id: int | None) -> bool:
        """May run this hub (its resources, calendar, members)."""
        return self.is_manager or (hub_id is not None and hub_id in self.coordinator_hub_ids)

    def books_for(self, organisation_id: int | None) -> bool:
        """Is a booker of this organisation."""
        return organisation_id is not None and organisation_id in self.booker_org_ids

    def administers(self, organisation_id: int | None) -> bool:
        """Is an organisation admin (invites and removes colleagues)."""
        return organisation_id is not None and organisation_id in self.admin_org_ids


ANONYMOUS = Principal()


def principal_for(user: Any) -> Principal:
    """Summarise the grants of ``user`` (a User, or Flask-Login's anonymous user)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    from hubs.accounts.models import Role

    hubs: set[int] = set()
    orgs: set[int] = set()
    admin: set[int] = set()
    manager = funder = False
    for grant in user.grants:
        if grant.role == Role.MANAGER:
            manager = True
        elif grant.role == Role.COORDINATOR and grant.hub_id is not None:
            hubs.add(grant.hub_id)
        elif grant.role == Role.BOOKER and grant.organisation_id is not None:
            orgs.add(grant.organisation_id)
            if grant.is_org_admin:
                admin.add(grant.organisation_id)
        elif grant.role == Role.FUNDER:
            funder = True
    return Principal(
        user_id=user.id,
        is_manager=manager,
        coordinator_hub_ids=frozenset(hubs),
        booker_org_ids=frozenset(orgs),
        admin_org_ids=frozenset(admin),
        is_funder=funder,
    )


def current_principal() -> Principal:
    """The principal of the current request (cached for the request)."""
    if "principal" not in g:
        g.principal = principal_for(current_user._get_current_object())
    principal: Principal = g.principal
    return principal


def scope(model: type) -> Callable[[Scope], Scope]:
    """Register the visibility scope of ``model``: ``@scope(Booking) def _(p): ...``."""

    def register(fn: Scope) -> Scope:
        _scopes[model] = fn
        return fn

    return register


def visible(model: type, principal: Principal | None = None) -> ColumnElement[bool]:
    """The SQL criterion selecting the rows of ``model`` the principal may see."""
    p = principal or current_principal()
    if not p.is_authenticated:
        return false()
    try:
        return _scopes[model](p)
    except KeyError:
        raise LookupError(f"no visibility scope registered for {model.__name__}") from None


def has_scope(model: type) -> bool:
    return model in _scopes


def select_visible(model: type[M], principal: Principal | None = None) -> Select[Any]:
    """``SELECT model WHERE <visible to principal>``, ready for more filters."""
    return select(model).where(visible(model, principal))


def get_or_404(model: type[M], ident: Any, principal: Principal | None = None) -> M:
    """The row with this id if the principal may see it, else 404 (existence not revealed)."""
    pk = model.id  # type: ignore[attr-defined]
    obj: M | None = db.session.scalar(select_visible(model, principal).where(pk == ident))
    if obj is None:
        abort(404)
    return obj


def require(allowed: bool) -> None:
    """Abort with 403 unless ``allowed`` (for an object the user may see but not change)."""
    if not allowed:
        abort(403)
