"""Row 4: growth over the enrolments — participants in two consecutive school years —
against the equivalent raw SQL ``GROUP BY`` (target ≤ 1.5×).

:func:`growth` runs the real growth report (``hubs.reports.growth.growth_report``, as the
page, exports and API do) and reads its numbers: every hub × programme × category, the
hub totals and the overall total. The floor counts the same three groupings with the same
rule in hand-written SQL (one statement per year: the counted enrolments once, grouped
three ways), so the ratio is what the report costs on top of the counting itself: the
ORM, the names, the sentences. Both must give the same numbers, cell by cell.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from bench.cases import Context
from bench.database import bench_app
from bench.generate import World
from bench.measure import Row, clock_for, clock_name, ms, paired_medians

REPEAT = 3  # each call counts a million enrolments: seconds apiece

# Participants in school year :y (1 Aug :y – 31 Jul :y+1): the headcount of active
# groups plus distinct individuals who are not in an active group; per hub × programme ×
# category (grouping 0), per hub (1) and overall (2).
RAW_GROWTH = """
WITH counted AS (
    SELECT p.hub_id AS hub, e.programme_id AS programme, e.category AS category,
           e.kind AS kind, e.learner_id AS learner_id, e.headcount AS headcount
    FROM enrolments e JOIN programmes p ON p.id = e.programme_id
    WHERE e.starts_on <= :last AND e.ends_on >= :first
      AND (e.kind = 'group' OR NOT EXISTS (
        SELECT 1 FROM enrolments g WHERE g.id = e.group_id
          AND g.starts_on <= :last AND g.ends_on >= :first))
)
SELECT 0, hub, programme, category,
       coalesce(sum(CASE WHEN kind = 'group' THEN headcount END), 0)
         + count(DISTINCT CASE WHEN kind <> 'group' THEN learner_id END)
FROM counted GROUP BY hub, programme, category
UNION ALL
SELECT 1, hub, NULL, NULL,
       coalesce(sum(CASE WHEN kind = 'group' THEN headcount END), 0)
         + count(DISTINCT CASE WHEN kind <> 'group' THEN learner_id END)
FROM counted GROUP BY hub
UNION ALL
SELECT 2, NULL, NULL, NULL,
       coalesce(sum(CASE WHEN kind = 'group' THEN headcount END), 0)
         + count(DISTINCT CASE WHEN kind <> 'group' THEN learner_id END)
FROM counted
"""

Numbers = dict[tuple[Any, ...], tuple[int, int]]


def growth(year: int) -> Numbers:
    """Participants in school years ``year - 1`` and ``year`` per cell, per hub and in
    all, as the growth report over everything gives them (needs a request context: it
    words sentences)."""
    from hubs.reports.growth import growth_report
    from hubs.reports.options import parse_options
    from hubs.reports.scope import EVERYTHING

    query = {"from": str(year - 1), "to": str(year), "basis": "school", "count": "participants"}
    report = growth_report(parse_options(query), EVERYTHING)
    numbers: Numbers = {
        (0, row.hub_id, row.programme_id, str(row.category)): (
            int(row.from_count),
            int(row.to_count),
        )
        for row in report.rows
    }
    for row in report.hub_totals:
        numbers[(1, row.hub_id, None, None)] = (int(row.from_count), int(row.to_count))
    numbers[(2, None, None, None)] = (int(report.total.from_count), int(report.total.to_count))
    return numbers


def raw_growth(year: int) -> Numbers:
    from datetime import date

    from hubs.extensions import db

    def per_cell(y: int) -> dict[tuple[Any, ...], int]:
        rows = db.session.execute(
            text(RAW_GROWTH), {"first": date(y, 8, 1), "last": date(y + 1, 7, 31)}
        )
        return {
            (int(g), hub, programme, None if category is None else str(category)): int(n)
            for g, hub, programme, category, n in rows
            if g != 2 or n
        }

    before, after = per_cell(year - 1), per_cell(year)
    numbers = {k: (before.get(k, 0), after.get(k, 0)) for k in {*before, *after}}
    numbers.setdefault((2, None, None, None), (0, 0))
    return numbers


def _latest_full_year(world: World) -> int:
    last = world.today.year if world.today.month >= 8 else world.today.year - 1
    return last - 1


def run(ctx: Context) -> list[Row]:
    from hubs.extensions import db

    world = ctx.large
    year = _latest_full_year(world)
    app = bench_app(world.url)
    with app.test_request_context():
        report = growth(year)
        floor = raw_growth(year)
        same = report == floor

        def through_app() -> Any:
            growth(year)
            db.session.rollback()

        def raw() -> Any:
            raw_growth(year)
            db.session.rollback()

        clock = clock_for(ctx.backend)
        app_seconds, raw_seconds = paired_medians(through_app, raw, REPEAT, 1, clock)
        db.session.remove()
        db.engine.dispose()
    ratio = app_seconds / raw_seconds
    total = report[(2, None, None, None)][1]
    return [
        Row(
            "4 growth (2 school years, 3 groupings)",
            ctx.backend,
            f"{world.scale.enrolments:,} enrolments: {ms(app_seconds)} "
            f"({clock_name(ctx.backend)}) vs raw GROUP BY "
            f"{ms(raw_seconds)}; {len(report):,} cells, {total:,} participants in {year}"
            + ("" if same else " — RESULTS DIFFER"),
            f"{ratio:.2f}× raw",
            "≤ 1.5× raw, same counts",
            ratio <= 1.5 and same,
            # Different counts are wrong at any size: --quick fails on them too.
            shape=not same,
        )
    ]
