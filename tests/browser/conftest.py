"""Browser tests: the real app on a loopback port, driven by the system Chromium.

- Mark browser tests ``@pytest.mark.browser`` (``pytestmark = pytest.mark.browser``). They
  run when Chromium is at ``HUBS_TEST_CHROMIUM`` (default ``/usr/bin/chromium``); without
  it they are skipped, or fail when ``HUBS_TEST_REQUIRE_ALL=1``. A browser is never
  downloaded.
- ``live_server`` serves the ``app`` fixture (so every browser test runs once per database
  backend) in a background thread and gives its base URL.
- Every browser context (``page``, ``context``, ``new_context()``) opens relative URLs on
  the live server and may not reach any other host: such a request is aborted and fails
  the test.
- ``sign_in(page, email, password)`` signs in through the real login form.

These fixtures are visible to tests under ``tests/browser/`` only: put end-to-end browser
tests of a feature here (``tests/browser/test_<feature>.py``).
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from playwright.sync_api import BrowserContext, Page, Route, expect
from werkzeug.serving import WSGIRequestHandler, make_server

from tests.helpers import PASSWORD

CHROMIUM = os.environ.get("HUBS_TEST_CHROMIUM", "/usr/bin/chromium")
REQUIRE_ALL = os.environ.get("HUBS_TEST_REQUIRE_ALL", "") == "1"
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
# Short enough that a broken page fails in seconds, long enough for a loaded CI machine.
TIMEOUT_MS = 15_000

_OUTSIDE_REQUESTS = pytest.StashKey[list[str]]()


def pytest_runtest_setup(item: pytest.Item) -> None:
    # A hook, not a fixture: it runs before the session-scoped browser is launched.
    if item.get_closest_marker("browser") is None or Path(CHROMIUM).is_file():
        return
    message = f"browser tests need Chromium at {CHROMIUM} (HUBS_TEST_CHROMIUM)"
    if REQUIRE_ALL:
        pytest.fail(message + " but HUBS_TEST_REQUIRE_ALL=1", pytrace=False)
    pytest.skip(message)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    """Fail a test whose pages tried to reach another host (the guard aborted them)."""
    try:
        result = yield
    except BaseException as exc:
        blocked = item.stash.get(_OUTSIDE_REQUESTS, [])
        if blocked:
            exc.add_note("requests to other hosts (aborted):\n  " + "\n  ".join(blocked))
        raise
    blocked = item.stash.get(_OUTSIDE_REQUESTS, [])
    if blocked:
        pytest.fail(
            "the app made requests to other hosts (aborted):\n  " + "\n  ".join(blocked),
            pytrace=False,
        )
    return result


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """The system Chromium, headless (unless ``--headed``), quiet: no updates, sync or
    background traffic."""
    return {
        "headless": True,
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    # Every role signs in from 127.0.0.1 within seconds; the production limit of ten
    # sign-ins per minute per address is for people, not for this suite.
    return {**app_config, "RATELIMIT_LOGIN": "1000 per minute"}


class _QuietHandler(WSGIRequestHandler):
    """Keeps the access log out of test output; errors are still logged."""

    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass


def _buffered(app: Flask) -> Callable[[Any, Any], list[bytes]]:
    """Read each response whole and close it before the server writes it out.

    Werkzeug's development server skips ``close()`` on the response when the browser drops
    the connection first (Chromium cancels a favicon request when a page goes away), and
    the unclosed static file is a ResourceWarning, which is an error here.
    """

    def wsgi(environ: Any, start_response: Any) -> list[bytes]:
        body = app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            close = getattr(body, "close", None)
            if close is not None:
                close()

    return wsgi


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """The app served on 127.0.0.1 (a free port) from a background thread: its base URL."""
    server = make_server(
        "127.0.0.1", 0, _buffered(app), threaded=True, request_handler=_QuietHandler
    )
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


def _guard(blocked: list[str]) -> Callable[[Route], None]:
    def handle(route: Route) -> None:
        request = route.request
        if urlsplit(request.url).hostname in LOCAL_HOSTS:
            route.fallback()
            return
        blocked.append(f"{request.method} {request.url}")
        route.abort("blockedbyclient")

    return handle


@pytest.fixture
def new_context(
    new_context: Callable[..., BrowserContext],
    live_server: str,
    request: pytest.FixtureRequest,
) -> Callable[..., BrowserContext]:
    """pytest-playwright's ``new_context``, on the live server, with the outside-host guard.

    Contexts default to a Dutch browser (``nl-NL``) in Amsterdam, like our users.
    """
    blocked = request.node.stash.setdefault(_OUTSIDE_REQUESTS, [])

    def make_context(**kwargs: Any) -> BrowserContext:
        options = {
            "base_url": live_server,
            "locale": "nl-NL",
            "timezone_id": "Europe/Amsterdam",
            **kwargs,
        }
        context = new_context(**options)
        context.set_default_timeout(TIMEOUT_MS)
        context.route("**/*", _guard(blocked))
        return context

    return make_context


def sign_in(page: Page, email: str, password: str = PASSWORD) -> None:
    """Sign in through the real login form and wait until the app let us in."""
    page.goto("/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.locator("form:has(#password) button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/login(\?|$)"))
    expect(page.locator("details.user-menu")).to_be_visible()


@pytest.fixture(name="sign_in")
def sign_in_fixture() -> Callable[..., None]:
    """``sign_in(page, email, password=PASSWORD)``: sign in through the login form."""
    return sign_in
