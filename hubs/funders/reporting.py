"""Funders in the reports: their scope, fixed options, and small numbers suppressed.

Installed into :mod:`hubs.reports.scope` as a reader rule: a principal with a funder
grant (and no staff role) reads the reports of the programmes tagged with the grant's
funding sources (or every programme), with :func:`suppress_growth` applied to every
report, so the page, the API and every download show the same protected numbers.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Hashable
from typing import Any

from flask import g
from flask_babel import gettext as _
from sqlalchemy import select

from hubs.access import Principal
from hubs.accounts.models import Role, RoleGrant
from hubs.extensions import db
from hubs.funders.models import FunderScope, funder_scope_sources
from hubs.funders.suppression import Group, Mark, suppress, threshold
from hubs.reports import scope as report_scope
from hubs.reports.definitions import Definition
from hubs.reports.growth import GrowthReport, GrowthRow
from hubs.reports.options import ReportOptions
from hubs.reports.scope import ReportScope

HIDDEN = "x"


@dataclasses.dataclass(frozen=True)
class FunderReach:
    """What a funder's grants cover: every programme, or those of these funding sources."""

    all_programmes: bool
    source_ids: frozenset[int]


def reach_of(user_id: int) -> FunderReach:
    """The union of the user's funder grants (a grant without a scope covers nothing)."""
    rows = db.session.execute(
        select(FunderScope.all_programmes, funder_scope_sources.c.funding_source_id)
        .join(RoleGrant, RoleGrant.id == FunderScope.grant_id)
        .outerjoin(funder_scope_sources, funder_scope_sources.c.scope_id == FunderScope.id)
        .where(RoleGrant.user_id == user_id, RoleGrant.role == Role.FUNDER)
    ).all()
    return FunderReach(
        all_programmes=any(r[0] for r in rows),
        source_ids=frozenset(r[1] for r in rows if r[1] is not None),
    )


def is_funder_reader(p: Principal) -> bool:
    """A funder and nothing more: staff roles read their own exact reports."""
    return p.is_funder and not p.is_staff and p.user_id is not None


def funder_reach(p: Principal) -> FunderReach | None:
    """The principal's reach as a funder (cached per request), or None."""
    if not is_funder_reader(p):
        return None
    assert p.user_id is not None
    cache: dict[int, FunderReach] = g.setdefault("funder_reach", {})
    if p.user_id not in cache:
        cache[p.user_id] = reach_of(p.user_id)
    return cache[p.user_id]


def scope_for_reach(reach: FunderReach) -> ReportScope:
    """The report scope of a funder: its programmes, fixed options, suppressed numbers."""
    return ReportScope(
        funding_source_ids=None if reach.all_programmes else reach.source_ids,
        report_transforms=(suppress_growth,),
        option_transforms=(fixed_options,),
        fixed_filters=True,
        # The use and training reports are about hubs and companies, not programmes.
        reports=frozenset({"growth"}),
    )


def funder_report_scope(p: Principal) -> ReportScope | None:
    reach = funder_reach(p)
    return None if reach is None else scope_for_reach(reach)


def fixed_options(options: ReportOptions) -> ReportOptions:
    """Funders get whole reports only: comparing a report with a filtered one (a hub, a
    programme, a level, a reference date) could reveal a small group by difference."""
    return dataclasses.replace(
        options, hub_ids=None, programme_ids=None, by_level=False, reference_date=None
    )


def install() -> None:
    report_scope.register_reader(funder_report_scope)


# --- suppression of the growth report --------------------------------------------------


def _groups(report: GrowthReport) -> list[Group]:
    by_hub: dict[int | None, list[Hashable]] = {}
    for index, row in enumerate(report.rows):
        by_hub.setdefault(row.hub_id, []).append(("row", index))
    groups = [
        Group(("hub", index), tuple(by_hub.get(row.hub_id, ())))
        for index, row in enumerate(report.hub_totals)
    ]
    groups.append(Group(("total",), tuple(("hub", i) for i in range(len(report.hub_totals)))))
    return groups


def _cells(report: GrowthReport) -> dict[Hashable, GrowthRow]:
    cells: dict[Hashable, GrowthRow] = {("row", i): r for i, r in enumerate(report.rows)}
    cells.update({("hub", i): r for i, r in enumerate(report.hub_totals)})
    cells[("total",)] = report.total
    return cells


def suppress_growth(report: GrowthReport) -> GrowthReport:
    """The report with small counts shown as "<10" and the cells protecting them as "x";
    change, percentage, factor and sentence cleared where a count is hidden."""
    limit = threshold()
    cells = _cells(report)
    groups = _groups(report)
    hidden: dict[Hashable, dict[int, Mark]] = {key: {} for key in cells}
    for year in range(len(report.options.years)):
        values = {key: _int(row.counts[year]) for key, row in cells.items()}
        for key, mark in suppress(values, groups, limit).items():
            hidden[key][year] = mark
    new = {key: _hide(row, hidden[key], limit) for key, row in cells.items()}
    definitions = [*report.definitions, *_definitions(limit)]
    return dataclasses.replace(
        report,
        rows=[new[("row", i)] for i in range(len(report.rows))],
        hub_totals=[new[("hub", i)] for i in range(len(report.hub_totals))],
        total=new[("total",)],
        definitions=definitions,
    )


def _int(value: int | str) -> int:
    return value if isinstance(value, int) else 0


def label(mark: Mark, limit: int) -> str:
    return f"<{limit}" if mark == Mark.PRIMARY else HIDDEN


def _hide(row: GrowthRow, marks: dict[int, Mark], limit: int) -> GrowthRow:
    if not marks:
        return row
    counts = tuple(label(marks[i], limit) if i in marks else c for i, c in enumerate(row.counts))
    changed: dict[str, Any] = {"counts": counts, "from_count": counts[0], "to_count": counts[-1]}
    if 0 in marks or len(counts) - 1 in marks:
        changed.update(change=None, change_pct=None, factor=None, sentence=_place(row))
    return dataclasses.replace(row, **changed)


def _place(row: GrowthRow) -> str:
    what = " — ".join(p for p in (row.hub, row.programme) if p) or _("All hubs")
    return _("%(what)s: small numbers are not shown", what=what)


def _definitions(limit: int) -> list[Definition]:
    return [
        Definition(
            "small_numbers",
            _("Small numbers"),
            _(
                "To protect small groups, a number from 1 to %(last)s is shown as "
                '"<%(limit)s" and cells that would give it away as "x"; the change, '
                "percentage and factor are then left out.",
                last=limit - 1,
                limit=limit,
            ),
        )
    ]
