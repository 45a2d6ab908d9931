"""How learners are counted: the one rule every page, report and export uses.

See "How learners are counted" in the domain notes. In short, for a *period* (a school
year 1 Aug Y – 31 Jul Y+1, or a calendar year), optionally narrowed to a *reference date*
(peildatum, by default 1 October):

- **participants** = every individual learner with at least one enrolment active in the
  period, counted once per cell, plus the headcount of every group enrolment active in it.
  An individual enrolment that belongs to a group enrolment active in the period is not
  counted again: the group's headcount includes them.
- **enrolments** = enrolment records active in the period, groups weighted by their
  headcount (individuals belonging to a counted group are left out for the same reason).

"Active" means the enrolment's dates overlap the period (both ends inclusive), or with a
reference date, that the date lies within them. The status does not matter: a student
who stopped in March did take part that year; the end date says until when.

Counts are computed by the database in one aggregate query (several groupings at once
with :func:`count_many`), per cell of the requested dimensions (hub, programme, organisation, category, level). An individual is counted once
*per cell*: a learner in two programmes counts once in each programme and once in the
hub's total when counted ``by=("hub",)``. Groups are anonymous, so the same pupil in two
groups of different programmes cannot be deduplicated; reports must say so.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    ColumnElement,
    and_,
    case,
    exists,
    func,
    literal,
    literal_column,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import aliased

from hubs.db import utcnow
from hubs.extensions import db
from hubs.learners.models import (
    Enrolment,
    EnrolmentKind,
    LearnerCategory,
    Level,
    Programme,
)

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


class Basis(StrEnum):
    SCHOOL_YEAR = "school_year"
    CALENDAR_YEAR = "calendar_year"


def school_year_of(day: date) -> int:
    """The school year a date falls in, named by the year of its 1 August."""
    return day.year if day.month >= 8 else day.year - 1


def school_year_bounds(year: int) -> tuple[date, date]:
    """First and last day of school year ``year`` (1 August – 31 July, inclusive)."""
    return date(year, 8, 1), date(year + 1, 7, 31)


def current_school_year() -> int:
    """The school year of today in the Netherlands."""
    return school_year_of(utcnow().astimezone(AMSTERDAM).date())


def school_year_label(year: int) -> str:
    """``2021/22``."""
    return f"{year}/{(year + 1) % 100:02d}"


@dataclass(frozen=True)
class Period:
    """A school year (default) or calendar year, optionally with a reference date."""

    year: int
    basis: Basis = Basis.SCHOOL_YEAR
    reference_date: date | None = None

    def __post_init__(self) -> None:
        ref = self.reference_date
        if ref is not None and not (self.starts_on <= ref <= self.ends_on):
            raise ValueError(f"reference date {ref} lies outside {self.label}")

    @classmethod
    def school_year(cls, year: int) -> Period:
        return cls(year, Basis.SCHOOL_YEAR)

    @classmethod
    def calendar_year(cls, year: int) -> Period:
        return cls(year, Basis.CALENDAR_YEAR)

    def on_reference_date(self, day: date | None = None) -> Period:
        """The same period counted on one date (default: 1 October, the funding date)."""
        return replace(self, reference_date=day or date(self.year, 10, 1))

    @property
    def starts_on(self) -> date:
        if self.basis == Basis.CALENDAR_YEAR:
            return date(self.year, 1, 1)
        return school_year_bounds(self.year)[0]

    @property
    def ends_on(self) -> date:
        if self.basis == Basis.CALENDAR_YEAR:
            return date(self.year, 12, 31)
        return school_year_bounds(self.year)[1]

    @property
    def label(self) -> str:
        if self.basis == Basis.CALENDAR_YEAR:
            return str(self.year)
        return school_year_label(self.year)


DIMENSIONS = ("hub", "programme", "organisation", "category", "level")


@dataclass(frozen=True)
class Count:
    """Participants and enrolments in one cell; dimensions not counted by are None."""

    participants: int
    enrolments: int
    hub_id: int | None = None
    programme_id: int | None = None
    organisation_id: int | None = None
    category: LearnerCategory | None = None
    level: Level | None = None

    @property
    def key(self) -> tuple[Any, ...]:
        return (self.hub_id, self.programme_id, self.organisation_id, self.category, self.level)


@dataclass(frozen=True)
class Filters:
    """Restrict what is counted (None: no restriction)."""

    hub_ids: Iterable[int] | None = None
    programme_ids: Iterable[int] | None = None
    organisation_ids: Iterable[int] | None = None
    categories: Iterable[LearnerCategory | str] | None = None
    levels: Iterable[Level | str] | None = None


def _active(e: Any, period: Period) -> ColumnElement[bool]:
    if period.reference_date is not None:
        return and_(e.starts_on <= period.reference_date, e.ends_on >= period.reference_date)
    return and_(e.starts_on <= period.ends_on, e.ends_on >= period.starts_on)


def _dimension_columns(by: Sequence[str]) -> list[Any]:
    columns = {
        "hub": Programme.hub_id,
        "programme": Enrolment.programme_id,
        "organisation": Enrolment.organisation_id,
        "category": Enrolment.category,
        "level": Enrolment.level,
    }
    unknown = set(by) - set(columns)
    if unknown:
        raise ValueError(f"cannot count by {sorted(unknown)}; choose from {DIMENSIONS}")
    return [columns[name].label(name) for name in by]


def _filtered(stmt: Any, filters: Filters) -> Any:
    if filters.hub_ids is not None:
        stmt = stmt.where(Programme.hub_id.in_(list(filters.hub_ids)))
    if filters.programme_ids is not None:
        stmt = stmt.where(Enrolment.programme_id.in_(list(filters.programme_ids)))
    if filters.organisation_ids is not None:
        stmt = stmt.where(Enrolment.organisation_id.in_(list(filters.organisation_ids)))
    if filters.categories is not None:
        stmt = stmt.where(Enrolment.category.in_([LearnerCategory(c) for c in filters.categories]))
    if filters.levels is not None:
        stmt = stmt.where(Enrolment.level.in_([Level(v) for v in filters.levels]))
    return stmt


# A literal, not a bound parameter: PostgreSQL plans the query knowing which kind it
# counts (a prepared statement's generic plan would not).
_GROUP: ColumnElement[str] = literal_column(f"'{EnrolmentKind.GROUP.value}'")


def _active_rows(period: Period, dims: Sequence[str], filters: Filters) -> Any:
    """The enrolments that count in ``period``: active groups, and active individuals
    who do not belong to a group that is active in it (its headcount includes them);
    with the columns of ``dims`` and what the counts need, nothing more."""
    group = aliased(Enrolment)
    counted_group = exists().where(group.id == Enrolment.group_id, _active(group, period))
    stmt = (
        select(
            *_dimension_columns(dims),
            Enrolment.kind.label("kind"),
            Enrolment.learner_id.label("learner_id"),
            Enrolment.headcount.label("headcount"),
        )
        .select_from(Enrolment)
        .join(Programme, Programme.id == Enrolment.programme_id)
        .where(
            _active(Enrolment, period),
            or_(Enrolment.kind == _GROUP, ~counted_group),
        )
    )
    return _filtered(stmt, filters)


def _grouping(rows: Any, index: int, by: Sequence[str], every: Sequence[str]) -> Any:
    """One grouping of the counted rows: a cell per combination of ``by``; the other
    dimensions of ``every`` are NULL (so several groupings can be one UNION ALL)."""
    is_group = rows.c.kind == _GROUP
    dims = [rows.c[name] if name in by else null().label(name) for name in every]
    stmt = select(
        literal(index).label("grouping"),
        *(d.label(name) for d, name in zip(dims, every, strict=True)),
        (
            func.coalesce(func.sum(case((is_group, rows.c.headcount))), 0)
            + func.count(func.distinct(case((~is_group, rows.c.learner_id))))
        ).label("participants"),
        func.coalesce(func.sum(case((is_group, rows.c.headcount), else_=1)), 0).label("enrolments"),
    ).select_from(rows)
    if by:
        stmt = stmt.group_by(*(rows.c[name] for name in by))
    return stmt


def count_statement(period: Period, groupings: Sequence[Sequence[str]], filters: Filters) -> Any:
    """One aggregate query for several groupings (e.g. hub × programme × category, hub,
    and everything): the counted rows are read once (a CTE) and grouped per grouping,
    joined by UNION ALL with a ``grouping`` column (its index in ``groupings``).
    Exposed so reports and the bench can reuse or inspect it."""
    every = [name for name in DIMENSIONS if any(name in by for by in groupings)]
    for by in groupings:
        _dimension_columns(by)  # rejects unknown dimensions
    rows = _active_rows(period, every, filters)
    rows = rows.cte("counted") if len(groupings) > 1 else rows.subquery("counted")
    parts = [_grouping(rows, i, by, every) for i, by in enumerate(groupings)]
    if len(parts) == 1:
        return parts[0].order_by(*(rows.c[name] for name in groupings[0]))
    return union_all(*parts)


def count_many(
    period: Period, groupings: Sequence[Sequence[str]], filters: Filters | None = None
) -> list[list[Count]]:
    """:func:`count` for several groupings at once, in one query: one list per grouping."""
    result: list[list[Count]] = [[] for _ in groupings]
    rows = db.session.execute(count_statement(period, groupings, filters or Filters())).all()
    for row in rows:
        values = row._mapping
        by = groupings[values["grouping"]]
        if not by and not values["enrolments"]:
            continue
        result[values["grouping"]].append(_count(values, by))
    return result


def _count(values: Any, by: Sequence[str]) -> Count:
    dims: dict[str, Any] = {f"{name}_id": values[name] for name in by if name in _ID_DIMS}
    if "category" in by:
        dims["category"] = LearnerCategory(values["category"])
    if "level" in by:
        dims["level"] = Level(values["level"]) if values["level"] is not None else None
    return Count(
        participants=int(values["participants"]), enrolments=int(values["enrolments"]), **dims
    )


def count(
    period: Period,
    by: Sequence[str] = ("hub", "programme", "category", "level"),
    filters: Filters | None = None,
) -> list[Count]:
    """Participants and enrolments per cell of ``by`` in ``period`` (see module docs)."""
    return count_many(period, [by], filters)[0]


_ID_DIMS = ("hub", "programme", "organisation")


def total(period: Period, filters: Filters | None = None) -> Count:
    """Participants and enrolments over everything that matches ``filters``."""
    rows = count(period, by=(), filters=filters)
    return rows[0] if rows else Count(participants=0, enrolments=0)


def participants(period: Period, filters: Filters | None = None) -> int:
    """Shorthand: the number of participants matching ``filters`` in ``period``."""
    return total(period, filters).participants
