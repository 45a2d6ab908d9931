"""Property: whatever the data, no hidden cell can be worked out from what is shown.

Random reports (hubs with rows, totals that are exact sums: the worst case) are
suppressed; an independent solver then computes, for every hidden cell, the values a
reader could deduce from the shown cells, the labels ("<10": 1..9, "x": at least 10) and
every sum. Each hidden cell must keep at least two possible values, and every small
count must be hidden.
"""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from hubs.funders.suppression import Group, Mark, suppress

LIMIT = 10
BIG = 10**9

small_or_large = st.one_of(
    st.integers(0, 12), st.integers(0, 40), st.integers(0, 400), st.sampled_from([0, 1, 10, 11])
)
tables = st.lists(st.lists(small_or_large, min_size=1, max_size=6), min_size=1, max_size=5)


def _build(hubs: list[list[int]]) -> tuple[dict, list[Group]]:
    values: dict = {}
    groups = []
    for h, rows in enumerate(hubs):
        keys = []
        for r, value in enumerate(rows):
            values[("row", h, r)] = value
            keys.append(("row", h, r))
        values[("hub", h)] = sum(rows)
        groups.append(Group(("hub", h), tuple(keys)))
    values[("all",)] = sum(values[("hub", h)] for h in range(len(hubs)))
    groups.append(Group(("all",), tuple(("hub", h) for h in range(len(hubs)))))
    return values, groups


def _possible(values: dict, marks: dict, groups: list[Group]) -> dict:
    """Independent of the implementation: feasible range per cell by exhaustive search
    over each group, repeated to a fixed point (exact on a tree of sums)."""
    lo, hi = {}, {}
    for key, value in values.items():
        mark = marks.get(key)
        lo[key], hi[key] = (
            (value, value)
            if mark is None
            else ((1, LIMIT - 1) if mark == Mark.PRIMARY else (LIMIT, BIG))
        )
    for _ in range(3 * len(groups) + 3):
        for g in groups:
            cells = [g.total, *g.members]
            for key in cells:
                others_members = [m for m in g.members if m != key]
                if key == g.total:
                    new_lo = sum(lo[m] for m in g.members)
                    new_hi = sum(hi[m] for m in g.members)
                else:
                    new_lo = lo[g.total] - sum(hi[m] for m in others_members)
                    new_hi = hi[g.total] - sum(lo[m] for m in others_members)
                lo[key] = max(lo[key], new_lo)
                hi[key] = min(hi[key], new_hi)
    return {k: (lo[k], hi[k]) for k in values}


@settings(max_examples=400, deadline=None)
@given(tables)
def test_no_hidden_cell_can_be_worked_out(hubs):
    values, groups = _build(hubs)
    marks = suppress(values, groups, LIMIT)
    for key, value in values.items():
        if 0 < value < LIMIT:
            assert marks.get(key) == Mark.PRIMARY, key
        if marks.get(key) == Mark.SECONDARY:
            assert value >= LIMIT, key
    possible = _possible(values, marks, groups)
    for key in marks:
        low, high = possible[key]
        assert low <= values[key] <= high, (key, values[key], possible[key])
        assert high - low >= 1, f"{key} = {values[key]} can be worked out: {possible[key]}"


@settings(max_examples=200, deadline=None)
@given(tables)
def test_a_group_never_hides_exactly_one_cell_under_a_shown_total(hubs):
    values, groups = _build(hubs)
    marks = suppress(values, groups, LIMIT)
    for g in groups:
        if g.total in marks:
            continue
        hidden = [m for m in g.members if m in marks]
        assert len(hidden) != 1, (g, hidden)


def test_the_classic_case_one_plus_ten_is_protected():
    # 1 ("<10") and 10 ("x") under a total of 11 would give both away: more is hidden.
    values, groups = _build([[1, 10, 30]])
    marks = suppress(values, groups, LIMIT)
    assert set(marks) >= {("row", 0, 0), ("row", 0, 1)}
    possible = _possible(values, marks, groups)
    assert all(possible[k][1] > possible[k][0] for k in marks)


def test_nothing_small_nothing_hidden():
    values, groups = _build([[12, 40], [0, 300]])
    assert suppress(values, groups, LIMIT) == {}


def test_exhaustive_small_tables_are_protected():
    # Every table of one hub with two or three rows of 0..12: brute force check.
    for size in (2, 3):
        for rows in itertools.product(range(13), repeat=size):
            values, groups = _build([list(rows)])
            marks = suppress(values, groups, LIMIT)
            hidden = [k for k in marks]
            for key in hidden:
                candidates = _brute_force(values, marks, key, size)
                assert len(candidates) >= 2, (rows, key, candidates)


def _brute_force(values: dict, marks: dict, key, size: int) -> set[int]:
    """All values of ``key`` in some assignment consistent with what is shown."""
    domains = []
    cells = [("row", 0, r) for r in range(size)] + [("hub", 0), ("all",)]
    for cell in cells:
        mark = marks.get(cell)
        if mark is None:
            domains.append([values[cell]])
        elif mark == Mark.PRIMARY:
            domains.append(list(range(1, LIMIT)))
        else:
            domains.append(list(range(LIMIT, 13 * size + 1)))
    found = set()
    for assignment in itertools.product(*domains[:size]):
        total = sum(assignment)
        if total not in domains[size] or total not in domains[size + 1]:
            continue
        full = dict(zip(cells, [*assignment, total, total], strict=True))
        found.add(full[key])
    return found
