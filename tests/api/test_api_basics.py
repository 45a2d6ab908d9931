"""The API's conventions: tokens, bearer auth without CSRF, JSON errors, pagination."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from hubs.accounts.models import ApiToken
from hubs.extensions import db
from tests.helpers import PASSWORD, login_through_form


def _token(client, user, password=PASSWORD):
    return client.post("/api/v1/tokens", json={"email": user.email, "password": password})


def test_create_token_and_use_it(client, make, app):
    user = make.user("manager")
    response = _token(client, user)
    assert response.status_code == 201
    body = response.json
    assert body["token"].startswith("hubs_")
    expires = datetime.fromisoformat(body["expires_at"])
    assert expires.utcoffset() is not None  # ISO 8601 with offset
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.status_code == 200 and me.json["email"] == user.email
    assert me.json["grants"] == [
        {"role": "manager", "hub_id": None, "organisation_id": None, "is_org_admin": False}
    ]
    with app.app_context():
        stored = db.session.scalars(select(ApiToken.token_hash)).all()
    assert body["token"] not in stored and len(stored) == 1  # only a hash is kept


def test_wrong_password_and_unknown_user_get_401(client, make):
    user = make.user("manager")
    assert _token(client, user, "wrong-password-1").status_code == 401
    response = client.post(
        "/api/v1/tokens", json={"email": "nobody@tests.example", "password": "whatever-123"}
    )
    assert response.status_code == 401 and response.json["error"] == "unauthorized"


def test_unknown_and_missing_fields_are_422_naming_each(client):
    response = client.post("/api/v1/tokens", json={"email": "not-an-email", "organisation_id": 3})
    assert response.status_code == 422
    fields = response.json["fields"]
    assert set(fields) == {"email", "password", "organisation_id"}
    assert "organisation_id" in response.json["message"]


def test_invalid_json_is_400(client):
    response = client.post("/api/v1/tokens", data="{nope", content_type="application/json")
    assert response.status_code == 400 and response.json["status"] == 400


def test_bearer_requests_need_no_csrf_and_revoke_works(client, make):
    user = make.user("manager")
    secret = _token(client, user).json["token"]
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.delete("/api/v1/tokens/current", headers=headers).status_code == 204
    response = client.get("/api/v1/hubs", headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_expired_token_is_refused(client, make, app):
    user = make.user("manager")
    secret = _token(client, user).json["token"]
    headers = {"Authorization": f"Bearer {secret}"}
    later = datetime.now().astimezone() + timedelta(days=app.config["API_TOKEN_DAYS"] + 1)
    with time_machine.travel(later, tick=False):
        assert client.get("/api/v1/hubs", headers=headers).status_code == 401


def test_browser_session_does_not_authenticate_the_api(client, make):
    login_through_form(client, make.user("manager"))
    assert client.get("/").status_code == 200
    assert client.get("/api/v1/hubs").status_code == 401


@pytest.mark.parametrize("header", ["Basic abc", "Bearer", "Bearer hubs_invalid", "Token x"])
def test_malformed_or_unknown_authorization_is_401(client, header):
    assert client.get("/api/v1/hubs", headers={"Authorization": header}).status_code == 401


def test_hubs_and_resources(client, make, api_headers):
    hub = make.hub(name="TechnoHUB Test", town="Woerden")
    make.resource(hub, name="Lasersnijder 1", licence_type="laser", capacity=4)
    make.resource(hub, name="Lokaal 1", kind="room", capacity=28)
    other = make.hub(name="Elders")
    make.resource(other, name="Elders 1")
    headers = api_headers(make.user("manager"))
    hubs = client.get("/api/v1/hubs", headers=headers).json
    assert {h["name"] for h in hubs["items"]} == {"TechnoHUB Test", "Elders"}
    first = next(h for h in hubs["items"] if h["name"] == "TechnoHUB Test")
    assert {"id", "name", "town", "address", "timezone", "opening_hours"} <= set(first)
    assert first["opening_hours"][0] == {"weekday": 0, "opens_at": "08:00", "closes_at": "17:00"}
    resources = client.get(f"/api/v1/resources?hub_id={hub.id}", headers=headers).json
    assert resources["total"] == 2
    laser = next(r for r in resources["items"] if r["name"] == "Lasersnijder 1")
    assert laser == {
        "id": laser["id"],
        "name": "Lasersnijder 1",
        "hub_id": hub.id,
        "kind": "machine",
        "capacity": 4,
        "requires_licence": "laser",
        "active": True,
        "description": "",
    }
    room = next(r for r in resources["items"] if r["name"] == "Lokaal 1")
    assert room["requires_licence"] is None and room["kind"] == "room"


def test_lists_are_paginated_and_bounded(client, make, api_headers):
    hub = make.hub()
    for n in range(7):
        make.resource(hub, name=f"R{n}")
    headers = api_headers(make.user("manager"))
    page = client.get(f"/api/v1/resources?hub_id={hub.id}&per_page=3&page=3", headers=headers)
    assert page.json["total"] == 7 and page.json["pages"] == 3 and len(page.json["items"]) == 1
    too_many = client.get("/api/v1/resources?per_page=1000", headers=headers)
    assert too_many.status_code == 422 and "per_page" in too_many.json["fields"]


def test_unknown_id_is_404_json(client, make, api_headers):
    response = client.get("/api/v1/hubs/999999", headers=api_headers(make.user("manager")))
    assert response.status_code == 404 and response.json["error"] == "not_found"


def test_openapi_document(client):
    spec = client.get("/api/v1/openapi.json").json
    assert spec["openapi"].startswith("3.")
    assert "/api/v1/tokens" in spec["paths"] and "/api/v1/resources" in spec["paths"]
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_naive_times_are_refused_by_the_instant_field():
    import marshmallow as ma

    from hubs.api.common import Instant, Schema

    class Probe(Schema):
        start = Instant(required=True)

    with pytest.raises(ma.ValidationError) as error:
        Probe().load({"start": "2025-10-14T09:00:00"})
    assert "offset" in str(error.value.messages["start"])
    loaded = Probe().load({"start": "2025-10-14T09:00:00+02:00"})
    assert loaded["start"].utcoffset() == timedelta(hours=2)
