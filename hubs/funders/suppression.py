"""Small-number suppression: what a funder may see of a table of counts.

*Primary* suppression hides every count from 1 up to (not including) the threshold
(default 10, never below 5): it is shown as "<10". *Secondary* suppression hides more
cells, shown as "x", until no hidden cell can be worked out from what is shown.

What a reader can work out is modelled as a set of groups: the cells of a group add up
to its total (a hub's rows to the hub's total, the hubs to the grand total). Counted
totals are at most the sum (a learner in two programmes counts once), so equality is
the worst case and the one assumed. A reader knows that a shown cell has its value, a
"<10" cell lies in 1..9 and an "x" cell is at least 10 (secondary cells are never
zero). :func:`ranges` computes, by bound propagation over the groups, the values each
hidden cell could have; on a hierarchy of sums (a tree) that is exact. A hidden cell is
*protected* when it could have at least two values. :func:`suppress` adds secondary
cells, smallest first, until every hidden cell is protected.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from flask import current_app, has_app_context

DEFAULT_THRESHOLD = 10
MINIMUM_THRESHOLD = 5
UNBOUNDED = 10**15


class Mark(StrEnum):
    PRIMARY = "primary"  # a small count
    SECONDARY = "secondary"  # hidden so that a small count cannot be worked out


@dataclass(frozen=True)
class Group:
    """``sum(members) == total`` (at most, for counted totals; equality assumed)."""

    total: Hashable
    members: tuple[Hashable, ...]


def threshold() -> int:
    """The configured threshold (``HUBS_SMALL_NUMBER_THRESHOLD``), never below 5."""
    value = DEFAULT_THRESHOLD
    if has_app_context():
        value = int(current_app.config.get("SMALL_NUMBER_THRESHOLD", DEFAULT_THRESHOLD))
    return max(MINIMUM_THRESHOLD, value)


def is_small(value: int, limit: int) -> bool:
    return 0 < value < limit


def _domain(value: int, mark: Mark | None, limit: int) -> tuple[int, int]:
    if mark is None:
        return value, value
    if mark == Mark.PRIMARY:
        return 1, limit - 1
    return limit, UNBOUNDED


def ranges(
    values: Mapping[Hashable, int],
    marks: Mapping[Hashable, Mark],
    groups: Sequence[Group],
    limit: int,
) -> dict[Hashable, tuple[int, int]]:
    """The smallest and largest value of each cell consistent with what is shown."""
    bounds = {k: _domain(v, marks.get(k), limit) for k, v in values.items()}
    for _round in range(4 * len(groups) + 4):
        changed = False
        for group in groups:
            changed |= _tighten(bounds, group)
        if not changed:
            break
    return bounds


def _tighten(bounds: dict[Hashable, tuple[int, int]], group: Group) -> bool:
    members = [m for m in group.members if m in bounds]
    if group.total not in bounds or not members:
        return False
    low = sum(bounds[m][0] for m in members)
    high = sum(bounds[m][1] for m in members)
    changed = _set(bounds, group.total, low, high)
    t_low, t_high = bounds[group.total]
    for m in members:
        m_low, m_high = bounds[m]
        others_low, others_high = low - m_low, high - m_high
        changed |= _set(bounds, m, t_low - others_high, t_high - others_low)
    return changed


def _set(bounds: dict[Hashable, tuple[int, int]], key: Hashable, low: int, high: int) -> bool:
    old_low, old_high = bounds[key]
    new = (max(old_low, low), min(old_high, high))
    if new[0] > new[1] or new == (old_low, old_high):
        # Inconsistent with equality (a counted total below the sum): keep what we had.
        return False
    bounds[key] = new
    return True


def unprotected(
    values: Mapping[Hashable, int],
    marks: Mapping[Hashable, Mark],
    groups: Sequence[Group],
    limit: int,
) -> list[Hashable]:
    """The hidden cells a reader could work out exactly."""
    found = ranges(values, marks, groups, limit)
    return [k for k in values if k in marks and found[k][0] >= found[k][1]]


def suppress(
    values: Mapping[Hashable, int], groups: Sequence[Group], limit: int
) -> dict[Hashable, Mark]:
    """Which cells to hide: the small ones, and enough others to protect them."""
    marks: dict[Hashable, Mark] = {k: Mark.PRIMARY for k, v in values.items() if is_small(v, limit)}
    order = {k: i for i, k in enumerate(values)}
    for _step in range(len(values) + 1):
        exposed = unprotected(values, marks, groups, limit)
        if not exposed:
            break
        if any(_protect(key, values, marks, groups, order) for key in exposed):
            continue
        before = len(marks)
        for key in exposed:
            _hide_around(key, values, marks, groups)
        if len(marks) == before:
            break
    return marks


def _protect(
    key: Hashable,
    values: Mapping[Hashable, int],
    marks: dict[Hashable, Mark],
    groups: Sequence[Group],
    order: Mapping[Hashable, int],
) -> bool:
    """Hide the nearest shown non-zero cell linked to ``key`` by the sums: True if one was.

    Nearest first: a partner in the same group (the smallest), then the group's total;
    when a group is hidden already, the search goes on through its hidden cells.
    """
    seen, queue = {key}, [key]
    while queue:
        cell = queue.pop(0)
        for group in (g for g in groups if cell == g.total or cell in g.members):
            cells = [c for c in (*group.members, group.total) if c in values]
            shown = [c for c in group.members if c in cells and c not in marks and values[c] > 0]
            if not shown and group.total in cells and group.total not in marks:
                shown = [group.total] if values[group.total] > 0 else []
            if shown:
                marks[min(shown, key=lambda c: (values[c], order[c]))] = Mark.SECONDARY
                return True
            for c in cells:
                if c in marks and c not in seen:
                    seen.add(c)
                    queue.append(c)
    return False


def _hide_around(
    key: Hashable,
    values: Mapping[Hashable, int],
    marks: dict[Hashable, Mark],
    groups: Sequence[Group],
) -> None:
    # Nothing left to hide that helps: hide the whole neighbourhood (rare: zeros only).
    for g in groups:
        if key == g.total or key in g.members:
            for k in (g.total, *g.members):
                if k in values:
                    marks.setdefault(k, Mark.SECONDARY)
