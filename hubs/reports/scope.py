"""What a reader may see in reports: a scope of hubs, programmes and funding sources.

The query layer takes a :class:`ReportScope`, never a user: the page and the API derive
it from the signed-in principal, the command line uses :data:`EVERYTHING`. A scope can
also carry *row transforms*, applied to every row (and total) after the numbers are
computed and before anything is rendered or exported: the place where funder reports
will suppress small numbers ("<10").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from hubs.access import Principal
from hubs.extensions import db
from hubs.learners.counting import Filters
from hubs.learners.models import programme_funding
from hubs.locations.models import Hub

RowTransform = Callable[[Any], Any]
# Hooks of other features (funders): a whole-report transform, an options narrowing, and
# a reader rule giving a scope (or None) for principals who are not staff.
ReportTransform = Callable[[Any], Any]
ReaderRule = Callable[[Principal], "ReportScope | None"]
_reader_rules: list[ReaderRule] = []


def register_reader(rule: ReaderRule) -> None:
    """Let another feature give report access: ``rule(principal)`` -> scope or None."""
    if rule not in _reader_rules:
        _reader_rules.append(rule)


@dataclass(frozen=True)
class ReportScope:
    """None means "no restriction" for each part; the parts narrow each other."""

    hub_ids: frozenset[int] | None = None
    programme_ids: frozenset[int] | None = None
    funding_source_ids: frozenset[int] | None = None
    # Applied in order to each row of every section (e.g. suppress small numbers).
    row_transforms: Sequence[RowTransform] = ()
    # Applied to each finished report (e.g. suppress small numbers, secondary too).
    report_transforms: Sequence[ReportTransform] = ()
    # Narrow the reader's options (e.g. funders: no filters that allow differencing).
    option_transforms: Sequence[Callable[[Any], Any]] = ()
    # The reader may not filter by hub, programme, level or reference date.
    fixed_filters: bool = False
    # The reports the reader may open (None: all of them).
    reports: frozenset[str] | None = None

    def allows(self, report: str | None) -> bool:
        return report is None or self.reports is None or report in self.reports

    @property
    def is_everything(self) -> bool:
        return self.hub_ids is None and self.programme_ids is None and not self.funded_only

    @property
    def funded_only(self) -> bool:
        return self.funding_source_ids is not None

    def transform(self, row: Any) -> Any:
        for fn in self.row_transforms:
            row = fn(row)
        return row

    def prepare(self, options: Any) -> Any:
        for fn in self.option_transforms:
            options = fn(options)
        return options

    def finish(self, report: Any) -> Any:
        for fn in self.report_transforms:
            report = fn(report)
        return report

    def learner_filters(
        self, hub_ids: frozenset[int] | None, programme_ids: frozenset[int] | None
    ) -> Filters:
        """Counting filters: the reader's choice of hubs and programmes within this scope."""
        return Filters(
            hub_ids=_narrow(self.hub_ids, hub_ids),
            programme_ids=_narrow(_narrow(self.programme_ids, programme_ids), self._funded()),
        )

    def allowed_hub_ids(self, chosen: frozenset[int] | None) -> frozenset[int] | None:
        return _narrow(self.hub_ids, chosen)

    def _funded(self) -> frozenset[int] | None:
        if self.funding_source_ids is None:
            return None
        rows = db.session.scalars(
            select(programme_funding.c.programme_id).where(
                programme_funding.c.funding_source_id.in_(sorted(self.funding_source_ids))
            )
        )
        return frozenset(rows)


def _narrow(a: frozenset[int] | None, b: frozenset[int] | None) -> frozenset[int] | None:
    if a is None:
        return b
    if b is None:
        return a
    return a & b


EVERYTHING = ReportScope()


def can_read_reports(p: Principal) -> bool:
    """Programme managers (everything) and coordinators (their hubs).

    Other features may add readers (funders: a scoped, suppressed view).
    """
    return p.is_manager or p.is_coordinator or _other_scope(p) is not None


def scope_for(p: Principal) -> ReportScope:
    """The reports a principal may read (call :func:`can_read_reports` first)."""
    if p.is_manager:
        return EVERYTHING
    if p.is_coordinator:
        return ReportScope(hub_ids=frozenset(p.coordinator_hub_ids))
    other = _other_scope(p)
    if other is not None:
        return other
    raise PermissionError("this principal may not read reports")


def _other_scope(p: Principal) -> ReportScope | None:
    for rule in _reader_rules:
        found = rule(p)
        if found is not None:
            return found
    return None


def hub_names_in(scope: ReportScope, chosen: frozenset[int] | None) -> list[str]:
    """The hubs the reader chose or may see, by name; empty for "all hubs"."""
    allowed = scope.allowed_hub_ids(chosen)
    if allowed is None:
        return []
    return list(db.session.scalars(select(Hub.name).where(Hub.id.in_(allowed)).order_by(Hub.name)))
