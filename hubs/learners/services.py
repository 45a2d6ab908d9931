"""Use cases: learners and enrolments (programmes and funding sources: programmes.py).

The import of school exports is in :mod:`hubs.learners.imports`, privacy requests in
:mod:`hubs.learners.privacy`. Every function that writes runs in one unit of work.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from hubs.access import Principal
from hubs.db import transactional, utcnow
from hubs.errors import DomainError, InvalidInput, NotAllowed
from hubs.extensions import db
from hubs.learners import policies
from hubs.learners.counting import current_school_year, school_year_bounds, school_year_of
from hubs.learners.models import (
    Enrolment,
    EnrolmentKind,
    EnrolmentStatus,
    Learner,
    LearnerCategory,
    Level,
    Pathway,
    Programme,
)
from hubs.organisations.models import Organisation

MAX_HEADCOUNT = 500
# An organisation's reference: pupil, student or employee number (text: leading zeros).
REFERENCE_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._/-]*$")
CREBO_LENGTH = 5


# --- learners -----------------------------------------------------------------------------


@dataclass
class LearnerInput:
    """A learner as an organisation knows them. Names only where the programme keeps them."""

    reference: str
    category: LearnerCategory
    level: Level | None = None
    leerjaar: int | None = None
    pathway: Pathway | None = None
    given_name: str | None = None
    name_prefix: str | None = None
    family_name: str | None = None
    email: str | None = None


def check_level(
    category: LearnerCategory, level: Level | None, leerjaar: int | None, pathway: Pathway | None
) -> None:
    """Refuse a level, year of study or pathway that does not fit the category."""
    if level is not None and level.category != category:
        raise InvalidInput(_l("This level does not fit the learner category."), field="level")
    if category in (LearnerCategory.EMPLOYEE, LearnerCategory.OTHER) and level is not None:
        raise InvalidInput(_l("Employees and others have no school level."), field="level")
    if leerjaar is not None:
        if category != LearnerCategory.VO:
            raise InvalidInput(_l("Only VO pupils have a year of study."), field="leerjaar")
        top = level.max_leerjaar if level is not None else 6
        if not 1 <= leerjaar <= top:
            raise InvalidInput(
                _l("The year of study is between 1 and %(n)d.", n=top), field="leerjaar"
            )
    if pathway is not None and category != LearnerCategory.MBO:
        raise InvalidInput(_l("Only MBO students have a BOL/BBL pathway."), field="pathway")


def learner_values(data: LearnerInput, programme: Programme) -> dict[str, Any]:
    """The columns to store: names and e-mail only where the programme keeps them."""
    keep_names = programme.records_names_of(data.category)
    is_employee = data.category == LearnerCategory.EMPLOYEE
    return {
        "category": data.category,
        "level": data.level,
        "leerjaar": data.leerjaar,
        "pathway": data.pathway,
        "given_name": (data.given_name or None) if keep_names else None,
        "name_prefix": (data.name_prefix or None) if keep_names else None,
        "family_name": (data.family_name or None) if keep_names else None,
        "email": (data.email or None) if is_employee else None,
    }


def find_learner(organisation_id: int, reference: str) -> Learner | None:
    return db.session.scalar(
        select(Learner).where(
            Learner.organisation_id == organisation_id, Learner.reference == reference
        )
    )


def upsert_learner(organisation_id: int, data: LearnerInput, programme: Programme) -> Learner:
    """The learner with this reference at the organisation, created or brought up to date.

    Names already kept are not removed by a list without them.
    """
    values = learner_values(data, programme)
    learner = find_learner(organisation_id, data.reference)
    if learner is None:
        learner = Learner(organisation_id=organisation_id, reference=data.reference, **values)
        db.session.add(learner)
        db.session.flush()
        return learner
    for key, value in values.items():
        if value is None and key in ("given_name", "name_prefix", "family_name", "email"):
            continue
        if getattr(learner, key) != value:
            setattr(learner, key, value)
    return learner


# --- enrolments ---------------------------------------------------------------------------


@dataclass
class EnrolmentInput:
    """Fields of a new enrolment; dates default to the school year."""

    organisation_id: int | None = None
    category: LearnerCategory | None = None
    level: Level | None = None
    leerjaar: int | None = None
    pathway: Pathway | None = None
    group_name: str | None = None
    headcount: int | None = None
    learner: LearnerInput | None = None
    learner_id: int | None = None
    group_id: int | None = None
    school_year: int | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    status: EnrolmentStatus = EnrolmentStatus.ENROLLED
    note: str = ""


def resolve_dates(
    school_year: int | None, starts_on: date | None, ends_on: date | None
) -> tuple[int, date, date]:
    """School year and dates of an enrolment; the school year's bounds by default."""
    if starts_on is not None:
        year = school_year_of(starts_on)
        if school_year is not None and school_year != year:
            raise InvalidInput(
                _l("The start date lies outside the chosen school year."), field="starts_on"
            )
    else:
        year = school_year if school_year is not None else current_school_year()
        starts_on = school_year_bounds(year)[0]
    ends_on = ends_on or school_year_bounds(year)[1]
    if ends_on < starts_on:
        raise InvalidInput(_l("The end date lies before the start date."), field="ends_on")
    return year, starts_on, ends_on


def _programme_for_enrolment(p: Principal, programme_id: int, org_id: int | None) -> Programme:
    programme = db.session.get(Programme, programme_id)
    if programme is None:
        raise InvalidInput(_l("Unknown programme."), field="programme_id")
    if org_id is None or db.session.get(Organisation, org_id) is None:
        raise InvalidInput(_l("Choose the organisation."), field="organisation_id")
    if not policies.can_enrol(p, programme.hub_id, org_id):
        raise NotAllowed(_l("You cannot enrol learners of this organisation here."))
    if not programme.active:
        raise InvalidInput(_l("This programme no longer takes enrolments."), field="programme_id")
    return programme


def _check_fits(programme: Programme, org_id: int, data: EnrolmentInput) -> None:
    assert data.category is not None and data.starts_on and data.ends_on
    if not programme.serves(data.category):
        raise InvalidInput(_l("This programme does not serve this learner category."), "category")
    check_level(data.category, data.level, data.leerjaar, data.pathway)
    if not policies.is_member(org_id, programme.hub_id, data.starts_on, data.ends_on):
        raise InvalidInput(
            _l("This organisation is not a member of the hub in this period."),
            field="organisation_id",
        )


@transactional
def enrol_group(p: Principal, programme_id: int, data: EnrolmentInput) -> Enrolment:
    """Enrol a group (a class, a team): a name and a headcount, no personal data."""
    programme = _programme_for_enrolment(p, programme_id, data.organisation_id)
    assert data.organisation_id is not None
    data.school_year, data.starts_on, data.ends_on = resolve_dates(
        data.school_year, data.starts_on, data.ends_on
    )
    if data.category is None:
        raise InvalidInput(_l("Choose the learner category."), field="category")
    name = (data.group_name or "").strip()
    if not name or len(name) > 60:
        raise InvalidInput(_l("Give a group name of at most 60 characters."), "group_name")
    if data.headcount is None or not 1 <= data.headcount <= MAX_HEADCOUNT:
        raise InvalidInput(
            _l("The number of learners is between 1 and %(n)d.", n=MAX_HEADCOUNT), "headcount"
        )
    _check_fits(programme, data.organisation_id, data)
    enrolment = Enrolment(
        kind=EnrolmentKind.GROUP,
        programme_id=programme.id,
        organisation_id=data.organisation_id,
        school_year=data.school_year,
        group_name=name,
        headcount=data.headcount,
        category=data.category,
        level=data.level,
        leerjaar=data.leerjaar,
        pathway=data.pathway,
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        status=data.status,
        note=data.note.strip(),
    )
    return _insert(enrolment)


def _insert(enrolment: Enrolment) -> Enrolment:
    taken = _natural_key_taken(enrolment)
    if taken:
        raise DomainError(
            _l("This enrolment already exists for this programme and school year."),
            field="group_name" if enrolment.is_group else "reference",
        )
    db.session.add(enrolment)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        raise DomainError(
            _l("This enrolment already exists for this programme and school year.")
        ) from None
    return enrolment


def _natural_key_taken(enrolment: Enrolment) -> bool:
    stmt = select(Enrolment.id).where(
        Enrolment.programme_id == enrolment.programme_id,
        Enrolment.school_year == enrolment.school_year,
    )
    if enrolment.is_group:
        stmt = stmt.where(
            Enrolment.organisation_id == enrolment.organisation_id,
            Enrolment.group_name == enrolment.group_name,
        )
    else:
        stmt = stmt.where(Enrolment.learner_id == enrolment.learner_id)
    return db.session.scalar(stmt) is not None


def check_group_membership(group: Enrolment | None, individual: Enrolment) -> None:
    """An individual may belong to a group of the same programme, organisation and level."""
    if group is None or not group.is_group:
        raise InvalidInput(_l("Unknown group enrolment."), field="group_id")
    same = (
        group.programme_id == individual.programme_id
        and group.organisation_id == individual.organisation_id
        and group.school_year == individual.school_year
        and group.category == individual.category
        and group.level == individual.level
    )
    if not same:
        raise InvalidInput(
            _l(
                "The group must be of the same programme, organisation, school year, "
                "category and level."
            ),
            field="group_id",
        )


@transactional
def enrol_individual(p: Principal, programme_id: int, data: EnrolmentInput) -> Enrolment:
    """Enrol one learner: an existing one (``learner_id``) or one found or created by the
    organisation's reference (``learner``)."""
    existing = _existing_learner(data)
    programme = _programme_for_enrolment(p, programme_id, data.organisation_id)
    assert data.organisation_id is not None
    data.school_year, data.starts_on, data.ends_on = resolve_dates(
        data.school_year, data.starts_on, data.ends_on
    )
    source: Learner | LearnerInput | None = existing or data.learner
    if source is None:
        raise InvalidInput(_l("Give the learner."), field="learner")
    data.category, data.level = source.category, source.level
    data.leerjaar, data.pathway = source.leerjaar, source.pathway
    _check_fits(programme, data.organisation_id, data)
    learner = existing or upsert_learner(data.organisation_id, _checked(data.learner), programme)
    enrolment = Enrolment(
        kind=EnrolmentKind.INDIVIDUAL,
        programme_id=programme.id,
        organisation_id=data.organisation_id,
        school_year=data.school_year,
        learner_id=learner.id,
        category=data.category,
        level=data.level,
        leerjaar=data.leerjaar,
        pathway=data.pathway,
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        status=data.status,
        note=data.note.strip(),
    )
    if data.group_id is not None:
        check_group_membership(db.session.get(Enrolment, data.group_id), enrolment)
        enrolment.group_id = data.group_id
    return _insert(enrolment)


def _existing_learner(data: EnrolmentInput) -> Learner | None:
    if data.learner_id is None:
        return None
    learner = db.session.get(Learner, data.learner_id)
    if learner is None:
        raise InvalidInput(_l("Unknown learner."), field="learner_id")
    if learner.is_anonymised:
        raise InvalidInput(_l("This learner's data was erased."), field="learner_id")
    data.organisation_id = learner.organisation_id
    return learner


def _checked(data: LearnerInput | None) -> LearnerInput:
    assert data is not None
    check_reference(data.reference)
    return data


def check_reference(reference: str) -> None:
    if not reference or len(reference) > 40 or not REFERENCE_RE.match(reference):
        raise InvalidInput(
            _l("A reference has up to 40 letters, digits, dots, dashes or slashes."),
            field="reference",
        )


@dataclass
class EnrolmentChanges:
    """What may change on an enrolment (None: unchanged)."""

    status: EnrolmentStatus | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    headcount: int | None = None
    group_name: str | None = None
    level: Level | None = None
    leerjaar: int | None = None
    note: str | None = None


@transactional
def update_enrolment(p: Principal, enrolment_id: int, changes: EnrolmentChanges) -> Enrolment:
    """Change status, dates (within the school year), headcount, level or note."""
    enrolment = db.session.get(Enrolment, enrolment_id)
    if enrolment is None:
        raise DomainError(_l("The enrolment no longer exists."))
    if not policies.can_change_enrolment(p, enrolment):
        raise NotAllowed(_l("You cannot change this enrolment."))
    starts_on = changes.starts_on or enrolment.starts_on
    ends_on = changes.ends_on or enrolment.ends_on
    if school_year_of(starts_on) != enrolment.school_year:
        raise InvalidInput(_l("The start date must stay in the same school year."), "starts_on")
    if ends_on < starts_on:
        raise InvalidInput(_l("The end date lies before the start date."), field="ends_on")
    _apply_enrolment_changes(enrolment, changes, starts_on, ends_on)
    enrolment.updated_at = utcnow()
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        raise DomainError(_l("This group name is already used this school year.")) from None
    return enrolment


def _apply_enrolment_changes(
    enrolment: Enrolment, changes: EnrolmentChanges, starts_on: date, ends_on: date
) -> None:
    if enrolment.is_group:
        if changes.headcount is not None:
            if not 1 <= changes.headcount <= MAX_HEADCOUNT:
                raise InvalidInput(
                    _l("The number of learners is between 1 and %(n)d.", n=MAX_HEADCOUNT),
                    "headcount",
                )
            enrolment.headcount = changes.headcount
        if changes.group_name is not None:
            name = changes.group_name.strip()
            if not name or len(name) > 60:
                raise InvalidInput(_l("Give a group name of at most 60 characters."), "group_name")
            enrolment.group_name = name
    elif changes.headcount is not None or changes.group_name is not None:
        raise InvalidInput(_l("Only group enrolments have a headcount."), field="headcount")
    if changes.level is not None or changes.leerjaar is not None:
        level = changes.level if changes.level is not None else enrolment.level
        leerjaar = changes.leerjaar if changes.leerjaar is not None else enrolment.leerjaar
        check_level(enrolment.category, level, leerjaar, enrolment.pathway)
        enrolment.level, enrolment.leerjaar = level, leerjaar
    if changes.status is not None:
        enrolment.status = changes.status
    if changes.note is not None:
        enrolment.note = changes.note.strip()
    enrolment.starts_on, enrolment.ends_on = starts_on, ends_on
