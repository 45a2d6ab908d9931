"""Row 6: a year of a busy hub as an ``.ics`` feed, and the ``304 Not Modified`` path.

Calendar feeds (issue 8) are not on main yet, so this row reports "pending". When they
are merged, :func:`feed` is the one function to wire: it should return the seconds for a
full feed of a year of ``world.big_hub`` and for a conditional request that answers 304
(then ``run`` compares the 304 path with the full one).
"""

from __future__ import annotations

from bench.cases import Context
from bench.generate import World
from bench.measure import Row, ms


def feed(world: World) -> tuple[float, float] | None:
    """(full feed seconds, 304 seconds), or None while feeds are not merged."""
    del world
    return None


def run(ctx: Context) -> list[Row]:
    measured = feed(ctx.large)
    if measured is None:
        return [Row("6 feed (.ics, 1 year, busy hub)", ctx.backend, "pending (feeds not merged)")]
    full, not_modified = measured
    ratio = not_modified / full
    return [
        Row(
            "6 feed (.ics, 1 year, busy hub)",
            ctx.backend,
            f"full {ms(full)}, 304 {ms(not_modified)}",
            f"{ratio:.2f}× full",
            "304 ≤ 0.1× full",
            ratio <= 0.1,
        )
    ]
