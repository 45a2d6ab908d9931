"""Organisations (BRIN/KvK checks) and memberships: pages and API."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from hubs.errors import InvalidInput
from hubs.extensions import db
from hubs.organisations import services
from hubs.organisations.models import Membership, Organisation, OrganisationKind
from tests.helpers import login_through_form, main_of


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"brin": "14gh"}, {"brin": "14GH", "brin_branch": "00", "kvk": None}),
        ({"brin": "14GH01"}, {"brin": "14GH", "brin_branch": "01", "kvk": None}),
        ({"brin": " 14 GH ", "brin_branch": "2 "}, None),  # branch must be two digits
        ({"brin": "1A2B"}, None),
        ({}, None),  # a school needs a BRIN
    ],
)
def test_brin_is_checked_and_normalised(data, expected):
    if expected is None:
        with pytest.raises(InvalidInput):
            services.clean_identifiers(OrganisationKind.VO_SCHOOL, data)
    else:
        assert services.clean_identifiers(OrganisationKind.VO_SCHOOL, data) == expected


@pytest.mark.parametrize(
    ("kvk", "ok"), [("30123456", True), ("30 12 34 56", True), ("3012345", False), ("", False)]
)
def test_kvk_is_eight_digits_for_companies(kvk, ok):
    if ok:
        cleaned = services.clean_identifiers(OrganisationKind.COMPANY, {"kvk": kvk})
        assert cleaned["kvk"] == "30123456"
    else:
        with pytest.raises(InvalidInput) as error:
            services.clean_identifiers(OrganisationKind.COMPANY, {"kvk": kvk})
        assert error.value.field == "kvk"


def _school(**overrides):
    data = {
        "name": "Minkema College",
        "kind": "vo_school",
        "brin": "20AA",
        "brin_branch": "00",
        "town": "Woerden",
        "holiday_region": "midden",
        "member_since": "2025-08-01",
    }
    data.update(overrides)
    return data


def test_coordinator_adds_a_new_member_school_of_their_hub(app, client, make):
    hub, other = make.hub(name="TechnoHUB"), make.hub(name="Elders")
    login_through_form(client, make.user(("coordinator", hub)))
    form = client.get("/organisations/new").text
    assert "TechnoHUB" in form and "Elders" not in form
    foreign = client.post_form("/organisations/new", _school(hub_id=str(other.id)))
    assert foreign.status_code == 422  # not one of the choices
    response = client.post_form("/organisations/new", _school(hub_id=str(hub.id)))
    assert response.status_code == 302
    with app.app_context():
        org = db.session.scalar(select(Organisation).where(Organisation.brin == "20AA"))
        (membership,) = db.session.scalars(
            select(Membership).where(Membership.organisation_id == org.id)
        )
    assert (membership.hub_id, membership.starts_on) == (hub.id, date(2025, 8, 1))
    assert org.holiday_region.value == "midden"
    detail = client.get(response.headers["Location"]).text
    assert "Minkema College" in detail and "Iemand uitnodigen" in detail
    # The same BRIN again is refused at the field.
    again = client.post_form("/organisations/new", _school(hub_id=str(hub.id), name="Kopie"))
    assert again.status_code == 422
    assert "Er is al een organisatie met dit BRIN-nummer." in again.text


def test_wrong_codes_are_explained_at_the_field(client, make):
    hub = make.hub()
    login_through_form(client, make.user(("coordinator", hub)))
    response = client.post_form(
        "/organisations/new",
        _school(hub_id=str(hub.id), kind="company", brin="", kvk="12-34"),
    )
    assert response.status_code == 422
    assert "Een KvK-nummer bestaat uit acht cijfers." in response.text
    assert 'aria-invalid="true"' in response.text


def test_manager_may_add_an_organisation_without_membership(app, client, make):
    login_through_form(client, make.user("manager"))
    response = client.post_form(
        "/organisations/new",
        {"name": "Provincie", "kind": "other", "hub_id": "", "member_since": ""},
    )
    assert response.status_code == 302
    with app.app_context():
        org = db.session.scalar(select(Organisation).where(Organisation.name == "Provincie"))
        assert org.memberships == [] and org.holiday_region is None


def test_bookers_and_funders_may_not_add_organisations(client, make):
    org = make.organisation(hubs=(make.hub(),))
    login_through_form(client, make.user(("booker", org, True)))
    assert client.get("/organisations/new").status_code == 403
    assert "Nieuwe organisatie" not in client.get("/organisations").text


def test_coordinator_adds_an_existing_company_by_kvk_and_ends_a_membership(app, client, make):
    hub, other = make.hub(), make.hub()
    company = make.organisation("company", hubs=(other,), name="Van Rijn", kvk="30123456")
    login_through_form(client, make.user(("coordinator", hub)))
    unknown = client.post_form(
        f"/hubs/{hub.id}/members", {"identifier": "99999999", "starts_on": "2025-08-01"}
    )
    assert unknown.status_code == 422 and "Geen organisatie heeft dit nummer" in unknown.text
    added = client.post_form(
        f"/hubs/{hub.id}/members", {"identifier": "3012 3456", "starts_on": "2025-08-01"}
    )
    assert added.status_code == 302
    twice = client.post_form(
        f"/hubs/{hub.id}/members", {"identifier": "30123456", "starts_on": "2026-01-01"}
    )
    assert twice.status_code == 422 and "al lid van deze hub" in twice.text
    with app.app_context():
        membership = db.session.scalar(
            select(Membership).where(
                Membership.hub_id == hub.id, Membership.organisation_id == company.id
            )
        )
    backwards = client.post_form(
        f"/memberships/{membership.id}/edit", {"starts_on": "2025-08-01", "ends_on": "2025-07-01"}
    )
    assert backwards.status_code == 422
    assert "De einddatum mag niet voor de begindatum liggen." in backwards.text
    ended = client.post_form(
        f"/memberships/{membership.id}/edit", {"starts_on": "2025-08-01", "ends_on": "2025-12-31"}
    )
    assert ended.status_code == 302
    assert "Van Rijn" in main_of(client.get(f"/hubs/{hub.id}/members?when=all"))


def test_members_list_shows_current_members_searchable_and_sorted(app, client, make):
    hub = make.hub()
    make.organisation(hubs=(hub,), name="Alfa College")
    make.organisation("company", hubs=(hub,), name="Beta Metaal")
    gone = make.organisation(name="Gamma School")
    make.membership(gone, hub, starts_on=date(2015, 8, 1), ends_on=date(2016, 7, 31))
    login_through_form(client, make.user(("coordinator", hub)))
    page = main_of(client.get(f"/hubs/{hub.id}/members"))
    assert "Alfa College" in page and "Beta Metaal" in page and "Gamma School" not in page
    assert "Gamma School" in main_of(client.get(f"/hubs/{hub.id}/members?when=all"))
    assert "Alfa" not in main_of(client.get(f"/hubs/{hub.id}/members?q=metaal"))
    desc = main_of(client.get(f"/hubs/{hub.id}/members?sort=name&dir=desc"))
    assert desc.index("Beta Metaal") < desc.index("Alfa College")


def test_organisation_list_search_by_brin_kind_filter_and_sort(client, make):
    hub = make.hub()
    make.organisation(hubs=(hub,), name="Zeta School", brin="31ZZ", town="Amersfoort")
    make.organisation("company", hubs=(hub,), name="Alpha BV", town="Zeist")
    login_through_form(client, make.user("manager"))
    assert "Alpha BV" not in main_of(client.get("/organisations?q=31zz"))
    assert "Zeta School" in main_of(client.get("/organisations?q=31zz"))
    companies = main_of(client.get("/organisations?kind=company"))
    assert "Alpha BV" in companies and "Zeta School" not in companies
    by_town = main_of(client.get("/organisations?sort=town&dir=desc"))
    assert by_town.index("Zeist") < by_town.index("Amersfoort")


def test_coordinator_edits_a_member_but_not_other_organisations(app, client, make):
    hub = make.hub()
    member = make.organisation(hubs=(hub,))
    stranger = make.organisation(hubs=(make.hub(),))
    login_through_form(client, make.user(("coordinator", hub)))
    response = client.post_form(
        f"/organisations/{member.id}/edit",
        {
            "name": "Nieuwe naam",
            "kind": "vo_school",
            "brin": member.brin,
            "brin_branch": "00",
            "town": "Woerden",
            "holiday_region": "zuid",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        stored = db.session.get(Organisation, member.id)
    assert stored.name == "Nieuwe naam" and stored.holiday_region.value == "zuid"
    assert client.get(f"/organisations/{stranger.id}/edit").status_code == 404


def test_organisation_and_membership_api(app, client, make, api_headers):
    hub = make.hub()
    manager = api_headers(make.user("manager"))
    coordinator = api_headers(make.user(("coordinator", hub)))
    school = {"name": "Kalsbeek College", "kind": "vo_school", "brin": "02KB", "town": "Woerden"}
    assert client.post("/api/v1/organisations", json=school, headers=coordinator).status_code == 403
    created = client.post("/api/v1/organisations", json=school, headers=manager)
    assert created.status_code == 201
    assert created.json["brin_branch"] == "00" and created.json["holiday_region"] == "midden"
    org_id = created.json["id"]
    bad = client.post(
        "/api/v1/organisations",
        json={"name": "X", "kind": "company", "kvk": "123"},
        headers=manager,
    )
    assert bad.status_code == 422 and list(bad.json["fields"]) == ["kvk"]
    renamed = client.patch(
        f"/api/v1/organisations/{org_id}", json={"town": "Bodegraven"}, headers=manager
    )
    assert renamed.status_code == 200 and renamed.json["name"] == "Kalsbeek College"
    assert renamed.json["town"] == "Bodegraven"

    membership = client.post(
        "/api/v1/memberships",
        json={"organisation_id": org_id, "hub_id": hub.id, "starts_on": "2025-08-01"},
        headers=coordinator,
    )
    assert membership.status_code == 201 and membership.json["ends_on"] is None
    listed = client.get(
        f"/api/v1/memberships?hub_id={hub.id}&active_on=2025-09-01", headers=coordinator
    )
    assert [m["organisation_id"] for m in listed.json["items"]] == [org_id]
    ended = client.patch(
        f"/api/v1/memberships/{membership.json['id']}",
        json={"ends_on": "2026-07-31"},
        headers=coordinator,
    )
    assert ended.status_code == 200 and ended.json["ends_on"] == "2026-07-31"
    backwards = client.patch(
        f"/api/v1/memberships/{membership.json['id']}",
        json={"ends_on": "2020-01-01"},
        headers=coordinator,
    )
    assert backwards.status_code == 422 and "ends_on" in backwards.json["fields"]
    other_hub = make.hub()
    foreign = client.post(
        "/api/v1/memberships",
        json={"organisation_id": org_id, "hub_id": other_hub.id, "starts_on": "2025-08-01"},
        headers=coordinator,
    )
    assert foreign.status_code == 403
