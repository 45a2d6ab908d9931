"""/api/v1/docs: readable API documentation, server-rendered, local assets, within the CSP."""

from __future__ import annotations

import re

from hubs.api.docs import describe, type_info


def test_docs_page_lists_every_operation_without_a_token(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200 and response.mimetype == "text/html"
    html = response.text
    spec = client.get("/api/v1/openapi.json").json
    for path, item in spec["paths"].items():
        for method in item:
            if method in ("get", "post", "patch", "put", "delete"):
                assert f"{method.upper()} {path}" in html, (method, path)
    assert "Authorization: Bearer" in html


def test_docs_use_no_script_no_inline_style_and_no_remote_assets(client):
    response = client.get("/api/v1/docs")
    html = response.text
    assert "<script" not in html and " style=" not in html and "<style" not in html
    for attr in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert not re.match(r"^(https?:)?//", attr), attr
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_every_schema_link_points_at_a_schema_on_the_page(client):
    html = client.get("/api/v1/docs").text
    ids = set(re.findall(r'id="([^"]+)"', html))
    for target in re.findall(r'href="#([^"]+)"', html):
        assert target in ids, target
    assert 'id="schema-Resource"' in html


def test_docs_follow_the_language(client):
    english = client.get("/api/v1/docs", headers={"Accept-Language": "en"}).text
    dutch = client.get("/api/v1/docs").text
    assert "How the API works" in english and "Zo werkt de API" in dutch


def test_type_descriptions():
    assert type_info({"type": "string", "format": "date", "nullable": True}).text == (
        "string (date), or null"
    )
    listed = type_info({"type": "array", "items": {"$ref": "#/components/schemas/Hub"}})
    assert (listed.text, listed.ref) == ("list of", "Hub")
    doc = describe(
        {
            "info": {"title": "T", "version": "1"},
            "security": [{"bearerAuth": []}],
            "paths": {
                "/x": {
                    "get": {
                        "tags": ["X"],
                        "summary": "S",
                        "responses": {"200": {"description": "OK"}},
                    }
                }
            },
        }
    )
    (group,) = doc["groups"]
    assert group.operations[0].summary == "S" and not group.operations[0].public


def test_the_token_endpoint_is_documented_as_public(client):
    html = client.get("/api/v1/docs").text
    section = html[html.index("POST /api/v1/tokens</code></h3>") :][:600]
    assert "Geen token nodig." in section
