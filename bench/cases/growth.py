"""Row 4: growth over the enrolments — participants per hub in two consecutive school
years — against the equivalent raw SQL ``GROUP BY`` (target ≤ 1.5×).

:func:`growth` runs the real growth report (``hubs.reports.growth.growth_report``, as the
page, exports and API do: every hub, programme and category, hub totals and the overall
total, counted through ``hubs.learners.counting``) and reads its hub totals; the floor
counts only the hub totals, so the ratio includes the report's breakdown.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from bench.cases import Context
from bench.database import bench_app
from bench.generate import World
from bench.measure import Row, clock_for, clock_name, ms, paired_medians

REPEAT = 3  # each call counts a million enrolments: seconds apiece

# Participants per hub in school year :y (1 Aug :y – 31 Jul :y+1): the headcount of
# active groups plus distinct individuals who are not in an active group. Enrolments:
# groups weighted by headcount plus those individuals' records.
RAW_GROWTH = """
SELECT hub_id, sum(participants) AS participants, sum(enrolments) AS enrolments FROM (
    SELECT p.hub_id AS hub_id, sum(e.headcount) AS participants, sum(e.headcount) AS enrolments
    FROM enrolments e JOIN programmes p ON p.id = e.programme_id
    WHERE e.kind = 'group' AND e.starts_on <= :last AND e.ends_on >= :first
    GROUP BY p.hub_id
    UNION ALL
    SELECT p.hub_id, count(DISTINCT e.learner_id), count(e.id)
    FROM enrolments e JOIN programmes p ON p.id = e.programme_id
    WHERE e.kind = 'individual' AND e.starts_on <= :last AND e.ends_on >= :first
      AND NOT EXISTS (
        SELECT 1 FROM enrolments g WHERE g.id = e.group_id
          AND g.starts_on <= :last AND g.ends_on >= :first)
    GROUP BY p.hub_id
) AS parts GROUP BY hub_id ORDER BY hub_id
"""


def growth(year: int) -> dict[int, tuple[int, int]]:
    """Participants per hub in school year ``year - 1`` and ``year``: the hub totals of
    the growth report over everything (needs a request context: it words sentences)."""
    from hubs.reports.growth import growth_report
    from hubs.reports.options import parse_options
    from hubs.reports.scope import EVERYTHING

    query = {"from": str(year - 1), "to": str(year), "basis": "school", "count": "participants"}
    report = growth_report(parse_options(query), EVERYTHING)
    return {
        int(row.hub_id or 0): (int(row.from_count), int(row.to_count))
        for row in sorted(report.hub_totals, key=lambda r: r.hub_id or 0)
        if row.from_count or row.to_count
    }


def raw_growth(year: int) -> dict[int, tuple[int, int]]:
    from datetime import date

    from hubs.extensions import db

    def per_hub(y: int) -> dict[int, int]:
        rows = db.session.execute(
            text(RAW_GROWTH), {"first": date(y, 8, 1), "last": date(y + 1, 7, 31)}
        )
        return {int(hub): int(participants) for hub, participants, _ in rows}

    before, after = per_hub(year - 1), per_hub(year)
    return {
        h: (before.get(h, 0), after.get(h, 0))
        for h in sorted({*before, *after})
        if before.get(h) or after.get(h)
    }


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
    total = sum(after for _before, after in report.values())
    return [
        Row(
            "4 growth (2 school years by hub)",
            ctx.backend,
            f"{world.scale.enrolments:,} enrolments: {ms(app_seconds)} "
            f"({clock_name(ctx.backend)}) vs raw GROUP BY "
            f"{ms(raw_seconds)}; {total:,} participants in {year}"
            + ("" if same else " — RESULTS DIFFER"),
            f"{ratio:.2f}× raw",
            "≤ 1.5× raw, same counts",
            ratio <= 1.5 and same,
            # Different counts are wrong at any size: --quick fails on them too.
            shape=not same,
        )
    ]
