"""Reports as documents: the options stated, and the growth report's sections.

Every output (page, PDF, CSV, XLSX) states the same options and definitions; this module
writes them once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from hubs.extensions import db
from hubs.i18n import format_day
from hubs.learners.models import Programme
from hubs.reports.growth import GrowthReport, GrowthRow
from hubs.reports.model import Column, Kind, Report, Section
from hubs.reports.options import ReportOptions, basis_label


def years_label(options: ReportOptions) -> str:
    first, last = options.label(options.from_year), options.label(options.to_year)
    return first if first == last else f"{first} → {last}"


def hubs_label(hub_names: Sequence[str]) -> str:
    return ", ".join(hub_names) if hub_names else _("all hubs")


def programme_names(ids: frozenset[int] | None) -> list[str]:
    if not ids:
        return []
    return list(
        db.session.scalars(
            select(Programme.name).where(Programme.id.in_(ids)).order_by(Programme.name)
        )
    )


def period_options(options: ReportOptions, hub_names: Sequence[str]) -> list[tuple[str, str]]:
    """Years, basis and hubs: what every report states."""
    return [
        (_("Years"), years_label(options)),
        (_("Basis"), basis_label(options.basis)),
        (_("Hubs"), hubs_label(hub_names)),
    ]


def generated(today: date) -> tuple[str, str]:
    return (_("Generated on"), format_day(today))


def growth_options(report: GrowthReport, today: date) -> list[tuple[str, str]]:
    options = report.options
    reference = (
        _("none")
        if options.reference_date is None
        else _("%(day)s (and the same day in every year)", day=format_day(options.reference_date))
    )
    names = programme_names(options.programme_ids)
    return [
        *period_options(options, report.hub_names),
        (_("Programmes"), ", ".join(names) if names else _("all programmes")),
        (_("Count"), options.count.label),
        (_("Reference date"), reference),
        (_("Detail"), _("per level") if options.by_level else _("per learner category")),
        generated(today),
    ]


def _label(value: Any) -> str:
    return "" if value is None else str(value.label)


def _detail_columns(options: ReportOptions) -> list[Column]:
    columns = [Column(_("Hub")), Column(_("Programme")), Column(_("Category"))]
    if options.by_level:
        columns.append(Column(_("Level")))
    return columns


def _change_columns(options: ReportOptions) -> list[Column]:
    return [
        *(Column(options.label(y), Kind.INT) for y in options.years),
        Column(_("Difference"), Kind.INT),
        Column(_("Difference (%)"), Kind.PCT),
        Column(_("Factor"), Kind.FACTOR),
        Column(_("In words")),
    ]


def _change_cells(row: GrowthRow) -> list[Any]:
    return [*row.counts, row.change, row.change_pct, row.factor, row.sentence]


def growth_title(options: ReportOptions) -> str:
    return _("Growth %(years)s", years=years_label(options))


def growth_subtitle(report: GrowthReport) -> str:
    options = report.options
    return " · ".join(
        [hubs_label(report.hub_names), basis_label(options.basis), options.count.label]
    )


def growth_document(report: GrowthReport, today: date) -> Report:
    """The growth report's sections: per programme, and the totals."""
    options = report.options
    detail_rows = []
    for row in report.rows:
        cells: list[Any] = [row.hub, row.programme, _label(row.category)]
        if options.by_level:
            cells.append(_label(row.level) or _("no level"))
        detail_rows.append([*cells, *_change_cells(row)])
    total_rows = [[row.hub, *_change_cells(row)] for row in report.hub_totals]
    total_label = _("All hubs (MKB-Deal)") if report.whole_deal else _("All hubs shown")
    total_rows.append([total_label, *_change_cells(report.total)])
    sections = [
        Section(
            "growth",
            _("Growth per programme"),
            [*_detail_columns(options), *_change_columns(options)],
            detail_rows,
        ),
        Section(
            "totals",
            _("Totals"),
            [Column(_("Hub")), *_change_columns(options)],
            total_rows,
            note=_(
                "Totals are counted, not added up: a learner in two programmes counts once. "
                "Groups cannot be deduplicated across programmes."
            ),
        ),
    ]
    return Report(
        name="growth",
        title=growth_title(options),
        subtitle=growth_subtitle(report),
        options=growth_options(report, today),
        definitions=[(d.term, d.text) for d in report.definitions],
        sections=sections,
        filename=f"growth-{options.from_year}-{options.to_year}",
    )
