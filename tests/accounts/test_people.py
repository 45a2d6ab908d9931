"""Administering people: who sees whom, role grants, removing colleagues, deactivation."""

from __future__ import annotations

from sqlalchemy import select

from hubs.accounts import services
from hubs.accounts.models import ApiToken, Role, RoleGrant, User
from hubs.extensions import db
from tests.helpers import login_through_form, main_of, security_events


def _setup(make):
    hub = make.hub()
    school = make.organisation(hubs=(hub,), name="School X")
    elsewhere = make.organisation(hubs=(make.hub(),), name="School Y")
    people = {
        "coordinator": make.user(("coordinator", hub), name="Coby Coordinator"),
        "admin": make.user(("booker", school, True), name="Anna Admin"),
        "teacher": make.user(("booker", school), name="Tom Teacher"),
        "stranger": make.user(("booker", elsewhere), name="Sam Stranger"),
    }
    return hub, school, elsewhere, people


def test_who_sees_whom(app, make):
    _hub, _school, _elsewhere, people = _setup(make)
    manager = make.user("manager", name="Mia Manager")
    expectations = {
        manager: {"Anna Admin", "Tom Teacher", "Sam Stranger", "Coby Coordinator"},
        people["coordinator"]: {"Anna Admin", "Tom Teacher"},
        people["admin"]: {"Anna Admin", "Tom Teacher"},
    }
    everyone = {"Anna Admin", "Tom Teacher", "Sam Stranger", "Coby Coordinator"}
    for viewer, visible in expectations.items():
        client = app.test_client()
        login_through_form(client, viewer)
        page = main_of(client.get("/people"))
        shown = {name for name in everyone if name in page}
        assert visible <= shown, (viewer.name, shown)
        assert not (everyone - visible - {viewer.name}) & shown, (viewer.name, shown)
    teacher = app.test_client()
    login_through_form(teacher, people["teacher"])
    assert teacher.get("/people").status_code == 403
    assert "Gebruikers" not in teacher.get("/").text


def test_people_list_search_filter_sort(app, client, make):
    _hub, school, _elsewhere, people = _setup(make)
    login_through_form(client, make.user("manager"))
    assert "Anna Admin" not in main_of(client.get("/people?q=tom"))
    assert "Tom Teacher" in main_of(client.get("/people?q=tom"))
    of_school = main_of(client.get(f"/people?organisation_id={school.id}"))
    assert "Tom Teacher" in of_school and "Sam Stranger" not in of_school
    desc = main_of(client.get("/people?sort=name&dir=desc"))
    assert desc.index("Tom Teacher") < desc.index("Anna Admin")


def test_org_admin_removes_a_colleague_but_not_themselves(app, client, make):
    _hub, school, _elsewhere, people = _setup(make)
    login_through_form(client, people["admin"])
    with app.app_context():
        grant = db.session.scalar(
            select(RoleGrant).where(RoleGrant.user_id == people["teacher"].id)
        )
        own = db.session.scalar(select(RoleGrant).where(RoleGrant.user_id == people["admin"].id))
    assert client.post_form(f"/grants/{own.id}/remove", {"confirm": "yes"}).status_code == 403
    assert client.post_form(f"/grants/{grant.id}/remove").status_code == 400
    response = client.post_form(f"/grants/{grant.id}/remove", {"confirm": "yes"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(RoleGrant, grant.id) is None
    (event,) = security_events(app, "role.revoked")
    assert (event.actor_id, event.user_id) == (people["admin"].id, people["teacher"].id)
    assert event.details["organisation_id"] == school.id


def test_manager_gives_coordinator_and_funder_roles(app, client, make):
    hub, _school, _elsewhere, people = _setup(make)
    login_through_form(client, make.user("manager"))
    target = people["teacher"]
    missing = client.post_form(f"/people/{target.id}/grants", {"role": "coordinator", "hub_id": ""})
    assert missing.status_code == 422 and "Kies de hub." in missing.text
    response = client.post_form(
        f"/people/{target.id}/grants", {"role": "coordinator", "hub_id": str(hub.id)}
    )
    assert response.status_code == 302
    client.post_form(f"/people/{target.id}/grants", {"role": "funder"})
    with app.app_context():
        roles = set(
            db.session.scalars(select(RoleGrant.role).where(RoleGrant.user_id == target.id))
        )
    assert roles == {Role.BOOKER, Role.COORDINATOR, Role.FUNDER}
    granted = security_events(app, "role.granted")
    assert {e.details["role"] for e in granted} == {"coordinator", "funder"}


def test_coordinator_gives_only_booker_roles_in_member_organisations(app, client, make):
    _hub, school, elsewhere, people = _setup(make)
    login_through_form(client, people["coordinator"])
    target = people["teacher"]
    funder = client.post_form(f"/people/{target.id}/grants", {"role": "funder"})
    assert funder.status_code == 422
    foreign = client.post_form(
        f"/people/{target.id}/grants", {"role": "booker", "organisation_id": str(elsewhere.id)}
    )
    assert foreign.status_code == 422
    admin = client.post_form(
        f"/people/{target.id}/grants",
        {"role": "booker", "organisation_id": str(school.id), "is_org_admin": "y"},
    )
    assert admin.status_code == 302
    with app.app_context():
        grant = db.session.scalar(select(RoleGrant).where(RoleGrant.user_id == target.id))
    assert grant.is_org_admin


def test_coordinator_deactivates_a_teacher_who_is_locked_out_everywhere(app, make, api_headers):
    _hub, _school, _elsewhere, people = _setup(make)
    teacher = people["teacher"]
    browser = app.test_client()
    login_through_form(browser, teacher)
    headers = api_headers(teacher)
    assert app.test_client().get("/api/v1/me", headers=headers).status_code == 200
    coordinator = app.test_client()
    login_through_form(coordinator, people["coordinator"])
    response = coordinator.post_form(f"/people/{teacher.id}/deactivate")
    assert response.status_code == 302
    assert browser.get("/").status_code == 302
    assert app.test_client().get("/api/v1/me", headers=headers).status_code == 401
    with app.app_context():
        assert all(
            t.revoked_at
            for t in db.session.scalars(select(ApiToken).where(ApiToken.user_id == teacher.id))
        )
    page = coordinator.get(f"/people/{teacher.id}").text
    assert "gedeactiveerd" in page
    (event,) = security_events(app, "user.deactivated")
    assert (event.actor_id, event.user_id) == (people["coordinator"].id, teacher.id)


def test_coordinators_cannot_deactivate_staff_or_themselves(app, client, make):
    hub, school, _elsewhere, people = _setup(make)
    colleague = make.user(("coordinator", hub), ("booker", school))
    login_through_form(client, people["coordinator"])
    assert client.post_form(f"/people/{colleague.id}/deactivate").status_code == 403
    assert client.post_form(f"/people/{people['coordinator'].id}/deactivate").status_code == 403
    assert client.post_form(f"/people/{people['stranger'].id}/deactivate").status_code == 404


def test_manager_reactivates(app, client, make):
    _hub, _school, _elsewhere, people = _setup(make)
    teacher = people["teacher"]
    manager = make.user("manager")
    with app.app_context():
        services.deactivate_user(db.session.get(User, teacher.id), actor=manager)
    login_through_form(client, manager)
    assert client.post_form(f"/people/{teacher.id}/reactivate").status_code == 302
    login_through_form(app.test_client(), teacher)
    assert [e.event for e in security_events(app) if e.event.startswith("user.")] == [
        "user.deactivated",
        "user.reactivated",
    ]


def test_deactivation_runs_the_registered_hooks_in_the_same_transaction(app, make):
    """Calendar feeds (a later feature) end their links through this hook."""
    seen = []
    hook = services.on_deactivate(lambda user_id: seen.append(user_id))
    try:
        user = make.user("funder")
        with app.app_context():
            services.deactivate_user(db.session.get(User, user.id))
        assert seen == [user.id]
    finally:
        services._deactivation_hooks.remove(hook)


def test_removing_the_last_role_ends_sessions_and_tokens_but_keeps_the_account(
    app, make, api_headers
):
    _hub, _school, _elsewhere, people = _setup(make)
    teacher = people["teacher"]
    browser = app.test_client()
    login_through_form(browser, teacher)
    headers = api_headers(teacher)
    admin = app.test_client()
    login_through_form(admin, people["admin"])
    with app.app_context():
        grant = db.session.scalar(select(RoleGrant).where(RoleGrant.user_id == teacher.id))
    admin.post_form(f"/grants/{grant.id}/remove", {"confirm": "yes"})
    assert browser.get("/").status_code == 302
    assert app.test_client().get("/api/v1/me", headers=headers).status_code == 401
    with app.app_context():
        assert db.session.get(User, teacher.id).active  # may be invited again


def test_people_list_filters_by_role(client, make):
    hub, _school, _elsewhere, people = _setup(make)
    make.user(("coordinator", hub), name="Cor Tweede")
    login_through_form(client, make.user("manager"))
    coordinators = main_of(client.get("/people?role=coordinator"))
    assert "Coby Coordinator" in coordinators and "Cor Tweede" in coordinators
    assert "Tom Teacher" not in coordinators
