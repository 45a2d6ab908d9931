"""Timing, statement counting and the rows of the result table."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, event


@dataclass
class Row:
    """One line of the table. ``ok`` None: a figure without a target (or pending)."""

    case: str
    backend: str
    figure: str
    ratio: str = ""
    target: str = ""
    ok: bool | None = None
    # A shape check (statement counts, growth with the table, bounded memory) holds at any
    # scale, so --quick enforces it; ratios against floors need the full scale.
    shape: bool = False

    @property
    def verdict(self) -> str:
        return {True: "ok", False: "MISSED", None: "-"}[self.ok]

    def missed(self, quick: bool) -> bool:
        return self.ok is False and (self.shape or not quick)


Clock = Callable[[], float]


def clock_for(backend: str) -> Clock:
    """How in-process cases time a call. On SQLite the database runs inside this process,
    so its CPU time is the whole latency on an idle machine, and other processes on a
    shared machine do not blur it; on PostgreSQL the server's work is elsewhere: wall time.
    """
    return time.process_time if backend == "sqlite" else time.perf_counter


def clock_name(backend: str) -> str:
    return "CPU" if backend == "sqlite" else "wall"


def median_seconds(
    fn: Callable[[], Any], repeat: int, warmup: int = 3, clock: Clock = time.perf_counter
) -> float:
    """The median time of ``fn()`` over ``repeat`` calls, after ``warmup`` calls."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        started = clock()
        fn()
        times.append(clock() - started)
    return statistics.median(times)


def paired_medians(
    a: Callable[[], Any],
    b: Callable[[], Any],
    repeat: int,
    warmup: int = 3,
    clock: Clock = time.perf_counter,
) -> tuple[float, float]:
    """Median wall times of ``a()`` and ``b()`` called in turn (a, b, a, b, ...), so both
    see the same machine: other processes slow both sides alike."""
    for _ in range(warmup):
        a()
        b()
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for fn, bucket in ((a, times[0]), (b, times[1])):
            started = clock()
            fn()
            bucket.append(clock() - started)
    return statistics.median(times[0]), statistics.median(times[1])


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


@contextmanager
def counting_statements(engine: Engine) -> Iterator[list[str]]:
    """Every SQL statement sent through ``engine`` while inside the block."""
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)
