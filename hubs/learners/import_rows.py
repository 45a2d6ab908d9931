"""Reading the rows of an import: columns recognised, every cell checked, problems listed.

Pure validation against the programme's rules, no database: :mod:`hubs.learners.imports`
compares the valid rows with what is stored and writes them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from flask_babel import lazy_gettext as _l

from hubs.errors import InvalidInput
from hubs.learners import parsing
from hubs.learners.counting import school_year_bounds, school_year_label, school_year_of
from hubs.learners.models import EnrolmentKind, LearnerCategory, Programme
from hubs.learners.parsing import Table, ValueProblem
from hubs.learners.services import MAX_HEADCOUNT, REFERENCE_RE, check_level
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


def map_columns(table: Table, result: ImportResult) -> dict[str, int]:
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


class RowValidator:
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
