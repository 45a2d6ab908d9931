"""The use report as a document (sections, options, definitions) and its charts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from flask_babel import format_date
from flask_babel import gettext as _

from hubs.exports.charts import Bar, BarGroup, bar_chart
from hubs.i18n import format_number
from hubs.reports.capacity import Month
from hubs.reports.definitions import Definition
from hubs.reports.document import generated, hubs_label, period_options, years_label
from hubs.reports.model import Column, Figure, Kind, Report, Section
from hubs.reports.options import basis_label
from hubs.reports.usage import ResourceUse, UsageReport, Use

CHART_WIDTH = 760


def month_label(month: Month) -> str:
    return format_date(date(month[0], month[1], 1), "MMM y")


def usage_definitions(report: UsageReport) -> list[Definition]:
    return [
        Definition(
            "booked",
            _("Booked hours"),
            _(
                "Hours of confirmed bookings that start in the period, per machine or room: "
                "a room with two machines booked for 3 hours counts 3 hours for each. "
                "Requests, cancelled, rejected and expired bookings do not count."
            ),
        ),
        Definition("realised", _("Realised hours"), report.rule.definition()),
        Definition(
            "available",
            _("Hours available"),
            _(
                "The hub's opening hours in the period (weekly hours and changed hours on "
                "single dates), minus closures, school holidays when the hub closes for "
                "them and, for a machine or room, its maintenance."
            ),
        ),
        Definition(
            "utilisation",
            _("Utilisation"),
            _(
                "Booked (or realised) hours divided by the hours available, as a "
                "percentage with one decimal. For a hub: over all its machines and rooms."
            ),
        ),
        Definition(
            "visits",
            _("Visits"),
            _(
                "Confirmed bookings; machines and rooms booked together count as one visit. "
                "People: the group sizes given when booking."
            ),
        ),
        Definition(
            "no_shows",
            _("No-shows"),
            _("Visits that took place and were recorded with nobody present."),
        ),
    ]


def _hours_columns() -> list[Column]:
    return [
        Column(_("Hours available"), Kind.HOURS),
        Column(_("Booked hours"), Kind.HOURS),
        Column(_("Booked (%)"), Kind.PCT),
        Column(_("Realised hours"), Kind.HOURS),
        Column(_("Realised (%)"), Kind.PCT),
    ]


def _hours_cells(use: Use) -> list[Any]:
    return [use.available, use.booked, use.booked_pct, use.realised, use.realised_pct]


def _visit_columns() -> list[Column]:
    return [
        Column(_("Visits"), Kind.INT),
        Column(_("People"), Kind.INT),
        Column(_("No-shows"), Kind.INT),
    ]


def _visit_cells(use: Use) -> list[Any]:
    return [use.visits, use.participants, use.no_shows]


def _ranking(key: str, title: str, rows: Sequence[ResourceUse]) -> Section:
    return Section(
        key,
        title,
        [
            Column(_("Hub")),
            Column(_("Machine")),
            Column(_("Booked hours"), Kind.HOURS),
            Column(_("Booked (%)"), Kind.PCT),
        ],
        [[r.hub, r.resource, r.use.booked, r.use.booked_pct] for r in rows],
    )


def usage_sections(report: UsageReport) -> list[Section]:
    total_label = _("All hubs shown")
    return [
        Section(
            "hubs",
            _("Use per hub"),
            [Column(_("Hub")), *_hours_columns(), *_visit_columns()],
            [
                *([name, *_hours_cells(use), *_visit_cells(use)] for name, use in report.hubs),
                [total_label, *_hours_cells(report.total), *_visit_cells(report.total)],
            ],
        ),
        Section(
            "resources",
            _("Use per machine and room"),
            [
                Column(_("Hub")),
                Column(_("Machine or room")),
                Column(_("Kind")),
                *_hours_columns(),
                Column(_("No-shows"), Kind.INT),
            ],
            [
                [r.hub, r.resource, str(r.kind.label), *_hours_cells(r.use), r.use.no_shows]
                for r in report.resources
            ],
        ),
        Section(
            "kinds",
            _("Use per organisation kind"),
            [
                Column(_("Kind of organisation")),
                Column(_("Booked hours"), Kind.HOURS),
                Column(_("Share (%)"), Kind.PCT),
                Column(_("Realised hours"), Kind.HOURS),
                *_visit_columns(),
            ],
            [
                [
                    str(kind.label),
                    use.booked,
                    _share(use.booked, report.total.booked),
                    use.realised,
                    *_visit_cells(use),
                ]
                for kind, use in report.kinds
            ],
        ),
        Section(
            "months",
            _("Use per month"),
            [Column(_("Month")), *_hours_columns(), *_visit_columns()],
            [[month_label(m), *_hours_cells(use), *_visit_cells(use)] for m, use in report.months],
        ),
        _ranking("most_used", _("Most used machines"), report.most_used),
        _ranking("least_used", _("Least used machines"), report.least_used),
    ]


def _share(part: float, whole: float) -> float | None:
    return None if whole <= 0 else round(part / whole * 100, 1)


def usage_document(report: UsageReport, today: date) -> Report:
    options = report.options
    return Report(
        name="use",
        title=_("Use of the hubs %(years)s", years=years_label(options)),
        subtitle=" · ".join([hubs_label(report.hub_names), basis_label(options.basis)]),
        options=[*period_options(options, report.hub_names), generated(today)],
        definitions=[(d.term, d.text) for d in usage_definitions(report)],
        sections=usage_sections(report),
        filename=f"use-{options.from_year}-{options.to_year}",
    )


def _pct_text(value: float | None) -> str:
    return "–" if value is None else f"{format_number(value, 1)}%"


def usage_charts(report: UsageReport) -> list[Figure]:
    """Utilisation per hub, booked hours per month, and the machines ranked."""
    charts: list[Figure] = []
    if report.hubs:
        title = _("Utilisation per hub")
        groups = [
            BarGroup(
                name,
                [
                    Bar(_("booked"), use.booked_pct or 0.0, _pct_text(use.booked_pct)),
                    Bar(
                        _("realised"),
                        use.realised_pct or 0.0,
                        _pct_text(use.realised_pct),
                        muted=True,
                    ),
                ],
            )
            for name, use in report.hubs
        ]
        description = " ".join(
            _(
                "%(hub)s: %(booked)s booked, %(realised)s realised.",
                hub=name,
                booked=_pct_text(use.booked_pct),
                realised=_pct_text(use.realised_pct),
            )
            for name, use in report.hubs
        )
        charts.append(
            Figure(bar_chart(title, description, groups, width=CHART_WIDTH, max_value=100.0), title)
        )
    if report.months and report.total.booked > 0:
        title = _("Booked hours per month")
        bars = [
            Bar(month_label(m), use.booked, format_number(use.booked, 1))
            for m, use in report.months
        ]
        description = ", ".join(f"{b.label}: {b.text}" for b in bars) + "."
        charts.append(
            Figure(
                bar_chart(
                    title, description, [BarGroup(_("All hubs shown"), bars)], width=CHART_WIDTH
                ),
                title,
            )
        )
    if report.most_used:
        title = _("Most used machines")
        bars = [
            Bar(f"{r.resource}", r.use.booked_pct or 0.0, _pct_text(r.use.booked_pct), note=r.hub)
            for r in report.most_used
        ]
        description = ", ".join(f"{b.label} ({b.note}): {b.text}" for b in bars) + "."
        charts.append(
            Figure(
                bar_chart(title, description, [BarGroup(_("Booked (%)"), bars)], width=CHART_WIDTH),
                title,
            )
        )
    return charts
