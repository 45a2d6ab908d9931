"""The access matrix: every route that takes an id, tried as every role.

Roles outside a case's ``allowed`` set must get 403 or 404 (anonymous visitors: a
redirect to sign in for pages, 401 in the API); roles inside it must get through.
A route with a path argument that no case covers fails ``test_every_route_is_covered``.

Each feature declares its cases in ``tests/<feature>/access_cases.py``:

    CASES = [Case("booking.detail", {"booking_id": "booking_x"}, allowed=STAFF_A | ORG_X)]
    def build(world, make): world["booking_x"] = ...   # optional
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from typing import Any

import tests
from tests.access.world import ROLES, build_core
from tests.helpers import login_through_form

# Routes with path arguments that are deliberately outside the matrix, and why.
EXEMPT = {
    "static": "public files",
    "api-docs.openapi_json": "no id",
    "calendar.feed": "a calendar feed: the secret token in its URL is the only credential "
    "(no session); its rules are tested in tests/calendar/test_feed_access.py",
}


@dataclass(frozen=True)
class Case:
    endpoint: str
    args: dict[str, str]  # URL argument -> world key (or a literal prefixed with "=")
    allowed: frozenset[str] | set[str]
    method: str = "GET"
    data: dict[str, Any] = field(default_factory=dict)


def _case_modules() -> list[Any]:
    modules = []
    for info in pkgutil.walk_packages(tests.__path__, "tests."):
        if info.name.endswith(".access_cases"):
            modules.append(importlib.import_module(info.name))
    return modules


def all_cases() -> list[Case]:
    return [case for module in _case_modules() for case in module.CASES]


def build_world(make: Any) -> Any:
    world = build_core(make)
    for module in _case_modules():
        builder = getattr(module, "build", None)
        if builder is not None:
            builder(world, make)
    return world


def _url(app: Any, case: Case, world: Any) -> str:
    values = {}
    for arg, key in case.args.items():
        values[arg] = key[1:] if key.startswith("=") else world[key].id
    with app.test_request_context():
        from flask import url_for

        return url_for(case.endpoint, **values)


def _is_api(case: Case) -> bool:
    return case.endpoint.startswith("api_")


def test_every_route_is_covered(app):
    covered = {case.endpoint for case in all_cases()}
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.arguments and rule.endpoint not in covered and rule.endpoint not in EXEMPT:
            missing.append(f"{rule.endpoint} {rule.rule}")
    assert not missing, "routes with ids missing from the access matrix:\n" + "\n".join(missing)


def test_matrix(app, make):
    from tests.helpers import bearer_headers

    world = build_world(make)
    clients = {role: app.test_client() for role in ROLES}
    tokens: dict[str, dict[str, str]] = {"anonymous": {}}
    for role, user in world.users.items():
        login_through_form(clients[role], user)
        tokens[role] = bearer_headers(app, user)
    failures = []
    for case in all_cases():
        url = _url(app, case, world)
        for role in ROLES:
            client = clients[role]
            if _is_api(case):
                anonymous = app.test_client()
                response = anonymous.open(
                    url,
                    method=case.method,
                    json=case.data if case.method != "GET" else None,
                    headers=tokens[role],
                )
            elif case.method == "GET":
                response = client.get(url)
            else:
                response = client.post_form(url, case.data)
            status = response.status_code
            response.close()  # a streamed download must end its request context
            allowed = role in case.allowed
            if allowed:
                ok = status < 400 if case.method == "GET" else status not in (401, 403, 404)
            elif role == "anonymous":
                ok = (
                    status == 401
                    if _is_api(case)
                    else (status == 302 and "/login" in response.headers.get("Location", ""))
                )
            else:
                ok = status in (403, 404)
            if not ok:
                failures.append(f"{case.method} {url} as {role}: {status} (allowed={allowed})")
    assert not failures, "\n".join(failures)
