"""Security headers, friendly error pages without traces, request size limits."""

from __future__ import annotations

import pytest

from tests.helpers import PASSWORD


def test_security_headers(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_not_found_is_a_friendly_dutch_page(client):
    response = client.get("/bestaat-niet")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "Pagina niet gevonden" in html and '<html lang="nl">' in html


@pytest.fixture
def app_config():
    return {"PROPAGATE_EXCEPTIONS": False, "MAX_CONTENT_LENGTH": 1024}


def test_unexpected_error_shows_a_page_without_trace(app):
    def explode():
        raise RuntimeError("secret internals")

    app.add_url_rule("/explode", "explode", explode)
    response = app.test_client().get("/explode")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "Er ging bij ons iets mis" in html
    assert "secret internals" not in html and "Traceback" not in html


def test_unexpected_api_error_is_json_without_trace(app, make, api_headers):
    def explode():
        raise RuntimeError("secret internals")

    app.add_url_rule("/api/v1/explode", "api_explode", explode)
    response = app.test_client().get("/api/v1/explode", headers=api_headers(make.user("manager")))
    assert response.status_code == 500
    assert response.json["status"] == 500 and "secret" not in response.get_data(as_text=True)


def test_too_large_request_is_413(client, make, login):
    login(client, make.user("manager"), PASSWORD)
    response = client.post_form("/language", {"lang": "nl", "next": "x" * 5000})
    assert response.status_code == 413
    assert "Dat is te groot" in response.get_data(as_text=True)


def test_too_large_api_request_is_413_json(client):
    response = client.post(
        "/api/v1/tokens", data="{" + " " * 5000 + "}", content_type="application/json"
    )
    assert response.status_code == 413 and response.json["status"] == 413
