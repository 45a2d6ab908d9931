"""Targets in the growth report: a table of actual against target, and a progress chart.

Added to every output of the report (page, CSV, XLSX, PDF) through the reports' build
hook; for funders the numbers follow the same small-number rules as the report.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from hubs.exports.charts import Bar, BarGroup, bar_chart
from hubs.funders.models import Indicator
from hubs.funders.reporting import suppress_growth
from hubs.funders.targets import Progress, progress, targets_for
from hubs.i18n import format_number
from hubs.reports.catalog import Built, register_build_hook
from hubs.reports.charts import TrendTargets, trend_chart
from hubs.reports.growth import GrowthReport, growth_report
from hubs.reports.model import Column, Figure, Kind, Section
from hubs.reports.options import Basis, CountKind, ReportOptions
from hubs.reports.scope import ReportScope


def _hidden_programmes(report: GrowthReport) -> dict[int, set[int]]:
    """Per year, the programmes of which the report hides a row."""
    hidden: dict[int, set[int]] = {}
    for row in report.rows:
        for year, value in zip(report.options.years, row.counts, strict=True):
            if isinstance(value, str) and row.programme_id is not None:
                hidden.setdefault(year, set()).add(row.programme_id)
    return hidden


def hidden_for(scope: ReportScope, years: set[int]) -> dict[int, set[int]]:
    """Per year, the programmes of which the growth report hides a row for this reader."""
    hidden: dict[int, set[int]] = {}
    for year in sorted(years):
        report = growth_report(ReportOptions(from_year=year, to_year=year), scope)
        hidden.update(_hidden_programmes(report))
    return hidden


def add_targets(name: str, built: Built, scope: ReportScope) -> None:
    """The report's targets section and chart, when the programmes in it have targets
    (school years only: targets are set per school year)."""
    report: GrowthReport = built.data
    options = report.options
    if options.basis != Basis.SCHOOL_YEAR:
        # Targets are set per school year: a calendar year's count is not their actual.
        return
    filters = scope.learner_filters(options.hub_ids, options.programme_ids)
    targets = targets_for(options.years, filters.programme_ids, filters.hub_ids)
    if not targets:
        return
    for_funder = suppress_growth in scope.report_transforms
    found = progress(
        targets,
        options.basis,
        suppress_for_funders=for_funder,
        hidden_programmes=_hidden_programmes(report),
    )
    built.document.sections = [*built.document.sections, _section(found, options)]
    chart = _chart(found, options)
    if chart is not None:
        built.charts.append(chart)
    _redraw_trend(built, report, trend_targets(found))


def trend_targets(found: list[Progress]) -> TrendTargets:
    """Per hub name (None: all hubs) and year: the sum of its programmes' participants
    targets (the trend chart's totals are measured against it)."""
    sums: TrendTargets = {}
    for item in found:
        t = item.target
        if t.indicator != Indicator.PARTICIPANTS:
            continue
        for key in ((t.programme.hub.name, t.year), (None, t.year)):
            sums[key] = sums.get(key, 0.0) + t.value
    return sums


def _redraw_trend(built: Built, report: GrowthReport, targets: TrendTargets) -> None:
    """The trend chart with a target marker per year, and its numbers as a table."""
    index = next((i for i, f in enumerate(built.charts) if f.key == "trend"), None)
    # Targets count participants: a trend of enrolments is not measured against them.
    if index is None or not targets or report.options.count != CountKind.PARTICIPANTS:
        return
    built.charts[index] = trend_chart(report, targets)
    built.document.sections = [*built.document.sections, _trend_section(report, targets)]


def _trend_section(report: GrowthReport, targets: TrendTargets) -> Section:
    options = report.options
    rows: list[list[Any]] = []
    for row in [*report.hub_totals, report.total]:
        for year, count in zip(options.years, row.counts, strict=True):
            target = targets.get((row.hub, year))
            if target is None:
                continue
            pct = round(100 * count / target, 1) if isinstance(count, int) and target else None
            rows.append([row.hub or _("All hubs"), options.label(year), count, target, pct])
    return Section(
        "trend_targets",
        _("Totals against the targets"),
        [
            Column(_("Hub")),
            Column(_("Year")),
            Column(options.count.label.capitalize(), Kind.INT),
            Column(_("Target"), Kind.PCT),
            Column(_("Progress (%)"), Kind.PCT),
        ],
        rows,
        note=_(
            "The target of a hub is the sum of the participants targets of its programmes "
            "in this report; a programme without a target adds its participants but no "
            "target."
        ),
    )


def _kind(indicator: Indicator) -> Kind:
    return Kind.INT if indicator in (Indicator.PARTICIPANTS, Indicator.ORGANISATIONS) else Kind.PCT


def _section(found: list[Progress], options: ReportOptions) -> Section:
    rows: list[list[Any]] = []
    for item in found:
        t = item.target
        actual = item.shown_actual
        rows.append(
            [
                t.programme.hub.name,
                t.programme.name,
                options.label(t.year),
                t.indicator.label,
                t.value,
                _("not recorded") if actual is None else actual,
                item.progress_pct,
            ]
        )
    return Section(
        "targets",
        _("Targets"),
        [
            Column(_("Hub")),
            Column(_("Programme")),
            Column(_("Year")),
            Column(_("Indicator")),
            Column(_("Target"), Kind.PCT),
            Column(_("Actual"), Kind.PCT),
            Column(_("Progress (%)"), Kind.PCT),
        ],
        rows,
        note=_(
            "Progress is the actual number as a percentage of the target. Contact hours: "
            "people present × hours of the visits booked for the programme, as recorded in "
            "the attendance register (visits without a recorded attendance are not counted). "
            "Satisfaction: answers to the survey after a visit or a course of the programme."
        ),
    )


def _chart(found: list[Progress], options: ReportOptions) -> Figure | None:
    """Participants against the target of the last year, per programme."""
    wanted = [
        p
        for p in found
        if p.target.indicator == Indicator.PARTICIPANTS and p.target.year == options.to_year
    ]
    if not wanted:
        return None
    groups = []
    for item in wanted[:40]:
        value = item.actual if isinstance(item.shown_actual, (int, float)) else 0
        text = str(item.shown_actual) if item.hidden else format_number(int(value or 0))
        note = "" if item.progress_pct is None else f"{format_number(item.progress_pct, 1)}%"
        groups.append(
            BarGroup(
                item.target.programme.name,
                [Bar(options.label(options.to_year), float(value or 0), text, note=note)],
                target=item.target.value,
                target_text=_("target %(n)s", n=format_number(int(item.target.value))),
            )
        )
    title = _("Participants against target, %(year)s", year=options.label(options.to_year))
    description = " ".join(
        _(
            "%(programme)s: %(actual)s of %(target)s.",
            programme=g.title,
            actual=g.bars[0].text,
            target=format_number(int(g.target or 0)),
        )
        for g in groups
    )
    return Figure(bar_chart(title, description, groups, width=760, note_width=200), title)


def install() -> None:
    from hubs.funders.surveys import satisfaction
    from hubs.funders.targets import register_satisfaction

    register_build_hook(add_targets)
    register_satisfaction(satisfaction)
