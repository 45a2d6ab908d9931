"""Every state-changing HTML route needs a CSRF token; no GET changes state."""

from __future__ import annotations

from sqlalchemy import inspect, text

from hubs.api.common import API_PREFIX
from hubs.extensions import db
from tests.access.test_matrix import all_cases, build_world
from tests.helpers import login_through_form

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
# Columns that record that something was *read* (last use), not a change of state.
BOOKKEEPING = {("auth_sessions", "last_seen_at"), ("api_tokens", "last_used_at")}
# Rows that record a read: a download (GET) is logged as a data export.
READ_LOG = {"security_events": "WHERE event <> 'data.exported'"}


def _html_rules(app):
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(API_PREFIX) or rule.endpoint == "static":
            continue
        yield rule


def _fill(rule) -> str:
    url = rule.rule
    for arg in rule.arguments:
        url = url.replace(f"<int:{arg}>", "999999").replace(f"<{arg}>", "x")
        url = url.replace(f"<string:{arg}>", "x").replace(f"<path:{arg}>", "x")
    return url


def test_every_unsafe_html_route_refuses_a_request_without_token(app, make):
    signed_in = app.test_client()
    login_through_form(signed_in, make.user("manager"))
    checked = 0
    for rule in _html_rules(app):
        for method in sorted((rule.methods or set()) & UNSAFE):
            for client in (app.test_client(), signed_in):
                response = client.open(_fill(rule), method=method, data={"x": "1"})
                assert response.status_code == 400, f"{method} {rule.rule} without CSRF token"
                checked += 1
    assert checked >= 4  # login, logout, language ... (grows with every feature)


def test_html_routes_do_not_accept_unsafe_methods_they_do_not_declare(app, make):
    for rule in _html_rules(app):
        if not (rule.methods or set()) & UNSAFE:
            response = app.test_client().post(_fill(rule), data={})
            assert response.status_code in (400, 405), rule.rule


def _snapshot() -> dict[str, list[tuple]]:
    state = {}
    with db.engine.connect() as conn:
        for table in inspect(conn).get_table_names():
            columns = [
                c["name"]
                for c in inspect(conn).get_columns(table)
                if (table, c["name"]) not in BOOKKEEPING
            ]
            quoted = ", ".join(f'"{c}"' for c in columns)
            where = READ_LOG.get(table, "")
            rows = conn.execute(text(f'SELECT {quoted} FROM "{table}" {where} ORDER BY 1')).all()
            state[table] = [tuple(map(str, row)) for row in rows]
    return state


def test_get_requests_do_not_change_state(app, make):
    world = build_world(make)
    clients = {}
    for role, user in world.users.items():
        clients[role] = app.test_client()
        login_through_form(clients[role], user)
    with app.app_context():
        before = _snapshot()
    urls = {r.rule for r in _html_rules(app) if not r.arguments and "GET" in (r.methods or ())}
    for case in all_cases():
        if case.method == "GET" and not case.endpoint.startswith("api_"):
            with app.test_request_context():
                from flask import url_for

                args = {
                    k: (v[1:] if v.startswith("=") else world[v].id) for k, v in case.args.items()
                }
                urls.add(url_for(case.endpoint, **args))
    for url in sorted(urls):
        for client in clients.values():
            client.get(url)
    with app.app_context():
        after = _snapshot()
    changed = [t for t in before if before[t] != after[t]]
    assert not changed, f"GET requests changed: {changed}"
