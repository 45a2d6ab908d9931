"""Importing group lists and individual lists: always a dry run first, then all or nothing.

:func:`plan_import` reads a :class:`~hubs.learners.parsing.Table` and says, per row, what
would be created, updated or left unchanged, and every problem as row, column, value and
message. :func:`run_import` commits the plan in one transaction, and only when there is no
problem at all. Natural keys make a re-import of the same file change nothing:
organisation + reference + programme + school year for individuals, organisation + group
name + programme + school year for groups.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from hubs.access import Principal
from hubs.db import transactional, utcnow
from hubs.errors import DomainError, InvalidInput, NotAllowed
from hubs.extensions import db
from hubs.learners import policies
from hubs.learners.counting import current_school_year, school_year_bounds
from hubs.learners.import_rows import (
    TEMPLATE_HEADERS,
    ImportResult,
    Problem,
    RowPlan,
    RowValidator,
    map_columns,
)
from hubs.learners.models import Enrolment, EnrolmentKind, EnrolmentStatus, Learner, Programme
from hubs.learners.parsing import Table
from hubs.learners.services import LearnerInput, learner_values
from hubs.organisations.models import Organisation

__all__ = ["ImportRequest", "ImportResult", "Problem", "RowPlan", "plan_import", "run_import"]


@dataclass
class ImportRequest:
    """Who imports what where: the parameters of an import besides the file."""

    programme_id: int
    organisation_id: int | None
    kind: EnrolmentKind
    school_year: int


def check_request(p: Principal, request: ImportRequest) -> tuple[Programme, Organisation]:
    """The programme and organisation, if the principal may import for them."""
    programme = db.session.get(Programme, request.programme_id)
    if programme is None:
        raise InvalidInput(_l("Unknown programme."), field="programme_id")
    org_id = request.organisation_id
    if org_id is None and len(p.booker_org_ids) == 1 and not p.is_staff:
        (org_id,) = p.booker_org_ids
    organisation = db.session.get(Organisation, org_id) if org_id is not None else None
    if organisation is None:
        raise InvalidInput(_l("Choose the organisation."), field="organisation_id")
    if not policies.can_enrol(p, programme.hub_id, organisation.id):
        raise NotAllowed(_l("You cannot enrol learners of this organisation here."))
    if not programme.active:
        raise InvalidInput(_l("This programme no longer takes enrolments."), field="programme_id")
    start, end = school_year_bounds(request.school_year)
    if not policies.is_member(organisation.id, programme.hub_id, start, end):
        raise InvalidInput(
            _l("This organisation is not a member of the hub in this period."),
            field="organisation_id",
        )
    return programme, organisation


def plan_import(p: Principal, request: ImportRequest, table: Table) -> ImportResult:
    """The dry run: what each row would do, and every problem. Writes nothing."""
    programme, organisation = check_request(p, request)
    result = ImportResult(request.kind, programme, organisation, request.school_year)
    columns = map_columns(table, result)
    if result.problems:
        return result
    validator = RowValidator(result, columns, table.header)
    for number, cells in zip(table.row_numbers, table.rows, strict=True):
        validator.plan_row(number, cells)
    if result.problems:
        return result
    if result.kind == EnrolmentKind.GROUP:
        _compare_groups(result)
    else:
        _compare_individuals(result)
    return result


ENROLMENT_FIELDS = ("category", "level", "leerjaar", "pathway", "starts_on", "ends_on", "status")


def _enrolment_changes(existing: Enrolment | None, values: dict[str, Any]) -> dict[str, Any]:
    fields = {k: values[k] for k in ENROLMENT_FIELDS if k in values}
    if "headcount" in values:
        fields["headcount"] = values["headcount"]
    if "group_id" in values:
        fields["group_id"] = values["group_id"]
    if existing is None:
        return fields
    return {k: v for k, v in fields.items() if getattr(existing, k) != v}


def _existing_groups(result: ImportResult) -> dict[str, Enrolment]:
    rows = db.session.scalars(
        select(Enrolment).where(
            Enrolment.kind == EnrolmentKind.GROUP,
            Enrolment.programme_id == result.programme.id,
            Enrolment.organisation_id == result.organisation.id,
            Enrolment.school_year == result.school_year,
        )
    )
    return {e.group_name or "": e for e in rows}


def _compare_groups(result: ImportResult) -> None:
    existing = _existing_groups(result)
    for plan in result.plans:
        _settle(
            plan, existing.get(plan.key), _enrolment_changes(existing.get(plan.key), plan.values)
        )


def _settle(plan: RowPlan, existing: Enrolment | None, changes: dict[str, Any]) -> None:
    plan.values = changes
    if existing is not None:
        plan.enrolment_id = existing.id
        plan.action = "update" if changes else "unchanged"


def _compare_individuals(result: ImportResult) -> None:
    learners = _existing_learners(result.organisation.id, [p.key for p in result.plans])
    groups = _existing_groups(result)
    enrolments = _existing_enrolments(result, [lr.id for lr in learners.values()])
    for plan in result.plans:
        group_name = plan.values.pop("group", None)
        if group_name is not None:
            group = groups.get(group_name)
            if group is None:
                result.problems.append(
                    Problem(
                        plan.row,
                        TEMPLATE_HEADERS["group_name"],
                        group_name,
                        _l("There is no group with this name in this programme and year."),
                    )
                )
                continue
            plan.values["group_id"] = group.id
        learner = learners.get(plan.key)
        plan.learner_values = _learner_changes(learner, plan.values, result.programme)
        existing = enrolments.get(learner.id) if learner is not None else None
        if learner is not None:
            plan.learner_id = learner.id
        _settle(plan, existing, _enrolment_changes(existing, plan.values))
        if plan.learner_values and plan.action == "unchanged":
            plan.action = "update"
        if learner is not None and learner.is_anonymised:
            result.problems.append(
                Problem(
                    plan.row,
                    TEMPLATE_HEADERS["reference"],
                    plan.key,
                    _l("This learner's data was erased."),
                )
            )
    _check_group_members(result, groups)


def _check_group_members(result: ImportResult, groups: dict[str, Enrolment]) -> None:
    by_id = {g.id: g for g in groups.values()}
    for plan in result.plans:
        group = by_id.get(plan.values.get("group_id") or -1)
        if group is None:
            continue
        if (group.category, group.level) != (plan.values["category"], plan.values["level"]):
            result.problems.append(
                Problem(
                    plan.row,
                    TEMPLATE_HEADERS["group_name"],
                    group.group_name or "",
                    _l("The group has another category or level."),
                )
            )


def _existing_learners(org_id: int, references: list[str]) -> dict[str, Learner]:
    found: dict[str, Learner] = {}
    for start in range(0, len(references), 500):
        chunk = references[start : start + 500]
        for learner in db.session.scalars(
            select(Learner).where(Learner.organisation_id == org_id, Learner.reference.in_(chunk))
        ):
            found[learner.reference] = learner
    return found


def _existing_enrolments(result: ImportResult, learner_ids: list[int]) -> dict[int, Enrolment]:
    found: dict[int, Enrolment] = {}
    for start in range(0, len(learner_ids), 500):
        for enrolment in db.session.scalars(
            select(Enrolment).where(
                Enrolment.programme_id == result.programme.id,
                Enrolment.school_year == result.school_year,
                Enrolment.learner_id.in_(learner_ids[start : start + 500]),
            )
        ):
            assert enrolment.learner_id is not None
            found[enrolment.learner_id] = enrolment
    return found


def _learner_changes(
    learner: Learner | None, values: dict[str, Any], programme: Programme
) -> dict[str, Any]:
    data = LearnerInput(
        reference="-",
        category=values["category"],
        level=values.get("level"),
        leerjaar=values.get("leerjaar"),
        pathway=values.get("pathway"),
        given_name=values.get("given_name"),
        name_prefix=values.get("name_prefix"),
        family_name=values.get("family_name"),
        email=values.get("email"),
    )
    wanted = learner_values(data, programme)
    if learner is None:
        return wanted
    optional = ("given_name", "name_prefix", "family_name", "email")
    return {
        k: v
        for k, v in wanted.items()
        if getattr(learner, k) != v and not (v is None and k in optional)
    }


# --- commit ---------------------------------------------------------------------------------


def run_import(p: Principal, request: ImportRequest, table: Table, commit: bool) -> ImportResult:
    """Dry run (``commit`` false) or the real thing: all rows in one transaction, or none."""
    if not commit:
        return plan_import(p, request, table)
    try:
        return _commit(p, request, table)
    except IntegrityError:
        # Another import of the same rows committed first (PostgreSQL, read committed):
        # this one rolled back whole. Running it again finds those rows unchanged.
        raise DomainError(
            _l("Someone imported these enrolments at the same moment. Please try again.")
        ) from None


@transactional
def _commit(p: Principal, request: ImportRequest, table: Table) -> ImportResult:
    # Planned again inside the write transaction: it sees the latest committed state.
    result = plan_import(p, request, table)
    if not result.ok:
        return result
    now = utcnow()
    for plan in result.plans:
        if plan.action == "unchanged":
            continue
        learner_id = (
            _write_learner(result, plan) if result.kind == EnrolmentKind.INDIVIDUAL else None
        )
        _write_enrolment(result, plan, learner_id, now)
    db.session.flush()
    result.committed = True
    return result


def _write_learner(result: ImportResult, plan: RowPlan) -> int:
    if plan.learner_id is None:
        learner = Learner(
            organisation_id=result.organisation.id, reference=plan.key, **plan.learner_values
        )
        db.session.add(learner)
        db.session.flush()
        plan.learner_id = learner.id
        return learner.id
    if plan.learner_values:
        learner_row = db.session.get(Learner, plan.learner_id)
        assert learner_row is not None
        for key, value in plan.learner_values.items():
            setattr(learner_row, key, value)
    return plan.learner_id


def _write_enrolment(result: ImportResult, plan: RowPlan, learner_id: int | None, now: Any) -> None:
    if plan.enrolment_id is not None:
        if plan.values:
            enrolment = db.session.get(Enrolment, plan.enrolment_id)
            assert enrolment is not None
            for key, value in plan.values.items():
                setattr(enrolment, key, value)
            enrolment.updated_at = now
        return
    start, end = school_year_bounds(result.school_year)
    fields: dict[str, Any] = {
        "starts_on": start,
        "ends_on": end,
        "status": EnrolmentStatus.ENROLLED,
    }
    fields.update(plan.values)
    if result.kind == EnrolmentKind.GROUP:
        fields["group_name"] = plan.key
    else:
        fields["learner_id"] = learner_id
    db.session.add(
        Enrolment(
            kind=result.kind,
            programme_id=result.programme.id,
            organisation_id=result.organisation.id,
            school_year=result.school_year,
            **fields,
        )
    )


def template_rows(kind: EnrolmentKind) -> tuple[list[str], list[list[str]]]:
    """Header and example rows of the downloadable templates."""
    start = f"01-08-{current_school_year()}"
    if kind == EnrolmentKind.GROUP:
        header = [
            TEMPLATE_HEADERS[k]
            for k in ("group_name", "category", "level", "leerjaar", "headcount")
        ]
        return header, [["3K-PIE", "vo", "vmbo-kb", "3", "24"], ["4H-NT", "vo", "havo", "4", "18"]]
    keys = (
        "reference",
        "category",
        "level",
        "leerjaar",
        "pathway",
        "given_name",
        "name_prefix",
        "family_name",
        "starts_on",
    )
    header = [TEMPLATE_HEADERS[k] for k in keys]
    return header, [
        ["000123", "mbo", "mbo-2", "", "bbl", "", "", "", start],
        ["000124", "vo", "vmbo-kb", "3", "", "", "", "", ""],
        ["E-0042", "werkende", "", "", "", "Daniëlle", "van", "Dijk", ""],
    ]
