"""Importing group lists and individual lists: always a dry run first, then all or nothing.

:func:`plan_import` reads a :class:`~hubs.learners.parsing.Table` and says, per row, what
would be created, updated or left unchanged, and every problem as row, column, value and
message. :func:`run_import` commits the plan in one transaction, and only when there is no
problem at all. Natural keys make a re-import of the same file change nothing:
organisation + reference + programme + school year for individuals, organisation + group
name + programme + school year for groups.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from hubs.access import Principal
from hubs.db import transactional, utcnow
from hubs.errors import DomainError, InvalidInput, NotAllowed
from hubs.extensions import db
from hubs.learners import parsing, policies
from hubs.learners.counting import (
    current_school_year,
    school_year_bounds,
    school_year_label,
    school_year_of,
)
from hubs.learners.models import (
    Enrolment,
    EnrolmentKind,
    EnrolmentStatus,
    Learner,
    LearnerCategory,
    Programme,
)
from hubs.learners.parsing import Table, ValueProblem
from hubs.learners.services import (
    MAX_HEADCOUNT,
    REFERENCE_RE,
    LearnerInput,
    check_level,
    learner_values,
)
from hubs.organisations.models import Organisation

REQUIRED = {
    EnrolmentKind.GROUP: ("group_name", "headcount"),
    EnrolmentKind.INDIVIDUAL: ("reference",),
}
ALLOWED = {
    EnrolmentKind.GROUP: {
        "group_name",
        "headcount",
        "category",
        "level",
        "leerjaar",
        "pathway",
        "starts_on",
        "ends_on",
        "status",
    },
    EnrolmentKind.INDIVIDUAL: {
        "reference",
        "category",
        "level",
        "leerjaar",
        "pathway",
        "given_name",
        "name_prefix",
        "family_name",
        "email",
        "group_name",
        "starts_on",
        "ends_on",
        "status",
    },
}
NAME_COLUMNS = ("given_name", "name_prefix", "family_name")
# The column names the templates use, and problems name when a column is missing.
TEMPLATE_HEADERS = {
    "group_name": "Groep",
    "headcount": "Aantal",
    "category": "Categorie",
    "level": "Niveau",
    "leerjaar": "Leerjaar",
    "pathway": "Leerweg mbo",
    "reference": "Leerlingnummer",
    "given_name": "Roepnaam",
    "name_prefix": "Tussenvoegsel",
    "family_name": "Achternaam",
    "email": "E-mailadres",
    "starts_on": "Begindatum",
    "ends_on": "Einddatum",
    "status": "Status",
}


@dataclass
class Problem:
    """One thing wrong in the file: where (spreadsheet row and column) and why."""

    row: int | None
    column: str | None
    value: str
    message: Any

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": str(self.message),
        }


@dataclass
class RowPlan:
    """What one row would do: ``create``, ``update`` or ``unchanged``."""

    row: int
    action: str
    key: str
    summary: str
    values: dict[str, Any] = field(default_factory=dict)
    enrolment_id: int | None = None
    learner_id: int | None = None
    learner_values: dict[str, Any] = field(default_factory=dict)


@dataclass
class ImportResult:
    """The dry run (or the outcome) of one import."""

    kind: EnrolmentKind
    programme: Programme
    organisation: Organisation
    school_year: int
    plans: list[RowPlan] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    notices: list[Any] = field(default_factory=list)
    committed: bool = False

    def counted(self, action: str) -> int:
        return sum(1 for plan in self.plans if plan.action == action)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "programme_id": self.programme.id,
            "organisation_id": self.organisation.id,
            "school_year": self.school_year,
            "rows": len(self.plans),
            "created": self.counted("create"),
            "updated": self.counted("update"),
            "unchanged": self.counted("unchanged"),
        }


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
    columns = _map_columns(table, result)
    if result.problems:
        return result
    planner = _Planner(result, columns, table.header)
    for number, cells in zip(table.row_numbers, table.rows, strict=True):
        planner.plan_row(number, cells)
    planner.compare_with_database()
    return result


def _map_columns(table: Table, result: ImportResult) -> dict[str, int]:
    columns: dict[str, int] = {}
    allowed = ALLOWED[result.kind]
    for index, header in enumerate(table.header):
        key = parsing.column_key(header)
        if key is None or key not in allowed:
            if header:
                result.ignored_columns.append(header)
            continue
        if key in columns:
            result.problems.append(
                Problem(1, header, header, _l("Two columns hold the same information."))
            )
            continue
        columns[key] = index
    for key in REQUIRED[result.kind]:
        if key not in columns:
            result.problems.append(
                Problem(
                    1,
                    TEMPLATE_HEADERS[key],
                    "",
                    _l("The column is missing. Use the template's column names."),
                )
            )
    names_given = result.kind == EnrolmentKind.INDIVIDUAL and set(NAME_COLUMNS) & set(columns)
    if names_given and not result.programme.records_pupil_names:
        result.notices.append(_l("Names of pupils and students are not stored for this programme."))
    return columns


class _Planner:
    """Validates rows one by one, then compares the valid ones with the database."""

    def __init__(self, result: ImportResult, columns: dict[str, int], header: list[str]) -> None:
        self.result = result
        self.columns = columns
        self.header = header
        self.seen: dict[str, int] = {}
        self.start, self.end = school_year_bounds(result.school_year)

    def cell(self, cells: list[str], key: str) -> str:
        index = self.columns.get(key)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    def problem(self, row: int, key: str, value: str, message: Any) -> None:
        index = self.columns.get(key)
        header = TEMPLATE_HEADERS.get(key, key)
        if index is not None:
            header = self.header[index] or header
        self.result.problems.append(Problem(row, header, value[:100], message))

    def parse(
        self, row: int, cells: list[str], key: str, parser: Callable[[str], Any], required: bool
    ) -> Any:
        value = self.cell(cells, key)
        if not value:
            if required:
                self.problem(row, key, value, _l("This cell is empty."))
            return None
        try:
            return parser(value)
        except ValueProblem as exc:
            self.problem(row, key, value, exc.message)
            return None

    def plan_row(self, row: int, cells: list[str]) -> None:
        before = len(self.result.problems)
        values = self._common(row, cells)
        if self.result.kind == EnrolmentKind.GROUP:
            key = self._group(row, cells, values)
        else:
            key = self._individual(row, cells, values)
        if len(self.result.problems) > before or key is None:
            return
        if key in self.seen:
            self.problem(
                row,
                "group_name" if self.result.kind == EnrolmentKind.GROUP else "reference",
                key,
                _l("This row repeats row %(row)d.", row=self.seen[key]),
            )
            return
        self.seen[key] = row
        self.result.plans.append(RowPlan(row, "create", key, _summary(values), values))

    def _common(self, row: int, cells: list[str]) -> dict[str, Any]:
        r = self.result
        values: dict[str, Any] = {}
        category = self.parse(row, cells, "category", parsing.parse_category, False)
        level_text = self.cell(cells, "level")
        parts = (
            self.parse(row, cells, "level", lambda t: parsing.parse_level(t, category), False)
            or parsing.LevelParts()
        )
        if category is None:
            category = _default_category(r.programme, parts, level_text)
            if category is None and not any(p.row == row for p in r.problems):
                self.problem(row, "category", "", _l("Give the category (vo, mbo, ...)."))
                return values
        if category is None:
            return values
        leerjaar = self.parse(row, cells, "leerjaar", parsing.parse_leerjaar, False)
        pathway = self.parse(row, cells, "pathway", parsing.parse_pathway, False)
        if leerjaar is not None and parts.leerjaar not in (None, leerjaar):
            self.problem(row, "leerjaar", str(leerjaar), _l("The level names another year."))
        values.update(
            category=category,
            level=parts.level,
            leerjaar=leerjaar if leerjaar is not None else parts.leerjaar,
            pathway=pathway or parts.pathway,
        )
        if not r.programme.serves(category):
            self.problem(
                row, "category", category.value, _l("This programme does not serve this category.")
            )
            return values
        try:
            check_level(category, values["level"], values["leerjaar"], values["pathway"])
        except InvalidInput as exc:
            self.problem(row, "level", level_text, exc.message)
        self._dates_and_status(row, cells, values)
        return values

    def _dates_and_status(self, row: int, cells: list[str], values: dict[str, Any]) -> None:
        starts_on = self.parse(row, cells, "starts_on", parsing.parse_date, False)
        ends_on = self.parse(row, cells, "ends_on", parsing.parse_date, False)
        status = self.parse(row, cells, "status", parsing.parse_status, False)
        if starts_on is not None and school_year_of(starts_on) != self.result.school_year:
            self.problem(
                row,
                "starts_on",
                self.cell(cells, "starts_on"),
                _l(
                    "The start date lies outside school year %(year)s.",
                    year=school_year_label(self.result.school_year),
                ),
            )
        start = starts_on or self.start
        if ends_on is not None and ends_on < start:
            self.problem(
                row,
                "ends_on",
                self.cell(cells, "ends_on"),
                _l("The end date lies before the start date."),
            )
        for key, value in (("starts_on", starts_on), ("ends_on", ends_on), ("status", status)):
            if value is not None:
                values[key] = value

    def _group(self, row: int, cells: list[str], values: dict[str, Any]) -> str | None:
        name = self.parse(row, cells, "group_name", lambda t: parsing.parse_name(t, 60), True)
        headcount = self.parse(row, cells, "headcount", parsing.parse_headcount, True)
        if headcount is not None and not 1 <= headcount <= MAX_HEADCOUNT:
            self.problem(
                row,
                "headcount",
                str(headcount),
                _l("The number of learners is between 1 and %(n)d.", n=MAX_HEADCOUNT),
            )
        values.update(group_name=name, headcount=headcount)
        return name

    def _individual(self, row: int, cells: list[str], values: dict[str, Any]) -> str | None:
        reference = self.parse(row, cells, "reference", _parse_reference, True)
        for key, limit in (("given_name", 80), ("name_prefix", 20), ("family_name", 80)):
            values[key] = self.parse(
                row, cells, key, partial(parsing.parse_name, limit=limit), False
            )
        if values.get("category") == LearnerCategory.EMPLOYEE:
            values["email"] = self.parse(row, cells, "email", parsing.parse_email, False)
        group = self.parse(row, cells, "group_name", lambda t: parsing.parse_name(t, 60), False)
        if group:
            values["group"] = group
        values["reference"] = reference
        return reference

    def compare_with_database(self) -> None:
        if self.result.problems:
            return
        if self.result.kind == EnrolmentKind.GROUP:
            _compare_groups(self.result)
        else:
            _compare_individuals(self.result)


def _parse_reference(text: str) -> str:
    value = text.strip()
    if len(value) > 40 or not REFERENCE_RE.match(value):
        raise ValueProblem(_l("A reference has up to 40 letters, digits, dots, dashes or slashes."))
    return value


def _default_category(
    programme: Programme, parts: parsing.LevelParts, level_text: str
) -> LearnerCategory | None:
    if parts.level is not None:
        return parts.level.category
    if parts.pathway is not None:
        return LearnerCategory.MBO
    served = programme.categories
    return served[0] if len(served) == 1 else None


def _summary(values: dict[str, Any]) -> str:
    bits = [values["category"].label] if values.get("category") else []
    if values.get("level"):
        bits.append(values["level"].label)
    if values.get("leerjaar"):
        bits.append(str(_l("year %(n)d", n=values["leerjaar"])))
    if values.get("pathway"):
        bits.append(values["pathway"].value.upper())
    if values.get("headcount"):
        bits.append(str(_l("%(n)d learners", n=values["headcount"])))
    return ", ".join(str(b) for b in bits)


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
