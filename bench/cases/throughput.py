"""Row 1: booking throughput through the real HTTP stack against its floor.

gunicorn (2 sync workers, as deployed) serves the bench app on loopback; concurrent
clients POST for a fixed time, alternating between

- the floor: ``POST /api/v1/bench/floor``, one INSERT with no rules (bench app only), and
- the real thing: ``POST /api/v1/bookings`` with a bearer token and an Idempotency-Key,
  every rule checked, the audit event and the confirmation mail queued;

two rounds each, so both share whatever else the machine is doing. Every real request
books a distinct free quarter of an hour (the evening, which the generator leaves free),
so each must answer 201. Target: real ≥ 0.5 × floor (requests per second).
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.cases import Context
from bench.database import BENCH_CONFIG, OUT, bench_app
from bench.generate import BOOKER_EMAIL, TZ, World
from bench.measure import Row

ROOT = Path(__file__).resolve().parents[2]
CLIENTS = 8
WORKERS = 2
TARGET = 0.5


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def gunicorn(url: str) -> Iterator[int]:
    """``gunicorn 'bench.app:wsgi()'`` with two sync workers on a free loopback port."""
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "HUBS_ENV": "testing",
        "HUBS_DATABASE_URL": url,
        "HUBS_SECRET_KEY": str(BENCH_CONFIG["SECRET_KEY"]),
        "HUBS_INSTANCE_PATH": str(OUT),
        "HUBS_MAIL_BACKEND": "folder",
        "HUBS_MAIL_DELIVER_INLINE": "false",
        "HUBS_BASE_URL": str(BENCH_CONFIG["BASE_URL"]),
    }
    command = [sys.executable, "-m", "gunicorn", "--workers", str(WORKERS)]
    command += ["--bind", f"127.0.0.1:{port}", "--log-level", "warning", "bench.app:wsgi()"]
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        _wait_until_up(port, process)
        yield port
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()


def _wait_until_up(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output, _ = process.communicate()
            raise RuntimeError(f"gunicorn stopped: {output.decode()}")
        try:
            post(port, "/healthz", None, {}, method="GET")
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def post(
    port: int, path: str, body: Any, headers: dict[str, str], method: str = "POST"
) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        payload = json.dumps(body) if body is not None else None
        conn.request(
            method, path, body=payload, headers={"Content-Type": "application/json", **headers}
        )
        response = conn.getresponse()
        return response.status, response.read().decode()
    finally:
        conn.close()


def prepare(world: World) -> tuple[str, date]:
    """The floor's table, a token for the booker (their organisation is a member of every
    hub), and the first day with free evenings (``--reuse``: after earlier runs' bookings)."""
    from sqlalchemy import func, select

    from bench.app import floor_table_ddl
    from hubs.accounts.models import User
    from hubs.accounts.tokens import issue_api_token
    from hubs.booking.models import Booking
    from hubs.db import write_transaction
    from hubs.extensions import db

    app = bench_app(world.url)
    with app.app_context():
        with db.engine.begin() as conn:
            conn.exec_driver_sql(floor_table_ddl(db.engine.dialect.name))
        with write_transaction():
            user = db.session.scalars(select(User).where(User.email == BOOKER_EMAIL)).one()
            secret, _token = issue_api_token(user, "bench")
        last = db.session.scalar(
            select(func.max(Booking.start_at)).where(Booking.booked_by_id == user.id)
        )
        db.session.rollback()
        db.engine.dispose()
    first = world.today + timedelta(days=2)
    if last is not None:
        first = max(first, last.astimezone(TZ).date() + timedelta(days=1))
    return secret, first


def slots(world: World, client: int, first: date) -> Iterator[dict[str, Any]]:
    """Distinct free evening quarters (17:00–22:00) of this client's resources."""
    resources = [r for ids in world.resources.values() for r in ids][client::CLIENTS]
    day = first
    while day < world.last_day:
        if day.weekday() < 5:
            for quarter in range(20):
                start = datetime.combine(day, datetime.min.time(), TZ) + timedelta(
                    hours=17, minutes=15 * quarter
                )
                for resource in resources:
                    yield _payload(resource, start, world)
        day += timedelta(days=1)


def _payload(resource: int, start: datetime, world: World) -> dict[str, Any]:
    return {
        "resource_ids": [resource],
        "start": start.isoformat(),
        "end": (start + timedelta(minutes=15)).isoformat(),
        "group_name": "Bench",
        "group_size": 1,
        "learner_category": "employee",
        "organisation_id": world.booker_org_id,
    }


class Phase:
    """``CLIENTS`` threads posting to ``path`` for ``seconds``; counts answers."""

    def __init__(self, port: int, path: str, token: str, sources: list[Iterator[Any]]) -> None:
        self.port, self.path, self.token, self.sources = port, path, token, sources
        self.done = 0
        self.failures: list[str] = []
        self.lock = threading.Lock()

    def run(self, seconds: float) -> float:
        stop = time.monotonic() + seconds
        threads = [
            threading.Thread(target=self._client, args=(source, stop)) for source in self.sources
        ]
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return self.done / (time.monotonic() - started)

    def _client(self, source: Iterator[Any], stop: float) -> None:
        headers = {"Authorization": f"Bearer {self.token}"}
        while time.monotonic() < stop:
            body = next(source)
            status, text = post(
                self.port, self.path, body, {**headers, "Idempotency-Key": uuid.uuid4().hex}
            )
            with self.lock:
                if status == 201:
                    self.done += 1
                else:
                    self.failures.append(f"{status} {text[:200]}")


def run(ctx: Context, seconds: float | None = None) -> list[Row]:
    world = ctx.large
    seconds = seconds or (2.0 if ctx.quick else 10.0)
    rounds = 1 if ctx.quick else 2
    token, first = prepare(world)
    sources = [slots(world, c, first) for c in range(CLIENTS)]
    rates: dict[str, list[float]] = {"floor": [], "real": []}
    failures: list[str] = []
    with gunicorn(world.url) as port:
        for path in ("/api/v1/bench/floor", "/api/v1/bookings"):  # warm up both
            Phase(port, path, token, sources).run(0.5)
        for _round in range(rounds):
            for name, path in (("floor", "/api/v1/bench/floor"), ("real", "/api/v1/bookings")):
                phase = Phase(port, path, token, sources)
                rates[name].append(phase.run(seconds))
                failures += phase.failures
    floor = sum(rates["floor"]) / rounds
    real = sum(rates["real"]) / rounds
    ratio = real / floor
    figure = (
        f"{real:.0f} bookings/s vs floor {floor:.0f} inserts/s "
        f"(gunicorn {WORKERS} workers, {CLIENTS} clients, {rounds}×{seconds:.0f} s each)"
    )
    if failures:
        figure += f"; {len(failures)} failed, first: {failures[0]}"
    return [
        Row(
            "1 booking throughput (HTTP)",
            ctx.backend,
            figure,
            f"{ratio:.2f}× floor",
            f"≥ {TARGET}× floor, no failures",
            ratio >= TARGET and not failures,
        )
    ]


def main() -> None:
    """``python -m bench.cases.throughput sqlite|postgresql [seconds]``: row 1 alone on
    the ``--quick`` databases already generated, with the full run's two rounds per phase
    (``make bench-quick`` gives one round of 2 s, too short on a loaded machine)."""
    from bench import database
    from bench.generate import plan
    from bench.scale import QUICK, QUICK_SMALL

    backend = sys.argv[1]
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 10.0
    pg = os.environ.get("HUBS_BENCH_POSTGRES_URL", "")
    today = date.today()
    large = plan(database.existing(backend, "quick_large", pg), QUICK, today)
    small = plan(database.existing(backend, "quick_small", pg), QUICK_SMALL, today)
    for row in run(Context(backend, small, large, quick=False), seconds=seconds):
        print(f"{backend}: {row.figure}: {row.ratio} (load average {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
