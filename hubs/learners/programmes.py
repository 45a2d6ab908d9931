"""Use cases: funding sources and programmes (the other learners use cases: services.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from hubs.access import Principal
from hubs.db import transactional
from hubs.errors import DomainError, InvalidInput, NotAllowed
from hubs.extensions import db
from hubs.learners import policies
from hubs.learners.models import FundingSource, LearnerCategory, Programme
from hubs.locations.models import Hub

CREBO_LENGTH = 5


@transactional
def add_funding_source(p: Principal, name: str) -> FundingSource:
    """Add a funding source to the list programme managers maintain."""
    if not policies.can_manage_funding_sources(p):
        raise NotAllowed(_l("Only programme managers maintain the funding sources."))
    name = name.strip()
    if not name or len(name) > 120:
        raise InvalidInput(_l("Give a name of at most 120 characters."), field="name")
    exists = db.session.scalar(
        select(FundingSource.id).where(func.lower(FundingSource.name) == name.lower())
    )
    if exists is not None:
        raise InvalidInput(_l("This funding source is already on the list."), field="name")
    source = FundingSource(name=name)
    db.session.add(source)
    db.session.flush()
    return source


@dataclass
class ProgrammeInput:
    """What a programme form or API call gives (None: leave unchanged on update)."""

    name: str | None = None
    description: str | None = None
    categories: list[str] | None = None
    crebo: str | None = None
    funding_source_ids: list[int] | None = None
    records_pupil_names: bool | None = None
    active: bool | None = None
    given: set[str] = field(default_factory=set)


def _check_programme(data: ProgrammeInput, creating: bool) -> None:
    if creating or data.name is not None:
        name = (data.name or "").strip()
        if not name or len(name) > 120:
            raise InvalidInput(_l("Give a name of at most 120 characters."), field="name")
        data.name = name
    if creating or data.categories is not None:
        if not data.categories:
            raise InvalidInput(_l("Choose at least one learner category."), field="categories")
        try:
            data.categories = [LearnerCategory(c).value for c in data.categories]
        except ValueError:
            raise InvalidInput(_l("Unknown learner category."), field="categories") from None
    if data.crebo is not None:
        data.crebo = data.crebo.strip() or None
        if data.crebo is not None and not (
            data.crebo.isdigit() and len(data.crebo) == CREBO_LENGTH
        ):
            raise InvalidInput(_l("A crebo code has five digits."), field="crebo")


def _funding_sources(ids: list[int]) -> list[FundingSource]:
    sources = list(db.session.scalars(select(FundingSource).where(FundingSource.id.in_(ids))))
    if len(sources) != len(set(ids)):
        raise InvalidInput(_l("Unknown funding source."), field="funding_source_ids")
    return sources


def _apply_programme(programme: Programme, data: ProgrammeInput) -> None:
    if data.name is not None:
        programme.name = data.name
    if data.description is not None:
        programme.description = data.description.strip()
    if data.categories is not None:
        for category in LearnerCategory:
            setattr(programme, f"serves_{category.value}", category.value in data.categories)
    if "crebo" in data.given or data.crebo is not None:
        programme.crebo = data.crebo
    if data.funding_source_ids is not None:
        programme.funding_sources = _funding_sources(data.funding_source_ids)
    if data.records_pupil_names is not None:
        programme.records_pupil_names = data.records_pupil_names
    if data.active is not None:
        programme.active = data.active


def _name_taken(hub_id: int, name: str, programme_id: int | None = None) -> bool:
    stmt = select(Programme.id).where(
        Programme.hub_id == hub_id, func.lower(Programme.name) == name.lower()
    )
    if programme_id is not None:
        stmt = stmt.where(Programme.id != programme_id)
    return db.session.scalar(stmt) is not None


@transactional
def create_programme(p: Principal, hub_id: int, data: ProgrammeInput) -> Programme:
    """Add a programme to a hub (coordinators of the hub, programme managers)."""
    if db.session.get(Hub, hub_id) is None:
        raise InvalidInput(_l("Unknown hub."), field="hub_id")
    if not policies.can_manage_programme(p, hub_id):
        raise NotAllowed(_l("Only the hub's coordinators can add programmes."))
    _check_programme(data, creating=True)
    assert data.name is not None
    if _name_taken(hub_id, data.name):
        raise InvalidInput(_l("This hub already has a programme with this name."), field="name")
    programme = Programme(hub_id=hub_id, name=data.name)
    _apply_programme(programme, data)
    db.session.add(programme)
    db.session.flush()
    return programme


@transactional
def update_programme(p: Principal, programme_id: int, data: ProgrammeInput) -> Programme:
    """Change a programme's name, categories, crebo code, funding or name policy."""
    programme = db.session.get(Programme, programme_id)
    if programme is None:
        raise DomainError(_l("The programme no longer exists."))
    if not policies.can_manage_programme(p, programme.hub_id):
        raise NotAllowed(_l("Only the hub's coordinators can change programmes."))
    _check_programme(data, creating=False)
    if data.name is not None and _name_taken(programme.hub_id, data.name, programme.id):
        raise InvalidInput(_l("This hub already has a programme with this name."), field="name")
    _apply_programme(programme, data)
    db.session.flush()
    return programme
