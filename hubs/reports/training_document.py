"""The company training report as a document and a chart."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from hubs.exports.charts import Bar, BarGroup, bar_chart
from hubs.i18n import format_number
from hubs.reports.definitions import Definition
from hubs.reports.document import generated, hubs_label, period_options, years_label
from hubs.reports.model import Column, Figure, Kind, Report, Section
from hubs.reports.options import basis_label
from hubs.reports.training import TrainingReport

MAX_BARS = 30


def training_definitions(report: TrainingReport) -> list[Definition]:
    courses = (
        _(
            "Employees trained: employees of the company who attended at least one course "
            "session in the period, each counted once. Course hours: the hours of the "
            "sessions they attended, added up over the employees."
        )
        if report.has_courses
        else _("No data: courses are not recorded in this version yet.")
    )
    licences = (
        _("Machine licences issued to the company's employees in the period.")
        if report.has_licences
        else _("No data: machine licences are not recorded in this version yet.")
    )
    return [
        Definition("courses", _("Employees trained and course hours"), courses),
        Definition("licences", _("Licences issued"), licences),
        Definition(
            "company",
            _("Company"),
            _("The member company the employee works for; only companies with figures appear."),
        ),
    ]


def training_document(report: TrainingReport, today: date) -> Report:
    options = report.options
    total = report.total()
    note = "" if report.has_data else _("No data: courses and licences are not recorded yet.")
    rows = [
        [r.company, r.employees_trained, r.course_hours, r.licences_issued] for r in report.rows
    ]
    if report.rows:
        rows.append(
            [_("All companies"), total.employees_trained, total.course_hours, total.licences_issued]
        )
    section = Section(
        "companies",
        _("Training per company"),
        [
            Column(_("Company")),
            Column(_("Employees trained"), Kind.INT),
            Column(_("Course hours"), Kind.HOURS),
            Column(_("Licences issued"), Kind.INT),
        ],
        rows,
        note=note,
    )
    return Report(
        name="companies",
        title=_("Company training %(years)s", years=years_label(options)),
        subtitle=" · ".join([hubs_label(report.hub_names), basis_label(options.basis)]),
        options=[*period_options(options, report.hub_names), generated(today)],
        definitions=[(d.term, d.text) for d in training_definitions(report)],
        sections=[section],
        filename=f"companies-{options.from_year}-{options.to_year}",
    )


def training_charts(report: TrainingReport) -> list[Figure]:
    if not report.has_courses or not report.rows:
        return []
    title = _("Employees trained per company")
    rows = report.rows[:MAX_BARS]
    bars = [
        Bar(r.company, float(r.employees_trained or 0), format_number(r.employees_trained or 0))
        for r in rows
    ]
    description = ", ".join(f"{b.label}: {b.text}" for b in bars) + "."
    svg = bar_chart(title, description, [BarGroup(_("All companies"), bars)], width=760)
    return [Figure(svg, title)]
