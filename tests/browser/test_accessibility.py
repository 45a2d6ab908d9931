"""Every HTML page meets WCAG 2.1 A and AA as far as axe-core can tell.

Every GET route of ``app.url_map`` is an HTML page unless it is listed in ``NOT_HTML``
(with the reason) or belongs to the JSON API under ``/api/v1``. Each page is opened in
Chromium by every role allowed to see it, in Dutch and in English, and checked with
axe-core. Routes with ids take their ids and allowed roles from the access matrix
(``tests/<feature>/access_cases.py``); routes without ids are opened by every role, and
the roles that get the page are the ones checked. A page that no role got to see fails
the test, so a new page is never skipped silently.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from flask import Flask, url_for
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from hubs.api.common import API_PREFIX
from tests.access.test_matrix import all_cases, build_world
from tests.access.world import ROLES

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
LANGUAGES = ("nl", "en")

# GET routes outside the JSON API (/api/v1) that do not answer HTML, and why. Every other
# GET route is a page and is checked (these and the API's public routes are probed below).
NOT_HTML = {
    "static": "stylesheets, icons and other files",
    "main.healthz": "JSON liveness probe for the load balancer",
    "main.readyz": "JSON readiness probe (database check)",
    "learners.import_template": "CSV and XLSX template downloads",
    "courses.staff_export": "HR's training evidence as CSV and XLSX",
    "courses.certificate": "a course certificate (PDF)",
    "reports.download": "reports as CSV, XLSX and PDF",
    "calendar.booking_ics": "a booking as an iCalendar file (.ics)",
    "calendar.feed": "a calendar feed (.ics) for calendar apps",
    "funders.snapshot_download": "a snapshot's stored CSV, XLSX and PDF",
}

# Pages (HTML) that live under the JSON API's prefix.
HTML_UNDER_API = {"api_docs.docs": "the API documentation, for people"}

MISSING_PAGE = "/this-page-does-not-exist"


@dataclass(frozen=True)
class Target:
    """One URL to check: ``roles`` from the access matrix, or None for "whoever gets it"."""

    endpoint: str
    url: str
    roles: frozenset[str] | None


def _content_type(response: Any) -> str:
    return str(response.headers.get("content-type", "")).split(";")[0].strip()


def page_targets(app: Flask, world: Any) -> tuple[list[Target], list[str]]:
    """The HTML pages of ``app.url_map`` with their URLs, and the routes we cannot plan."""
    cases: dict[str, list[Any]] = defaultdict(list)
    for case in all_cases():
        if case.method == "GET":
            cases[case.endpoint].append(case)
    rules = sorted(app.url_map.iter_rules(), key=lambda rule: (rule.rule, rule.endpoint))
    endpoints = {rule.endpoint for rule in rules}
    problems = [
        f"NOT_HTML lists {endpoint!r}, which is no longer a route"
        for endpoint in NOT_HTML
        if endpoint not in endpoints
    ]
    targets: list[Target] = []
    probes: list[tuple[str, str]] = []  # routes we skip as non-HTML: (endpoint, url)
    with app.test_request_context():
        for rule in rules:
            if "GET" not in (rule.methods or ()):
                continue
            skipped = rule.endpoint in NOT_HTML or (
                rule.rule.startswith(API_PREFIX + "/") and rule.endpoint not in HTML_UNDER_API
            )
            if skipped:
                if not rule.arguments:
                    probes.append((rule.endpoint, url_for(rule.endpoint)))
                continue
            if not rule.arguments:
                targets.append(Target(rule.endpoint, url_for(rule.endpoint), None))
                continue
            if not cases[rule.endpoint]:
                problems.append(
                    f"{rule.endpoint} {rule.rule}: no GET case in the access matrix, so this "
                    "test cannot tell which ids and roles to use (add one in "
                    "tests/<feature>/access_cases.py)"
                )
            for case in cases[rule.endpoint]:
                values = {
                    arg: key[1:] if key.startswith("=") else world[key].id
                    for arg, key in case.args.items()
                }
                url = url_for(case.endpoint, **values)
                targets.append(Target(rule.endpoint, url, frozenset(case.allowed)))
    # The skipped routes must really not be pages (a stale list would hide one).
    client = app.test_client()
    for endpoint, url in probes:
        response = client.get(url)
        if _content_type(response) == "text/html":
            problems.append(f"{endpoint} {url} answers HTML but is skipped as non-HTML")
    return targets, problems


class Auditor:
    """Runs axe on the current page; collects violations, grouped by page, rule and nodes."""

    def __init__(self) -> None:
        self.axe = Axe()
        self.runs = 0
        # (page, rule, offending nodes) -> the roles and languages that saw it
        self._found: dict[tuple[str, str, str], list[str]] = defaultdict(list)

    def check(self, page: Page, what: str, who: str) -> None:
        self.runs += 1
        results = self.axe.run(page, options=AXE_OPTIONS)
        for violation in results.response["violations"]:
            rule = (
                f"{violation['id']} ({violation.get('impact')}): {violation['help']}"
                f" <{violation.get('helpUrl', '')}>"
            )
            self._found[(what, rule, _describe_nodes(violation))].append(who)

    def report(self) -> str:
        """Empty when axe found nothing."""
        if not self._found:
            return ""
        parts = [
            f"{what}: {rule}\n  as {', '.join(who)}\n{nodes}"
            for (what, rule, nodes), who in self._found.items()
        ]
        return (
            f"{len(parts)} WCAG 2.1 A/AA violations ({self.runs} pages checked):\n\n"
            + "\n\n".join(parts)
        )


def _describe_nodes(violation: dict[str, Any]) -> str:
    lines = []
    for node in violation["nodes"]:
        target = " ".join(str(t) for t in node.get("target", []))
        html = " ".join(str(node.get("html", "")).split())[:300]
        summary = " ".join(str(node.get("failureSummary", "")).split())
        lines.append(f"    - {target}: {html}\n      {summary}")
    return "\n".join(lines)


def switch_language(page: Page, lang: str) -> None:
    """Press the header's language button, as a visitor would."""
    html = page.locator("html")
    if html.get_attribute("lang") != lang:
        page.locator(f"form.lang-switch button[value='{lang}']").click()
    expect(html).to_have_attribute("lang", lang)


def open_page(page: Page, target: Target, role: str, problems: list[str]) -> bool:
    """Open ``target``; True when it is a page this role should have checked."""
    where = f"GET {target.url} as {role}"
    try:
        response = page.goto(target.url)
    except PlaywrightError as exc:
        reason = exc.message.splitlines()[0]
        problems.append(f"{where}: cannot be opened as a page ({reason})")
        return False
    assert response is not None
    status = response.status
    moved = urlsplit(page.url).path != urlsplit(target.url).path
    if target.roles is None and (status in (403, 404) or (moved and status == 200)):
        return False  # not this role's page (or a redirect to the sign-in form)
    if status != 200 or moved:
        problems.append(f"{where}: status {status} at {page.url}")
        return False
    if _content_type(response) != "text/html":
        problems.append(
            f"{where}: answers {_content_type(response)!r}; if it is not a page, "
            "list it in NOT_HTML with the reason"
        )
        return False
    return True


def check_as(
    page: Page, role: str, targets: list[Target], auditor: Auditor, problems: list[str]
) -> set[str]:
    """Check every page ``role`` may see, in both languages; the endpoints checked.

    One URL per endpoint is enough: several matrix cases of one endpoint differ only in
    their ids, and render the same template.
    """
    checked: set[str] = set()
    for lang in LANGUAGES:
        switch_language(page, lang)
        who = f"{role} ({lang})"
        done: set[str] = set()
        for target in targets:
            if target.endpoint in done:
                continue
            if target.roles is not None and role not in target.roles:
                continue
            if open_page(page, target, role, problems):
                expect(page.locator("html")).to_have_attribute("lang", lang)
                auditor.check(page, f"GET {target.url}", who)
                checked.add(target.endpoint)
                done.add(target.endpoint)

        response = page.goto(MISSING_PAGE)
        assert response is not None and response.status == 404
        auditor.check(page, f"the error page (GET {MISSING_PAGE})", who)
        if role == "anonymous":
            # The sign-in form with its error summary and invalid fields.
            page.goto("/login")
            page.locator("form:has(#password) button[type=submit]").click()
            expect(page.locator(".error-summary")).to_be_visible()
            auditor.check(page, "POST /login (empty form)", who)
        else:
            page.goto("/")
            page.locator("details.user-menu > summary").click()
            expect(page.locator("details.user-menu ul")).to_be_visible()
            auditor.check(page, "GET / with the user menu open", who)
    return checked


def _fail(problems: list[str], auditor: Auditor | None = None) -> None:
    failures = []
    if problems:
        failures.append("pages that could not be checked:\n" + "\n".join(dict.fromkeys(problems)))
    if auditor is not None and (report := auditor.report()):
        failures.append(report)
    if failures:
        pytest.fail("\n\n".join(failures), pytrace=False)


@pytest.mark.parametrize("role", ROLES)
def test_every_page_meets_wcag_21_aa_in_both_languages(
    app: Flask, make: Any, new_context: Any, sign_in: Any, role: str
) -> None:
    """One test per role, so the workers share the load."""
    world = build_world(make)
    targets, problems = page_targets(app, world)
    auditor = Auditor()
    context = new_context()  # one context and one sign-in per role
    page = context.new_page()
    if role == "anonymous":
        page.goto("/login")
    else:
        sign_in(page, world.users[role].email)
    check_as(page, role, targets, auditor, problems)
    context.close()
    _fail(problems, auditor)


def test_every_page_is_seen_by_some_role(app: Flask, make: Any) -> None:
    """A page no role can open would escape the check above: fail instead."""
    from tests.helpers import login_through_form

    world = build_world(make)
    targets, problems = page_targets(app, world)
    clients = {"anonymous": app.test_client()}
    for role, user in world.users.items():
        clients[role] = app.test_client()
        login_through_form(clients[role], user)
    seen_by: dict[str, set[str]] = defaultdict(set)
    for target in targets:
        for role in target.roles if target.roles is not None else ROLES:
            response = clients[role].get(target.url)
            if response.status_code == 200 and _content_type(response) == "text/html":
                seen_by[target.endpoint].add(role)
    for endpoint in sorted({t.endpoint for t in targets} - set(seen_by)):
        urls = ", ".join(sorted({t.url for t in targets if t.endpoint == endpoint}))
        problems.append(f"{endpoint} ({urls}): no role got to see this page, so it is unchecked")
    assert seen_by["accounts.login"] == {"anonymous"}
    _fail(problems)
