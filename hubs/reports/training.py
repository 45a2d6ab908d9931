"""The company training report: employees trained, course hours attended, licences issued.

Courses and machine licences are recorded by features of their own (they arrive on other
branches). This report reads them through a small query interface: each feature
registers a *source* in its ``init_app`` — one aggregate query per call, keyed by company
(organisation id) — and the report shows "no data" for a source nobody registered::

    from hubs.reports.training import CourseFigures, register_course_source

    def course_figures(first, last, hub_ids):  # -> {organisation_id: CourseFigures}
        ...  # SELECT organisation_id, COUNT(DISTINCT employee), SUM(hours) ... GROUP BY 1

    register_course_source(course_figures)

``first`` and ``last`` are local dates (inclusive), ``hub_ids`` None for every hub.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from hubs.extensions import db
from hubs.organisations.models import Organisation
from hubs.reports.options import ReportOptions
from hubs.reports.scope import ReportScope, hub_names_in


@dataclass(frozen=True)
class CourseFigures:
    """One company's course attendance in the period."""

    employees_trained: int  # distinct employees who attended at least one session
    course_hours: float  # hours attended, summed over employees


CourseSource = Callable[[date, date, frozenset[int] | None], Mapping[int, CourseFigures]]
LicenceSource = Callable[[date, date, frozenset[int] | None], Mapping[int, int]]

_course_sources: list[CourseSource] = []
_licence_sources: list[LicenceSource] = []


def register_course_source(source: CourseSource) -> None:
    """Called by the courses feature: ``source(first, last, hub_ids)`` → figures per company."""
    if source not in _course_sources:
        _course_sources.append(source)


def register_licence_source(source: LicenceSource) -> None:
    """Called by the licences feature: ``source(first, last, hub_ids)`` → licences per company."""
    if source not in _licence_sources:
        _licence_sources.append(source)


@dataclass(frozen=True)
class CompanyTraining:
    organisation_id: int
    company: str
    employees_trained: int | None
    course_hours: float | None
    licences_issued: int | None


@dataclass
class TrainingReport:
    options: ReportOptions
    first: date
    last: date
    hub_names: list[str]
    has_courses: bool
    has_licences: bool
    rows: list[CompanyTraining] = field(default_factory=list)

    @property
    def has_data(self) -> bool:
        return self.has_courses or self.has_licences

    def total(self) -> CompanyTraining:
        def add(values: list[float | int | None], known: bool) -> float | int | None:
            return sum(v or 0 for v in values) if known else None

        return CompanyTraining(
            0,
            "",
            add([r.employees_trained for r in self.rows], self.has_courses),  # type: ignore[arg-type]
            add([r.course_hours for r in self.rows], self.has_courses),
            add([r.licences_issued for r in self.rows], self.has_licences),  # type: ignore[arg-type]
        )


def _courses(first: date, last: date, hubs: frozenset[int] | None) -> dict[int, CourseFigures]:
    merged: dict[int, CourseFigures] = {}
    for source in _course_sources:
        for org_id, figures in source(first, last, hubs).items():
            old = merged.get(org_id, CourseFigures(0, 0.0))
            merged[org_id] = CourseFigures(
                old.employees_trained + figures.employees_trained,
                old.course_hours + figures.course_hours,
            )
    return merged


def _licences(first: date, last: date, hubs: frozenset[int] | None) -> dict[int, int]:
    merged: dict[int, int] = {}
    for source in _licence_sources:
        for org_id, number in source(first, last, hubs).items():
            merged[org_id] = merged.get(org_id, 0) + number
    return merged


def training_report(options: ReportOptions, scope: ReportScope) -> TrainingReport:
    """Per company and in total, within ``scope`` (see the module docs)."""
    first = options.period(options.from_year).starts_on
    last = options.period(options.to_year).ends_on
    hubs = scope.allowed_hub_ids(options.hub_ids)
    report = TrainingReport(
        options,
        first,
        last,
        hub_names_in(scope, options.hub_ids),
        has_courses=bool(_course_sources),
        has_licences=bool(_licence_sources),
    )
    courses, licences = _courses(first, last, hubs), _licences(first, last, hubs)
    ids = set(courses) | set(licences)
    if not ids:
        return report
    names = dict(
        db.session.execute(
            select(Organisation.id, Organisation.name).where(Organisation.id.in_(sorted(ids)))
        ).all()  # type: ignore[arg-type]
    )
    for org_id in sorted(ids, key=lambda i: (names.get(i, ""), i)):
        figures = courses.get(org_id, CourseFigures(0, 0.0))
        report.rows.append(
            CompanyTraining(
                org_id,
                names.get(org_id, ""),
                figures.employees_trained if report.has_courses else None,
                round(figures.course_hours, 1) if report.has_courses else None,
                licences.get(org_id, 0) if report.has_licences else None,
            )
        )
    return report
