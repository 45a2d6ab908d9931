"""With Redis as limiter storage, several workers share one login budget."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time

import pytest

from tests.conftest import REQUIRE_ALL
from tests.helpers import csrf_from_html


@pytest.fixture
def redis_url(tmp_path):
    binary = os.environ.get("HUBS_TEST_REDIS_SERVER") or shutil.which("redis-server")
    if not binary:
        if REQUIRE_ALL:
            pytest.fail("redis-server is required but missing")
        pytest.skip("redis-server not installed")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    proc.terminate()
    proc.wait(timeout=10)


def test_two_workers_share_the_login_limit(redis_url, database_url, make_app):
    config = {
        "DATABASE_URL": database_url,
        "RATELIMIT_STORAGE_URL": redis_url,
        "RATELIMIT_LOGIN": "4 per minute",
    }
    workers = [make_app(**config), make_app(**config)]
    statuses = []
    for n in range(6):
        client = workers[n % 2].test_client()
        token = csrf_from_html(client.get("/login").get_data(as_text=True))
        response = client.post(
            "/login",
            data={
                "email": f"u{n}@tests.example",
                "password": "wrong-password",
                "csrf_token": token,
            },
        )
        statuses.append(response.status_code)
    assert statuses == [401, 401, 401, 401, 429, 429]
