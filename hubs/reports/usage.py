"""The use report: booked and realised hours against opening hours, and no-shows.

Per resource, per hub, per kind of organisation and per month, for the local dates of
the chosen years (school or calendar). Hours are summed by the database (one aggregate
query per breakdown); the hours a resource was available come from
:mod:`hubs.reports.capacity`, realised hours and no-shows from the one rule in
:mod:`hubs.reports.realised`.

*Booked* means confirmed bookings that start in the period, each resource of a bundle
counted with the bundle's length. *Utilisation* is booked (or realised) hours divided by
the hours the resource was available.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, literal, or_, select

from hubs.booking.models import Booking, BookingStatus
from hubs.db import utcnow
from hubs.extensions import db
from hubs.locations.models import Hub, Resource, ResourceKind
from hubs.organisations.models import Organisation, OrganisationKind
from hubs.reports.capacity import Availability, Month, availability, month_starts, period_bounds
from hubs.reports.options import ReportOptions
from hubs.reports.realised import RealisedRule, realised_rule
from hubs.reports.scope import ReportScope

RANKED = 5  # machines in "most used" and in "least used"


def hours_between(start: Any, end: Any) -> ColumnElement[Any]:
    """SQL: the length of ``[start, end)`` in hours, on either database."""
    if db.engine.dialect.name == "postgresql":
        return func.extract("epoch", end - start) / 3600.0
    return (func.julianday(end) - func.julianday(start)) * 24.0


def pct(part: float | None, whole: float) -> float | None:
    """A percentage with one decimal; None when there is nothing to divide by."""
    if part is None or whole <= 0:
        return None
    return round(part / whole * 100, 1)


def _h(value: Any) -> float:
    return round(float(value or 0), 1)


@dataclass(frozen=True)
class Use:
    """Booked and realised hours of one cell, against the hours available (if known)."""

    booked: float
    realised: float
    available: float | None = None
    visits: int | None = None
    participants: int | None = None
    no_shows: int | None = None

    @property
    def booked_pct(self) -> float | None:
        return None if self.available is None else pct(self.booked, self.available)

    @property
    def realised_pct(self) -> float | None:
        return None if self.available is None else pct(self.realised, self.available)


@dataclass(frozen=True)
class ResourceUse:
    hub_id: int
    hub: str
    resource_id: int
    resource: str
    kind: ResourceKind
    use: Use


@dataclass(frozen=True)
class Window:
    """The local dates of the report and the moment "taken place" is measured against."""

    first: date
    last: date
    now: datetime

    @property
    def bounds(self) -> tuple[datetime, datetime]:
        return period_bounds(self.first, self.last)


@dataclass
class UsageReport:
    options: ReportOptions
    window: Window
    rule: RealisedRule
    hub_names: list[str]
    hubs: list[tuple[str, Use]] = field(default_factory=list)
    total: Use = field(default_factory=lambda: Use(0.0, 0.0))
    resources: list[ResourceUse] = field(default_factory=list)
    kinds: list[tuple[OrganisationKind, Use]] = field(default_factory=list)
    months: list[tuple[Month, Use]] = field(default_factory=list)
    most_used: list[ResourceUse] = field(default_factory=list)
    least_used: list[ResourceUse] = field(default_factory=list)


def _in_window(window: Window, hub_ids: Sequence[int]) -> list[ColumnElement[bool]]:
    start, end = window.bounds
    return [
        Booking.status == BookingStatus.CONFIRMED,
        Booking.start_at >= start,
        Booking.start_at < end,
        Booking.hub_id.in_(list(hub_ids)),
    ]


def _resource_rows(window: Window, rule: RealisedRule, hub_ids: Sequence[int]) -> list[Any]:
    """Per resource (retired ones only when booked): booked and realised hours, no-shows."""
    hours = hours_between(Booking.start_at, Booking.end_at)
    joined = and_(Booking.resource_id == Resource.id, *_in_window(window, hub_ids))
    stmt = (
        select(
            Resource.id,
            Resource.hub_id,
            Resource.name,
            Resource.kind,
            func.coalesce(func.sum(case((Booking.id.is_not(None), hours), else_=0.0)), 0.0).label(
                "booked"
            ),
            rule.realised_hours(hours).label("realised"),
            rule.no_shows(visits_only=False).label("no_shows"),
        )
        .select_from(Resource)
        .outerjoin(Booking, joined)
    )
    stmt = rule.join(stmt).where(
        Resource.hub_id.in_(list(hub_ids)), or_(Resource.active, Booking.id.is_not(None))
    )
    return list(
        db.session.execute(
            stmt.group_by(Resource.id, Resource.hub_id, Resource.name, Resource.kind)
        )
    )


def _visit_rows(window: Window, rule: RealisedRule, hub_ids: Sequence[int], by: Any) -> list[Any]:
    """Per value of ``by``: resource-hours booked and realised, visits, people, no-shows."""
    hours = hours_between(Booking.start_at, Booking.end_at)
    lead = Booking.id == Booking.bundle_id
    stmt = (
        select(
            by.label("key"),
            func.sum(hours).label("booked"),
            rule.realised_hours(hours).label("realised"),
            func.sum(case((lead, 1), else_=0)).label("visits"),
            func.sum(case((lead, Booking.group_size), else_=0)).label("participants"),
            rule.no_shows(visits_only=True).label("no_shows"),
        )
        .select_from(Booking)
        .join(Organisation, Organisation.id == Booking.organisation_id)
    )
    stmt = rule.join(stmt).where(*_in_window(window, hub_ids))
    return list(db.session.execute(stmt.group_by(by)))


def _month_of(window: Window) -> Any:
    """SQL: the local month (``"2026-03"``) a booking starts in."""
    starts = month_starts(window.first, window.last)
    whens = [
        (Booking.start_at < next_start, literal(f"{year:04d}-{month:02d}"))
        for ((year, month), _s), (_m, next_start) in zip(starts, starts[1:], strict=False)
    ]
    (year, month), _start = starts[-1]
    last = literal(f"{year:04d}-{month:02d}")
    return case(*whens, else_=last) if whens else last


def _use(row: Any, available: float | None) -> Use:
    return Use(
        booked=_h(row.booked),
        realised=_h(row.realised),
        available=None if available is None else _h(available),
        visits=int(row.visits or 0),
        participants=int(row.participants or 0),
        no_shows=None if row.no_shows is None else int(row.no_shows),
    )


def _scoped_hubs(options: ReportOptions, scope: ReportScope) -> list[tuple[int, str]]:
    stmt = select(Hub.id, Hub.name).order_by(Hub.name)
    allowed = scope.allowed_hub_ids(options.hub_ids)
    if allowed is not None:
        stmt = stmt.where(Hub.id.in_(sorted(allowed)))
    return [(row.id, row.name) for row in db.session.execute(stmt)]


def window_of(options: ReportOptions, now: datetime | None = None) -> Window:
    """The local dates from the start of the first year to the end of the last."""
    first, last = options.period(options.from_year), options.period(options.to_year)
    return Window(first.starts_on, last.ends_on, now or utcnow())


def usage_report(
    options: ReportOptions, scope: ReportScope, now: datetime | None = None
) -> UsageReport:
    """The use report for the years of ``options`` within ``scope`` (see the module docs)."""
    window = window_of(options, now)
    rule = realised_rule(window.now)
    hubs = _scoped_hubs(options, scope)
    names = dict(hubs)
    report = UsageReport(options, window, rule, [name for _id, name in hubs])
    if not hubs:
        return report
    hub_ids = [hub_id for hub_id, _name in hubs]
    capacity = availability(hub_ids, window.first, window.last)
    report.resources = _resources(window, rule, hub_ids, names, capacity)
    _add_hubs(report, window, rule, hub_ids, names)
    _add_kinds(report, window, rule, hub_ids)
    _add_months(report, window, rule, hub_ids, capacity)
    _rank(report)
    return report


def _resources(
    window: Window,
    rule: RealisedRule,
    hub_ids: Sequence[int],
    names: dict[int, str],
    capacity: dict[int, Availability],
) -> list[ResourceUse]:
    rows = _resource_rows(window, rule, hub_ids)
    result = [
        ResourceUse(
            row.hub_id,
            names[row.hub_id],
            row.id,
            row.name,
            ResourceKind(row.kind),
            Use(
                booked=_h(row.booked),
                realised=_h(row.realised),
                available=_h(capacity[row.hub_id].of_resource(row.id)),
                no_shows=None if row.no_shows is None else int(row.no_shows),
            ),
        )
        for row in rows
    ]
    return sorted(result, key=lambda r: (r.hub, r.resource))


def _available_of_hub(report: UsageReport, hub_id: int) -> float:
    return sum(r.use.available or 0.0 for r in report.resources if r.hub_id == hub_id)


def _add_hubs(
    report: UsageReport,
    window: Window,
    rule: RealisedRule,
    hub_ids: Sequence[int],
    names: dict[int, str],
) -> None:
    rows = {row.key: row for row in _visit_rows(window, rule, hub_ids, Booking.hub_id)}
    total_available = 0.0
    for hub_id in hub_ids:
        available = _available_of_hub(report, hub_id)
        total_available += available
        row = rows.get(hub_id)
        report.hubs.append(
            (
                names[hub_id],
                _use(row, available) if row else Use(0.0, 0.0, _h(available), 0, 0, 0),
            )
        )
    report.total = _sum([use for _name, use in report.hubs], total_available)


def _sum(uses: Sequence[Use], available: float | None) -> Use:
    no_shows = sum(u.no_shows or 0 for u in uses)
    return Use(
        booked=_h(sum(u.booked for u in uses)),
        realised=_h(sum(u.realised for u in uses)),
        available=None if available is None else _h(available),
        visits=sum(u.visits or 0 for u in uses),
        participants=sum(u.participants or 0 for u in uses),
        no_shows=no_shows,
    )


def _add_kinds(
    report: UsageReport, window: Window, rule: RealisedRule, hub_ids: Sequence[int]
) -> None:
    rows = {row.key: row for row in _visit_rows(window, rule, hub_ids, Organisation.kind)}
    for kind in OrganisationKind:
        row = rows.get(kind) or rows.get(kind.value)
        if row is not None:
            report.kinds.append((kind, _use(row, None)))


def _add_months(
    report: UsageReport,
    window: Window,
    rule: RealisedRule,
    hub_ids: Sequence[int],
    capacity: dict[int, Availability],
) -> None:
    rows = {row.key: row for row in _visit_rows(window, rule, hub_ids, _month_of(window))}
    for month, _start in month_starts(window.first, window.last):
        available = sum(
            capacity[r.hub_id].of_resource_in(r.resource_id, month) for r in report.resources
        )
        row = rows.get(f"{month[0]:04d}-{month[1]:02d}")
        use = _use(row, available) if row else Use(0.0, 0.0, _h(available), 0, 0, 0)
        report.months.append((month, use))


def _rank(report: UsageReport) -> None:
    machines = [r for r in report.resources if r.kind == ResourceKind.MACHINE]
    by_use = sorted(
        machines, key=lambda r: (-(r.use.booked_pct or 0.0), -r.use.booked, r.hub, r.resource)
    )
    report.most_used = by_use[:RANKED]
    shown = {r.resource_id for r in report.most_used}
    report.least_used = [r for r in reversed(by_use) if r.resource_id not in shown][:RANKED]
