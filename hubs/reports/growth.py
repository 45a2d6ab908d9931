"""The growth report: learners per hub × programme × category (× level) over a range of years.

Numbers come from :func:`hubs.learners.counting.count_many` (one aggregate query per year
for the cells, the hub totals and the overall total), never from rows loaded into Python.
Per row: the count in every year of the range (the trend), and for the first and the last
year the absolute change, the percentage change, the growth factor and a sentence. Totals
per hub and over everything in scope are counted with the same rule, not summed from the
rows.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from hubs.extensions import db
from hubs.learners import counting
from hubs.learners.counting import Count, Filters
from hubs.learners.models import LearnerCategory, Level, Programme
from hubs.locations.models import Hub
from hubs.reports.definitions import Definition, growth_definitions
from hubs.reports.options import CountKind, ReportOptions
from hubs.reports.scope import ReportScope, hub_names_in
from hubs.reports.wording import Change, sentence

CATEGORY_ORDER = {c: i for i, c in enumerate(LearnerCategory)}
LEVEL_ORDER = {level: i for i, level in enumerate(Level)}


class RowKind:
    DETAIL = "detail"
    HUB_TOTAL = "hub_total"
    TOTAL = "total"


@dataclass(frozen=True)
class GrowthRow:
    """One line of the report. ``counts`` has one value per year of the range.

    A count is an int; a suppression transform (funder reports) may replace it with a
    text such as "<10" and clear what could give it away (change, percentage, factor).
    """

    kind: str
    hub: str | None
    programme: str | None
    category: LearnerCategory | None
    level: Level | None
    counts: tuple[int | str, ...]
    from_count: int | str
    to_count: int | str
    change: int | None
    change_pct: float | None
    factor: float | None
    sentence: str
    hub_id: int | None = None
    programme_id: int | None = None

    def as_api(self) -> dict[str, Any]:
        return {
            "hub": self.hub,
            "programme": self.programme,
            "category": self.category.value if self.category else None,
            "level": self.level.value if self.level else None,
            "from_count": _api_count(self.from_count),
            "to_count": _api_count(self.to_count),
            "change": self.change,
            "change_pct": self.change_pct,
            "factor": self.factor,
            "sentence": self.sentence,
            # A hidden small number (funders): the value is null.
            "suppressed": any(isinstance(c, str) for c in self.counts),
        }


def _api_count(value: int | str) -> int | None:
    return value if isinstance(value, int) else None


@dataclass
class GrowthReport:
    options: ReportOptions
    rows: list[GrowthRow]
    hub_totals: list[GrowthRow]
    total: GrowthRow
    hub_names: list[str]
    definitions: list[Definition] = field(default_factory=list)
    whole_deal: bool = True


def _value(c: Count, kind: CountKind) -> int:
    return c.participants if kind == CountKind.PARTICIPANTS else c.enrolments


@functools.cache
def _words_for(locale: str, kind: CountKind) -> dict[Any, str]:
    """Nouns per category (and None) and the translated templates, per locale: a report
    of hundreds of rows looks them up once (gettext through Flask-Babel is not free)."""
    words: dict[Any, str] = {c: _noun(c, kind) for c in (None, *LearnerCategory)}
    words["at"] = _("At %(hub)s")
    words["in"] = _(" in %(programme)s")
    return words


def _noun(category: LearnerCategory | None, kind: CountKind) -> str:
    if kind == CountKind.ENROLMENTS:
        if category is None:
            return _("enrolments")
        return _("enrolments of %(who)s", who=_who(category))
    return _who(category)


def _who(category: LearnerCategory | None) -> str:
    return {
        None: _("participants"),
        LearnerCategory.VO: _("pupils"),
        LearnerCategory.MBO: _("students"),
        LearnerCategory.EMPLOYEE: _("employees"),
        LearnerCategory.OTHER: _("other learners"),
    }[category]


Cells = dict[tuple[Any, ...], dict[int, int]]


def _collect(
    options: ReportOptions, by: Sequence[str], filters: Filters
) -> tuple[Cells, Cells, dict[int, int]]:
    """``{cell key: {year: number}}`` for the cells of ``by`` and for the hubs, and
    ``{year: number}`` overall: one aggregate query per year for all three."""
    cells: Cells = {}
    hub_cells: Cells = {}
    overall: dict[int, int] = {year: 0 for year in options.years}
    for year in options.years:
        detail, hubs, total = counting.count_many(options.period(year), [by, ("hub",), ()], filters)
        for c in detail:
            key = (c.hub_id, c.programme_id, c.category, c.level)
            cells.setdefault(key, {})[year] = _value(c, options.count)
        for c in hubs:
            hub_cells.setdefault((c.hub_id, None, None, None), {})[year] = _value(c, options.count)
        for c in total:
            overall[year] = _value(c, options.count)
    return cells, hub_cells, overall


class _Names:
    """Hub and programme names for the ids in the report (two queries)."""

    def __init__(self, hub_ids: set[int], programme_ids: set[int]) -> None:
        self.hubs = dict(
            db.session.execute(select(Hub.id, Hub.name).where(Hub.id.in_(hub_ids))).all()
        )  # type: ignore[arg-type]
        self.programmes = dict(
            db.session.execute(
                select(Programme.id, Programme.name).where(Programme.id.in_(programme_ids))
            ).all()  # type: ignore[arg-type]
        )


def _row(
    options: ReportOptions,
    kind: str,
    years: dict[int, int],
    *,
    place: str,
    hub: str | None = None,
    programme: str | None = None,
    category: LearnerCategory | None = None,
    level: Level | None = None,
    hub_id: int | None = None,
    programme_id: int | None = None,
) -> GrowthRow:
    counts = tuple(years.get(y, 0) for y in options.years)
    change = Change(counts[0], counts[-1])
    words = _words_for(str(get_locale()), options.count)
    noun = words[category]
    if level is not None:
        noun = f"{noun} ({level.label})"
    where = words["in"] % {"programme": programme} if programme else ""
    return GrowthRow(
        kind=kind,
        hub=hub,
        programme=programme,
        category=category,
        level=level,
        counts=counts,
        from_count=change.first,
        to_count=change.last,
        change=change.change,
        change_pct=change.change_pct,
        factor=change.factor,
        sentence=sentence(
            place,
            noun,
            where,
            change,
            options.label(options.from_year),
            options.label(options.to_year),
        ),
        hub_id=hub_id,
        programme_id=programme_id,
    )


def _sort_key(key: tuple[Any, ...], names: _Names) -> tuple[Any, ...]:
    hub_id, programme_id, category, level = key
    return (
        names.hubs.get(hub_id, ""),
        names.programmes.get(programme_id, ""),
        CATEGORY_ORDER.get(category, 9),
        -1 if level is None else LEVEL_ORDER[level],
    )


def growth_report(options: ReportOptions, scope: ReportScope) -> GrowthReport:
    """The growth report for ``options`` within ``scope`` (see the module docs)."""
    options = scope.prepare(options)
    filters = scope.learner_filters(options.hub_ids, options.programme_ids)
    by = ("hub", "programme", "category", *(("level",) if options.by_level else ()))
    cells, hub_cells, overall = _collect(options, by, filters)
    at = _words_for(str(get_locale()), options.count)["at"]
    names = _Names({k[0] for k in cells} | {k[0] for k in hub_cells}, {k[1] for k in cells})
    rows = [
        _row(
            options,
            RowKind.DETAIL,
            cells[key],
            place=at % {"hub": names.hubs[key[0]]},
            hub=names.hubs[key[0]],
            programme=names.programmes[key[1]],
            category=key[2],
            level=key[3],
            hub_id=key[0],
            programme_id=key[1],
        )
        for key in sorted(cells, key=lambda k: _sort_key(k, names))
    ]
    hub_totals = [
        _row(
            options,
            RowKind.HUB_TOTAL,
            hub_cells[key],
            place=at % {"hub": names.hubs[key[0]]},
            hub=names.hubs[key[0]],
            hub_id=key[0],
        )
        for key in sorted(hub_cells, key=lambda k: names.hubs.get(k[0], ""))
    ]
    whole = scope.is_everything and not options.hub_ids and not options.programme_ids
    total = _row(
        options,
        RowKind.TOTAL,
        overall,
        place=_("In the MKB-Deal as a whole") if whole else _("In the hubs shown"),
    )
    report = GrowthReport(
        options=options,
        rows=[scope.transform(r) for r in rows],
        hub_totals=[scope.transform(r) for r in hub_totals],
        total=scope.transform(total),
        hub_names=hub_names_in(scope, options.hub_ids),
        definitions=growth_definitions(options),
        whole_deal=whole,
    )
    return scope.finish(report)  # type: ignore[no-any-return]
