"""The reports there are, and how each is built into a document with charts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l

from hubs.reports.charts import growth_charts
from hubs.reports.document import growth_document
from hubs.reports.growth import growth_report
from hubs.reports.model import Figure, Report
from hubs.reports.options import ReportOptions
from hubs.reports.scope import ReportScope
from hubs.reports.training import training_report
from hubs.reports.training_document import training_charts, training_document
from hubs.reports.usage import usage_report
from hubs.reports.usage_document import usage_charts, usage_document


@dataclass
class Built:
    """A report's data (for the API), its document (for every output) and its charts."""

    data: Any
    document: Report
    charts: list[Figure] = field(default_factory=list)


@dataclass(frozen=True)
class ReportKind:
    name: str
    title: Any
    description: Any
    build: Callable[[ReportOptions, ReportScope, date], Built]
    # Which filters the page offers beyond years, basis and hubs.
    learner_options: bool = False


# Other features extend a built report: ``hook(name, built, scope)`` may add sections
# and charts (funders: targets against the actual numbers).
BuildHook = Callable[[str, Built, ReportScope], None]
_build_hooks: list[BuildHook] = []


def register_build_hook(hook: BuildHook) -> None:
    if hook not in _build_hooks:
        _build_hooks.append(hook)


def _growth(options: ReportOptions, scope: ReportScope, today: date) -> Built:
    data = growth_report(options, scope)
    built = Built(data, growth_document(data, today), growth_charts(data))
    for hook in _build_hooks:
        hook("growth", built, scope)
    return built


def _use(options: ReportOptions, scope: ReportScope, today: date) -> Built:
    data = usage_report(options, scope)
    return Built(data, usage_document(data, today), usage_charts(data))


def _companies(options: ReportOptions, scope: ReportScope, today: date) -> Built:
    data = training_report(options, scope)
    return Built(data, training_document(data, today), training_charts(data))


KINDS: dict[str, ReportKind] = {
    "growth": ReportKind(
        "growth",
        _l("Growth"),
        _l("Learners per hub, programme and category: first and last year, change and trend."),
        _growth,
        learner_options=True,
    ),
    "use": ReportKind(
        "use",
        _l("Use of the hubs"),
        _l(
            "Booked and realised hours per machine, room and hub against the opening hours, "
            "per kind of organisation and per month; no-shows; most and least used machines."
        ),
        _use,
    ),
    "companies": ReportKind(
        "companies",
        _l("Company training"),
        _l("Employees trained, course hours attended and licences issued, per company."),
        _companies,
    ),
}
FORMATS = ("csv", "xlsx", "pdf")
