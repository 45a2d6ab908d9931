"""Row 5: a 1M-row CSV and XLSX export of bookings through ``hubs.exports.tabular``
(streamed from the database), time and peak memory at 100k and 1M rows. Each export runs
in a fresh process so its peak RSS is its own; memory must stay bounded: the peak at 1M
rows at most 32 MiB above the peak at 100k rows.

``python -m bench.cases.exports URL csv|xlsx ROWS`` runs one export and prints JSON.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench.cases import Context
from bench.measure import Row

ROOT = Path(__file__).resolve().parents[2]
HEADER = ("id", "resource", "start", "end", "status", "group", "people")
# Rows held in memory would cost hundreds of MiB at 1M rows; streaming costs nothing.
BOUND_MIB = 32


def rows(limit: int) -> Iterator[tuple[Any, ...]]:
    """Bookings with their resource's name, streamed (server-side cursor on PostgreSQL)."""
    from sqlalchemy import select

    from hubs.booking.models import Booking
    from hubs.extensions import db
    from hubs.locations.models import Resource

    stmt = (
        select(
            Booking.id,
            Resource.name,
            Booking.start_at,
            Booking.end_at,
            Booking.status,
            Booking.group_name,
            Booking.group_size,
        )
        .join(Resource, Resource.id == Booking.resource_id)
        .order_by(Booking.id)
        .limit(limit)
    )
    result = db.session.execute(stmt.execution_options(stream_results=True, yield_per=2000))
    for row in result:
        yield (row[0], row[1], row[2], row[3], str(row[4]), row[5], row[6])


def export(url: str, fmt: str, limit: int) -> dict[str, Any]:
    from bench.database import bench_app
    from hubs.exports.tabular import Sheet, csv_stream, stream_file, write_xlsx

    app = bench_app(url)
    with app.app_context():
        next(rows(1))  # the app and the database driver loaded: the baseline
    baseline_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    size = 0
    with app.app_context():
        if fmt == "csv":
            for text in csv_stream(HEADER, rows(limit)):
                size += len(text.encode())
        else:
            path = write_xlsx([Sheet("Boekingen", HEADER, rows(limit))])
            for chunk in stream_file(path):
                size += len(chunk)
    seconds = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "seconds": seconds,
        "peak_mib": peak_kib / 1024,
        "export_mib": (peak_kib - baseline_kib) / 1024,
        "bytes": size,
    }


def _measure(url: str, fmt: str, limit: int) -> dict[str, Any]:
    output = subprocess.run(
        [sys.executable, "-m", "bench.cases.exports", url, fmt, str(limit)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    return result


def run(ctx: Context) -> list[Row]:
    big = 20_000 if ctx.quick else min(ctx.large.scale.bookings, 1_000_000)
    small = big // 10
    result = []
    for fmt in ("csv", "xlsx"):
        at_small = _measure(ctx.large.url, fmt, small)
        at_big = _measure(ctx.large.url, fmt, big)
        growth = at_big["peak_mib"] - at_small["peak_mib"]
        result.append(
            Row(
                f"5 export {fmt.upper()}",
                ctx.backend,
                f"{big:,} rows in {at_big['seconds']:.1f} s ({at_big['bytes'] / 2**20:.0f} MiB), "
                f"peak RSS {at_big['peak_mib']:.0f} MiB (+{at_big['export_mib']:.0f} for the "
                f"export); {small:,} rows in {at_small['seconds']:.1f} s, peak RSS "
                f"{at_small['peak_mib']:.0f} MiB (+{at_small['export_mib']:.0f})",
                f"{growth:+.0f} MiB",
                f"peak ≤ {small:,}-row peak + {BOUND_MIB} MiB",
                growth <= BOUND_MIB,
                shape=True,
            )
        )
    return result


if __name__ == "__main__":
    print(json.dumps(export(sys.argv[1], sys.argv[2], int(sys.argv[3]))))
