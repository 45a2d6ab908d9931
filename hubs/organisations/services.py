"""Organisations (with BRIN / KvK checks) and their memberships of hubs."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import false, func, or_, select

from hubs.db import local_today, transactional
from hubs.errors import InvalidInput
from hubs.extensions import db
from hubs.organisations.models import (
    BRIN_BRANCH_RE,
    BRIN_RE,
    KVK_RE,
    SCHOOL_KINDS,
    HolidayRegion,
    Membership,
    Organisation,
    OrganisationKind,
)

FIELDS = ("name", "kind", "brin", "brin_branch", "kvk", "town", "holiday_region")


def _squash(value: Any) -> str:
    """Drop the spaces, dots and dashes people type in codes ("30 12 34 56")."""
    return re.sub(r"[\s.\-]", "", str(value or "")).upper()


def clean_identifiers(kind: OrganisationKind, data: dict[str, Any]) -> dict[str, Any]:
    """BRIN (4 characters, e.g. 14GH) plus branch (2 digits) for schools, KvK (8 digits)
    for companies; a BRIN typed with its branch ("14GH00") is split."""
    brin, branch, kvk = _squash(data.get("brin")), _squash(data.get("brin_branch")), None
    if len(brin) == 6 and not branch:
        brin, branch = brin[:4], brin[4:]
    if brin and not BRIN_RE.match(brin):
        raise InvalidInput(_l("A BRIN number is two digits and two letters, e.g. 14GH."), "brin")
    if branch and not BRIN_BRANCH_RE.match(branch):
        raise InvalidInput(_l("The branch number is two digits, e.g. 00."), "brin_branch")
    if kind in SCHOOL_KINDS and not brin:
        raise InvalidInput(_l("A school needs its BRIN number."), "brin")
    raw_kvk = _squash(data.get("kvk"))
    if raw_kvk:
        if not KVK_RE.match(raw_kvk):
            raise InvalidInput(_l("A KvK number is eight digits."), "kvk")
        kvk = raw_kvk
    if kind == OrganisationKind.COMPANY and not kvk:
        raise InvalidInput(_l("A company needs its KvK number."), "kvk")
    return {"brin": brin or None, "brin_branch": (branch or "00") if brin else None, "kvk": kvk}


def _clean(data: dict[str, Any], except_id: int | None) -> dict[str, Any]:
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise InvalidInput(_l("Unknown field."), sorted(unknown)[0])
    name = (data.get("name") or "").strip()
    if not name:
        raise InvalidInput(_l("Fill in the name."), "name")
    try:
        kind = OrganisationKind(str(data.get("kind")))
    except ValueError:
        raise InvalidInput(_l("Choose the kind of organisation."), "kind") from None
    cleaned: dict[str, Any] = {
        "name": name[:200],
        "kind": kind,
        "town": (data.get("town") or "").strip()[:120],
    }
    cleaned.update(clean_identifiers(kind, data))
    region = data.get("holiday_region") or None
    if kind in SCHOOL_KINDS:
        try:
            cleaned["holiday_region"] = HolidayRegion(region or HolidayRegion.MIDDEN)
        except ValueError:
            raise InvalidInput(_l("Choose noord, midden or zuid."), "holiday_region") from None
    else:
        cleaned["holiday_region"] = None
    _refuse_duplicates(cleaned, except_id)
    return cleaned


def _refuse_duplicates(cleaned: dict[str, Any], except_id: int | None) -> None:
    others = select(Organisation.id)
    if except_id is not None:
        others = others.where(Organisation.id != except_id)
    if cleaned["brin"] and db.session.scalar(
        others.where(
            Organisation.brin == cleaned["brin"],
            Organisation.brin_branch == cleaned["brin_branch"],
        )
    ):
        raise InvalidInput(_l("An organisation with this BRIN number already exists."), "brin")
    if cleaned["kvk"] and db.session.scalar(others.where(Organisation.kvk == cleaned["kvk"])):
        raise InvalidInput(_l("An organisation with this KvK number already exists."), "kvk")


def find_by_identifier(code: str) -> Organisation | None:
    """The organisation with this BRIN (with or without branch) or KvK number."""
    squashed = _squash(code)
    if KVK_RE.match(squashed):
        return db.session.scalar(select(Organisation).where(Organisation.kvk == squashed))
    brin, branch = squashed[:4], squashed[4:] or "00"
    if BRIN_RE.match(brin) and BRIN_BRANCH_RE.match(branch):
        return db.session.scalar(
            select(Organisation).where(
                Organisation.brin == brin, Organisation.brin_branch == branch
            )
        )
    return None


@transactional
def create_organisation(
    data: dict[str, Any], *, member_of: int | None = None, member_since: date | None = None
) -> Organisation:
    """A new organisation; with ``member_of`` it becomes a member of that hub at once."""
    organisation = Organisation(**_clean(data, None))
    db.session.add(organisation)
    db.session.flush()
    if member_of is not None:
        add_membership(organisation.id, member_of, member_since or local_today())
    return organisation


@transactional
def update_organisation(organisation: Organisation, data: dict[str, Any]) -> Organisation:
    """Change an organisation; fields not in ``data`` keep their value."""
    organisation = db.session.merge(organisation)
    current = {name: getattr(organisation, name) for name in FIELDS}
    current = {k: (v.value if hasattr(v, "value") else v) for k, v in current.items()}
    for key, value in _clean({**current, **data}, organisation.id).items():
        setattr(organisation, key, value)
    return organisation


def _check_period(starts_on: date | None, ends_on: date | None) -> None:
    if starts_on is None:
        raise InvalidInput(_l("Fill in the start date."), "starts_on")
    if ends_on is not None and ends_on < starts_on:
        raise InvalidInput(_l("The end date may not be before the start date."), "ends_on")


def _overlapping(
    organisation_id: int, hub_id: int, starts_on: date, ends_on: date | None, except_id: int | None
) -> bool:
    stmt = select(Membership.id).where(
        Membership.organisation_id == organisation_id,
        Membership.hub_id == hub_id,
        or_(Membership.ends_on.is_(None), Membership.ends_on >= starts_on),
    )
    if ends_on is not None:
        stmt = stmt.where(Membership.starts_on <= ends_on)
    if except_id is not None:
        stmt = stmt.where(Membership.id != except_id)
    return db.session.scalar(stmt.limit(1)) is not None


@transactional
def add_membership(
    organisation_id: int, hub_id: int, starts_on: date | None, ends_on: date | None = None
) -> Membership:
    """Make an organisation a member of a hub for a period (open-ended without end)."""
    _check_period(starts_on, ends_on)
    assert starts_on is not None
    if _overlapping(organisation_id, hub_id, starts_on, ends_on, None):
        raise InvalidInput(
            _l("This organisation is already a member of this hub in that period."), "starts_on"
        )
    membership = Membership(
        organisation_id=organisation_id, hub_id=hub_id, starts_on=starts_on, ends_on=ends_on
    )
    db.session.add(membership)
    db.session.flush()
    return membership


@transactional
def update_membership(
    membership: Membership, starts_on: date | None, ends_on: date | None
) -> Membership:
    """Change the period of a membership (end it by giving an end date)."""
    _check_period(starts_on, ends_on)
    assert starts_on is not None
    membership = db.session.merge(membership)
    if _overlapping(
        membership.organisation_id, membership.hub_id, starts_on, ends_on, membership.id
    ):
        raise InvalidInput(
            _l("This organisation is already a member of this hub in that period."), "starts_on"
        )
    membership.starts_on = starts_on
    membership.ends_on = ends_on
    return membership


def search_condition(q: str) -> Any:
    """Name, town, BRIN or KvK contains ``q`` (case-insensitive)."""
    needle = q.strip().lower()
    squashed = _squash(q)
    return or_(
        func.lower(Organisation.name).contains(needle, autoescape=True),
        func.lower(Organisation.town).contains(needle, autoescape=True),
        Organisation.brin.contains(squashed[:4], autoescape=True) if squashed else false(),
        Organisation.kvk.contains(squashed, autoescape=True) if squashed else false(),
    )
