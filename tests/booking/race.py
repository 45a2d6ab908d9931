"""Real concurrency for race tests: a threaded HTTP server, a gunicorn with several worker
processes, and N clients that fire at the same moment."""

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
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Answer:
    status: int
    body: str
    location: str = ""

    def json(self) -> Any:
        return json.loads(self.body)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def threaded_server(app: Any) -> Iterator[int]:
    """The real Flask app in a threaded werkzeug server on a free port."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.port
    finally:
        server.shutdown()
        thread.join(timeout=10)


@contextmanager
def gunicorn(database_url: str, instance: Path, workers: int = 3) -> Iterator[int]:
    """``gunicorn wsgi:app`` with several worker processes, like production."""
    port = free_port()
    env = {
        **os.environ,
        "HUBS_ENV": "testing",
        "HUBS_DATABASE_URL": database_url,
        "HUBS_SECRET_KEY": "test-secret-key",
        "HUBS_INSTANCE_PATH": str(instance),
        "HUBS_MAIL_BACKEND": "folder",
        "HUBS_MAIL_DELIVER_INLINE": "false",
        "HUBS_BASE_URL": "http://hubs.test",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(workers),
            "--threads",
            "4",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_until_up(port, process)
        yield port
    finally:
        process.send_signal(signal.SIGINT)  # quick shutdown; the race is over
        try:
            process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()


def _wait_until_up(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output, _ = process.communicate()
            raise RuntimeError(f"gunicorn stopped: {output.decode()}")
        try:
            if request(port, "GET", "/healthz").status == 200:
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("gunicorn did not start")


def request(
    port: int,
    method: str,
    path: str,
    *,
    json_body: Any = None,
    form: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Answer:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    head = dict(headers or {})
    body = None
    if json_body is not None:
        body = json.dumps(json_body)
        head["Content-Type"] = "application/json"
    elif form is not None:
        body = urlencode(form, doseq=True)
        head["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        conn.request(method, path, body=body, headers=head)
        response = conn.getresponse()
        return Answer(
            response.status, response.read().decode(), response.getheader("Location") or ""
        )
    finally:
        conn.close()


def at_once(count: int, fire: Any) -> list[Answer]:
    """Call ``fire()`` from ``count`` threads released together by a barrier."""
    barrier = threading.Barrier(count)
    answers: list[Answer] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run() -> None:
        try:
            barrier.wait(timeout=30)
            answer = fire()
            with lock:
                answers.append(answer)
        except BaseException as exc:  # noqa: BLE001 - reported below
            with lock:
                errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    return answers
