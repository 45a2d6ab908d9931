"""Targets per programme, year and indicator, and the actual numbers against them.

Actual numbers: participants by the counting rule, organisations reached (distinct
schools and companies with an enrolment in the programme), contact hours (people present
× hours of the programme's visits, from the attendance register: bookings name their
programme), satisfaction from the answered surveys (average and share scoring 7 or more).
For funders a participants number is hidden when it is small, or when the growth report
hides one of that programme's rows in that year (otherwise it could be worked out);
contact hours when few people were present; satisfaction when few answered.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from hubs.access import Principal
from hubs.attendance.queries import Scope, visit_figures
from hubs.db import transactional
from hubs.errors import InvalidInput, NotAllowed
from hubs.extensions import db
from hubs.funders.models import Indicator, Target
from hubs.funders.suppression import is_small, threshold
from hubs.learners import counting
from hubs.learners.counting import Filters, Period
from hubs.learners.models import Programme

# Satisfaction numbers, by programme and year: (answers, average, share >= 7 in %).
SatisfactionSource = Callable[[Sequence[int], Period], dict[int, tuple[int, float, float]]]
_satisfaction: list[SatisfactionSource] = []


def register_satisfaction(source: SatisfactionSource) -> None:
    if source not in _satisfaction:
        _satisfaction.append(source)


@transactional
def set_target(
    p: Principal, programme_id: int, year: int, indicator: Indicator, value: Decimal | float
) -> Target:
    """Set (or change) a programme's target for one indicator in one year."""
    if not p.is_manager:
        raise NotAllowed(_("Only programme managers set targets."))
    if db.session.get(Programme, programme_id) is None:
        raise InvalidInput(_("Choose a programme."), field="programme_id")
    if not 2000 <= year <= 2100:
        raise InvalidInput(_("Give a year between 2000 and 2100."), field="year")
    number = float(value)
    if number < 0 or (indicator == Indicator.SATISFACTION_AVG and number > 10):
        raise InvalidInput(_("This target is out of range."), field="value")
    if indicator == Indicator.SATISFACTION_SHARE and number > 100:
        raise InvalidInput(_("A share is at most 100%."), field="value")
    target = db.session.scalar(
        select(Target).where(
            Target.programme_id == programme_id, Target.year == year, Target.indicator == indicator
        )
    )
    if target is None:
        target = Target(programme_id=programme_id, year=year, indicator=indicator, value=number)
        db.session.add(target)
    else:
        target.value = number
    db.session.flush()
    return target


@dataclass(frozen=True)
class Progress:
    """A target with the actual number (None: unknown) and, for funders, what is hidden."""

    target: Target
    actual: float | None
    hidden: str | None = None  # "<10" or "x" when a funder may not see the number

    @property
    def shown_actual(self) -> float | str | None:
        return self.hidden if self.hidden else self.actual

    @property
    def progress_pct(self) -> float | None:
        if self.hidden or self.actual is None or not self.target.value:
            return None
        return round(100 * self.actual / self.target.value, 1)


def _participants(ids: Sequence[int], period: Period) -> dict[int, int]:
    found = counting.count(period, ("programme",), Filters(programme_ids=frozenset(ids)))
    return {c.programme_id: c.participants for c in found if c.programme_id is not None}


def _organisations(ids: Sequence[int], period: Period) -> dict[int, int]:
    found = counting.count(
        period, ("programme", "organisation"), Filters(programme_ids=frozenset(ids))
    )
    reached: dict[int, int] = {}
    for c in found:
        if c.programme_id is not None and c.enrolments:
            reached[c.programme_id] = reached.get(c.programme_id, 0) + 1
    return reached


@dataclass(frozen=True)
class ContactHours:
    """A programme's realised contact hours in a period, and the people behind them."""

    hours: float
    present: int  # people present, summed over the recorded visits
    visits: int
    recorded: int


def contact_hours(ids: Sequence[int], period: Period) -> dict[int, ContactHours]:
    """Per programme: people present × hours of its recorded visits in ``period``.

    One aggregate query (``hubs.attendance.queries``); visits without a recorded
    attendance add nothing (their number is in ``visits - recorded``).
    """
    found = visit_figures(
        period.starts_on,
        period.ends_on,
        by=("programme",),
        scope=Scope(programme_ids=frozenset(ids)),
    )
    return {
        int(f.key["programme"]): ContactHours(
            f.contact_hours, f.realised_participants, f.visits, f.recorded
        )
        for f in found
        if f.key.get("programme") is not None
    }


def actuals(ids: Sequence[int], period: Period) -> dict[tuple[int, Indicator], float]:
    """The actual number per programme and indicator in ``period`` (missing: unknown)."""
    result: dict[tuple[int, Indicator], float] = {}
    for pid, n in _participants(ids, period).items():
        result[(pid, Indicator.PARTICIPANTS)] = n
    for pid, n in _organisations(ids, period).items():
        result[(pid, Indicator.ORGANISATIONS)] = n
    for pid, figures in contact_hours(ids, period).items():
        if figures.recorded:
            result[(pid, Indicator.CONTACT_HOURS)] = figures.hours
    for source in _satisfaction:
        for pid, (answers, average, share) in source(ids, period).items():
            if answers:
                result[(pid, Indicator.SATISFACTION_AVG)] = average
                result[(pid, Indicator.SATISFACTION_SHARE)] = share
    return result


def _answers(ids: Sequence[int], period: Period) -> dict[int, int]:
    counts: dict[int, int] = {}
    for source in _satisfaction:
        for pid, (answers, _avg, _share) in source(ids, period).items():
            counts[pid] = answers
    return counts


def _present(ids: Sequence[int], period: Period) -> dict[int, int]:
    return {pid: f.present for pid, f in contact_hours(ids, period).items()}


def progress(
    targets: Iterable[Target],
    basis: counting.Basis = counting.Basis.SCHOOL_YEAR,
    *,
    suppress_for_funders: bool = False,
    hidden_programmes: dict[int, set[int]] | None = None,
) -> list[Progress]:
    """Each target with its actual number; for funders small numbers hidden.

    ``hidden_programmes``: year -> programmes of which the growth report hides a row.
    """
    targets = list(targets)
    by_year: dict[int, list[int]] = {}
    for t in targets:
        by_year.setdefault(t.year, []).append(t.programme_id)
    found: dict[int, dict[tuple[int, Indicator], float]] = {}
    answers: dict[int, dict[int, int]] = {}
    present: dict[int, dict[int, int]] = {}
    for year, ids in by_year.items():
        found[year] = actuals(sorted(set(ids)), Period(year, basis))
        if suppress_for_funders:
            answers[year] = _answers(sorted(set(ids)), Period(year, basis))
            present[year] = _present(sorted(set(ids)), Period(year, basis))
    limit = threshold()
    result = []
    for t in targets:
        actual = found[t.year].get((t.programme_id, t.indicator))
        hidden = None
        if suppress_for_funders and actual is not None:
            people = {
                **{(pid, "answers"): n for pid, n in answers[t.year].items()},
                **{(pid, "present"): n for pid, n in present[t.year].items()},
            }
            hidden = _hidden(t, actual, limit, people, hidden_programmes or {})
        result.append(Progress(t, actual, hidden))
    return result


def _hidden(
    t: Target,
    actual: float,
    limit: int,
    people: dict[tuple[int, str], int],
    hidden_programmes: dict[int, set[int]],
) -> str | None:
    """How a funder sees the number: ``people`` holds (programme, "answers"|"present")."""
    if t.indicator == Indicator.PARTICIPANTS:
        if is_small(int(actual), limit):
            return f"<{limit}"
        if t.programme_id in hidden_programmes.get(t.year, set()):
            return "x"
    satisfaction = (Indicator.SATISFACTION_AVG, Indicator.SATISFACTION_SHARE)
    if t.indicator in satisfaction and is_small(people.get((t.programme_id, "answers"), 0), limit):
        return f"<{limit}"
    present = people.get((t.programme_id, "present"), 0)
    if t.indicator == Indicator.CONTACT_HOURS and is_small(present, limit):
        return "x"  # the hours are not a count of people: no "<10" here
    return None


def targets_for(
    years: Sequence[int], programme_ids: Iterable[int] | None, hub_ids: Iterable[int] | None
) -> list[Target]:
    """Targets of these years within a report's programmes and hubs (bounded: 1000)."""
    stmt = (
        select(Target)
        .join(Programme, Programme.id == Target.programme_id)
        .options(selectinload(Target.programme).selectinload(Programme.hub))
        .where(Target.year.in_(list(years)))
        .order_by(Programme.hub_id, Programme.name, Target.year, Target.indicator)
        .limit(1000)
    )
    if programme_ids is not None:
        stmt = stmt.where(Target.programme_id.in_(sorted(programme_ids)))
    if hub_ids is not None:
        stmt = stmt.where(Programme.hub_id.in_(sorted(hub_ids)))
    return list(db.session.scalars(stmt))
