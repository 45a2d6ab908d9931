"""Charts of the growth report (server-rendered SVG; the tables carry the same numbers)."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import gettext as _

from hubs.exports.charts import Bar, BarGroup, bar_chart
from hubs.i18n import format_number
from hubs.reports.document import years_label
from hubs.reports.growth import GrowthReport, GrowthRow
from hubs.reports.model import Figure
from hubs.reports.options import ReportOptions
from hubs.reports.wording import Change, details

MAX_GROUPS = 40
# Wide enough on the right for "124 · +97 · +359% · bijna vervijfvoudigd".
CHART_WIDTH, NOTE_WIDTH = 760, 330


def _value(count: int | str) -> float:
    return float(count) if isinstance(count, int) else 0.0


def _text(count: int | str) -> str:
    return format_number(count) if isinstance(count, int) else str(count)


def _note(row: GrowthRow) -> str:
    if not isinstance(row.from_count, int) or not isinstance(row.to_count, int):
        return ""
    return details(Change(row.from_count, row.to_count)).replace("; ", " · ")


def _title(row: GrowthRow) -> str:
    parts = [p for p in (row.hub, row.programme) if p]
    title = " — ".join(parts) or _("All hubs")
    what = [str(x.label) for x in (row.category, row.level) if x is not None]
    return f"{title} ({', '.join(what)})" if what else title


def _pair(report: GrowthReport, row: GrowthRow) -> BarGroup:
    options = report.options
    first, last = options.label(options.from_year), options.label(options.to_year)
    return BarGroup(
        _title(row),
        [
            Bar(first, _value(row.from_count), _text(row.from_count), muted=True),
            Bar(last, _value(row.to_count), _text(row.to_count), note=_note(row)),
        ],
    )


def growth_charts(report: GrowthReport) -> list[Figure]:
    """The first and last year per row, and (over more years) the trend of the totals."""
    options = report.options
    charts: list[Figure] = []
    rows = report.rows[:MAX_GROUPS]
    if rows:
        note = ""
        if len(report.rows) > MAX_GROUPS:
            note = _(
                "The chart shows the first %(n)d rows; the table below shows all of them.",
                n=MAX_GROUPS,
            )
        title = _(
            "%(count)s per programme, %(years)s",
            count=options.count.label.capitalize(),
            years=years_label(options),
        )
        svg = bar_chart(
            title,
            " ".join(r.sentence + "." for r in rows),
            [_pair(report, r) for r in rows],
            width=CHART_WIDTH,
            note_width=NOTE_WIDTH,
        )
        charts.append(Figure(svg, title, note))
    if len(options.years) > 2:
        charts.append(trend_chart(report))
    return charts


# Per hub name (None: all hubs) and year, the target the totals are measured against.
TrendTargets = dict[tuple[str | None, int], float]


def trend_chart(report: GrowthReport, targets: TrendTargets | None = None) -> Figure:
    """The totals per hub and year; with ``targets`` a marker on each year's bar that has
    one, and the target in the bar's text and in the description."""
    options = report.options
    targets = targets or {}
    totals: Sequence[GrowthRow] = [*report.hub_totals, report.total]
    groups = []
    for row in totals:
        bars = []
        for y, c in zip(options.years, row.counts, strict=True):
            target = targets.get((row.hub, y))
            bars.append(
                Bar(
                    options.label(y),
                    _value(c),
                    _text(c),
                    note=_target_note(c, target),
                    muted=y != options.to_year,
                    target=target,
                )
            )
        groups.append(BarGroup(row.hub or _("All hubs"), bars))
    description = " ".join(_trend_sentence(row, options, targets) for row in totals)
    title = _("Trend of the totals, %(years)s", years=years_label(options))
    if targets:
        title = _("Trend of the totals against the targets, %(years)s", years=years_label(options))
    svg = bar_chart(title, description, groups, width=CHART_WIDTH, note_width=NOTE_WIDTH)
    return Figure(svg, title, key="trend")


def _target_note(count: int | str, target: float | None) -> str:
    if target is None:
        return ""
    note = _("target %(n)s", n=format_number(int(target)))
    if isinstance(count, int) and target > 0:
        note += f" · {format_number(round(100 * count / target, 1), 1)}%"
    return note


def _trend_sentence(row: GrowthRow, options: ReportOptions, targets: TrendTargets) -> str:
    parts = []
    for y, c in zip(options.years, row.counts, strict=True):
        part = f"{options.label(y)} {_text(c)}"
        if (row.hub, y) in targets:
            part += f" ({_target_note(c, targets[(row.hub, y)])})"
        parts.append(part)
    return f"{row.hub or _('All hubs')}: " + ", ".join(parts) + "."
