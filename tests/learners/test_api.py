"""``/api/v1/programmes``, ``/api/v1/enrolments``, ``/api/v1/learners``: the usual conventions."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(date(2025, 9, 15), tick=False):
        yield


@pytest.fixture
def setup(make, learn):
    hub = make.hub(name="TechnoHUB")
    other = make.hub(name="MAKE")
    school = make.organisation("vo_school", hubs=(hub,))
    company = make.organisation("company", hubs=(hub, other))
    return {
        "hub": hub,
        "other": other,
        "school": school,
        "company": company,
        "coordinator": make.user(("coordinator", hub)),
        "other_coordinator": make.user(("coordinator", other)),
        "teacher": make.user(("booker", school)),
        "hr": make.user(("booker", company)),
        "manager": make.user("manager"),
    }


def test_programmes_are_created_listed_and_changed(client, setup, api_headers):
    s = setup
    headers = api_headers(s["manager"])
    source = client.post("/api/v1/funding-sources", json={"name": "MKB-Deal"}, headers=headers)
    assert source.status_code == 201
    body = {
        "hub_id": s["hub"].id,
        "name": "MBO Techniek",
        "categories": ["mbo"],
        "crebo": "25366",
        "funding_source_ids": [source.json["id"]],
    }
    coordinator = api_headers(s["coordinator"])
    created = client.post("/api/v1/programmes", json=body, headers=coordinator)
    assert created.status_code == 201, created.json
    assert created.json["categories"] == ["mbo"] and created.json["crebo"] == "25366"
    assert created.json["funding_sources"][0]["name"] == "MKB-Deal"
    again = client.post("/api/v1/programmes", json=body, headers=coordinator)
    assert again.status_code == 422 and "name" in again.json["fields"]
    bad = client.post(
        "/api/v1/programmes", json={**body, "name": "X", "crebo": "12"}, headers=coordinator
    )
    assert bad.status_code == 422 and "crebo" in bad.json["fields"]
    elsewhere = client.post(
        "/api/v1/programmes", json=body, headers=api_headers(s["other_coordinator"])
    )
    assert elsewhere.status_code == 403
    pid = created.json["id"]
    patched = client.patch(
        f"/api/v1/programmes/{pid}", json={"categories": ["mbo", "employee"]}, headers=coordinator
    )
    assert patched.status_code == 200 and patched.json["categories"] == ["mbo", "employee"]
    listed = client.get(
        f"/api/v1/programmes?hub_id={s['hub'].id}&category=employee", headers=coordinator
    )
    assert [p["id"] for p in listed.json["items"]] == [pid]
    teacher_view = client.get("/api/v1/programmes", headers=api_headers(s["teacher"]))
    assert [p["id"] for p in teacher_view.json["items"]] == [pid]


def test_enrolments_group_and_individual_with_defaults_and_patch(client, setup, learn, api_headers):
    s = setup
    programme = learn.programme(s["hub"], "Dagelijks", categories=("vo", "employee"))
    headers = api_headers(s["coordinator"])
    group = client.post(
        "/api/v1/enrolments",
        json={
            "kind": "group",
            "programme_id": programme.id,
            "organisation_id": s["school"].id,
            "group_name": "3K-PIE",
            "category": "vo",
            "level": "vmbo-kb",
            "leerjaar": 3,
            "headcount": 24,
        },
        headers=headers,
    )
    assert group.status_code == 201, group.json
    assert (group.json["starts_on"], group.json["ends_on"]) == ("2025-08-01", "2026-07-31")
    assert group.json["school_year"] == 2025 and group.json["hub_id"] == s["hub"].id
    member = client.post(
        "/api/v1/enrolments",
        json={
            "kind": "individual",
            "programme_id": programme.id,
            "organisation_id": s["school"].id,
            "learner": {"reference": "000777", "category": "vo", "level": "vmbo-kb", "leerjaar": 3},
            "group_id": group.json["id"],
        },
        headers=headers,
    )
    assert member.status_code == 201, member.json
    assert member.json["learner"]["reference"] == "000777"
    duplicate = client.post(
        "/api/v1/enrolments",
        json={
            "kind": "individual",
            "programme_id": programme.id,
            "learner_id": member.json["learner"]["id"],
        },
        headers=headers,
    )
    assert duplicate.status_code == 409
    wrong_level = client.post(
        "/api/v1/enrolments",
        json={
            "kind": "group",
            "programme_id": programme.id,
            "organisation_id": s["school"].id,
            "group_name": "X",
            "category": "employee",
            "level": "havo",
            "headcount": 3,
        },
        headers=headers,
    )
    assert wrong_level.status_code == 422 and "level" in wrong_level.json["fields"]
    stopped = client.patch(
        f"/api/v1/enrolments/{member.json['id']}",
        json={"status": "stopped", "ends_on": "2026-01-31"},
        headers=api_headers(s["teacher"]),
    )
    assert stopped.status_code == 200 and stopped.json["status"] == "stopped"
    across = client.patch(
        f"/api/v1/enrolments/{member.json['id']}", json={"starts_on": "2026-09-01"}, headers=headers
    )
    assert across.status_code == 422
    listed = client.get(
        f"/api/v1/enrolments?programme_id={programme.id}&school_year=2025&kind=group",
        headers=headers,
    )
    assert listed.json["total"] == 1 and listed.json["items"][0]["group_name"] == "3K-PIE"
    assert client.get("/api/v1/enrolments?level=havo", headers=headers).json["total"] == 0


def test_school_bookers_see_their_school_and_hr_their_employees(client, setup, learn, api_headers):
    s = setup
    programme = learn.programme(s["hub"], "P")
    learn.group(programme, s["school"], 20)
    employee = learn.learner(s["company"], category="employee", family_name="Jansen")
    learn.individual(programme, employee)
    teacher = client.get("/api/v1/enrolments", headers=api_headers(s["teacher"])).json
    assert [e["organisation_id"] for e in teacher["items"]] == [s["school"].id]
    hr = client.get("/api/v1/learners", headers=api_headers(s["hr"])).json
    assert [lr["family_name"] for lr in hr["items"]] == ["Jansen"]
    assert client.get("/api/v1/learners", headers=api_headers(s["teacher"])).json["total"] == 0
    other = client.get("/api/v1/enrolments", headers=api_headers(s["other_coordinator"])).json
    assert other["total"] == 0


def test_enrolling_for_another_organisation_is_forbidden(client, setup, learn, api_headers):
    s = setup
    programme = learn.programme(s["hub"], "P")
    response = client.post(
        "/api/v1/enrolments",
        json={
            "kind": "group",
            "programme_id": programme.id,
            "organisation_id": s["company"].id,
            "group_name": "Team",
            "category": "employee",
            "headcount": 4,
        },
        headers=api_headers(s["teacher"]),
    )
    assert response.status_code == 403
