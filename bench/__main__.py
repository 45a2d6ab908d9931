"""``python -m bench [--quick] [--reuse] [--only CASE ...]``: generate, measure, print.

SQLite always; PostgreSQL too when ``HUBS_BENCH_POSTGRES_URL`` is set (a database
``hubs_bench_<scale>`` is created on that cluster for each scale). Exits 1 when a target
is missed.
"""

from __future__ import annotations

import argparse
import importlib
import os
import platform
import sys
import time
from datetime import date

from bench import database
from bench.cases import Context
from bench.generate import World, generate, plan
from bench.measure import Row
from bench.scale import FULL, FULL_SMALL, QUICK, QUICK_SMALL, Scale

CASES = ["throughput", "availability", "week", "growth", "exports", "feed"]


def _world(backend: str, scale: Scale, quick: bool, reuse: bool, pg: str) -> World:
    name = f"{'quick_' if quick else ''}{scale.name}"
    today = date.today()
    if reuse:
        return plan(database.existing(backend, name, pg), scale, today)
    url = database.fresh(backend, name, pg)
    database.migrate(url)
    world = generate(url, scale, today)
    print(
        f"  {backend} {scale.name}: {scale.bookings:,} occurrences, {scale.learners:,} learners,"
        f" {scale.enrolments:,} enrolments generated in {world.seconds:.0f} s",
        flush=True,
    )
    return world


def run_backend(backend: str, args: argparse.Namespace, pg: str) -> list[Row]:
    small_scale, large_scale = (QUICK_SMALL, QUICK) if args.quick else (FULL_SMALL, FULL)
    small = _world(backend, small_scale, args.quick, args.reuse, pg)
    large = _world(backend, large_scale, args.quick, args.reuse, pg)
    ctx = Context(backend, small, large, args.quick)
    rows: list[Row] = []
    for name in args.only or CASES:
        started = time.perf_counter()
        module = importlib.import_module(f"bench.cases.{name}")
        found = module.run(ctx)
        print(f"  {backend} {name}: {time.perf_counter() - started:.0f} s", flush=True)
        for row in found:
            print(f"    {row.case}: {row.figure} [{row.ratio} {row.target} {row.verdict}]")
        rows += found
    return rows


def table(rows: list[Row]) -> str:
    header = ("case", "db", "figures", "ratio", "target", "")
    lines = [header] + [(r.case, r.backend, r.figure, r.ratio, r.target, r.verdict) for r in rows]
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    widths[2] = min(widths[2], 110)
    out = []
    for i, line in enumerate(lines):
        cells = [line[c].ljust(widths[c]) for c in range(len(header))]
        out.append(" | ".join(cells).rstrip())
        if i == 0:
            out.append("-+-".join("-" * w for w in widths))
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small data: shape and counts")
    parser.add_argument("--reuse", action="store_true", help="keep the generated databases")
    parser.add_argument("--only", nargs="*", choices=CASES, help="run only these cases")
    parser.add_argument("--sqlite-only", action="store_true", help="skip PostgreSQL")
    parser.add_argument("--postgres-only", action="store_true", help="skip SQLite")
    args = parser.parse_args(argv)
    pg = "" if args.sqlite_only else os.environ.get("HUBS_BENCH_POSTGRES_URL", "")
    if args.postgres_only and not pg:
        parser.error("--postgres-only needs HUBS_BENCH_POSTGRES_URL")
    backends = ([] if args.postgres_only else ["sqlite"]) + (["postgresql"] if pg else [])
    started = time.perf_counter()
    print(f"make bench{' --quick' if args.quick else ''}: {', '.join(backends)}", flush=True)
    rows: list[Row] = []
    for backend in backends:
        rows += run_backend(backend, args, pg)
    print()
    print(table(rows))
    print()
    print(
        f"{platform.node()}: {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"{time.perf_counter() - started:.0f} s in all; load average {os.getloadavg()[0]:.1f}"
    )
    missed = [r for r in rows if r.missed(args.quick)]
    if args.quick and any(r.ok is False and not r.shape for r in rows):
        print("--quick checks counts and shape only; ratios against floors need the full run")
    if missed:
        print(f"{len(missed)} target(s) missed", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
