"""Demo data: only into an empty database; every demo account signs in."""

from __future__ import annotations

from sqlalchemy import func, select

from hubs.accounts import services
from hubs.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from hubs.extensions import db
from hubs.locations.models import Hub, Resource


def test_demo_load_fills_an_empty_database_and_refuses_a_full_one(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    assert "hubs-demo-2022" in result.output and "manager@hubs.example" in result.output
    with app.app_context():
        hubs = db.session.scalars(select(Hub.town).order_by(Hub.town)).all()
        assert hubs == ["Mijdrecht", "Nieuwegein", "Woerden"]
        assert db.session.scalar(select(func.count()).select_from(Resource)) >= 25
    again = runner.invoke(args=["demo", "load"])
    assert again.exit_code != 0 and "not empty" in again.output
    quiet = runner.invoke(args=["demo", "load", "--if-empty"])
    assert quiet.exit_code == 0 and "already has data" in quiet.output


def test_every_demo_account_signs_in_with_its_role(app):
    from hubs.access import principal_for
    from hubs.demo.cli import load_demo

    with app.app_context():
        load_demo()
    expected = {
        "manager@hubs.example": lambda p: p.is_manager,
        "coordinator.technohub@hubs.example": lambda p: len(p.coordinator_hub_ids) == 1,
        "coordinator.make@hubs.example": lambda p: len(p.coordinator_hub_ids) == 1,
        "coordinator.makerspace@hubs.example": lambda p: len(p.coordinator_hub_ids) == 1,
        "teacher.a@school-a.example": lambda p: len(p.booker_org_ids) == 1,
        "teacher.b@school-b.example": lambda p: len(p.booker_org_ids) == 1,
        "teacher@roc.example": lambda p: len(p.booker_org_ids) == 1,
        "hr@company-a.example": lambda p: len(p.booker_org_ids) == 1,
        "funder@provincie.example": lambda p: p.is_funder and not p.is_staff,
    }
    assert set(expected) <= {email for email, _ in DEMO_ACCOUNTS}
    for email, check in expected.items():
        with app.test_request_context():
            user = services.authenticate(email, DEMO_PASSWORD)
            assert user is not None, email
            assert check(principal_for(user)), email


def test_demo_teachers_are_at_different_schools_of_technohub(app):
    from hubs.access import principal_for
    from hubs.demo.cli import load_demo
    from hubs.organisations.models import Membership

    with app.app_context():
        load_demo()
        a = principal_for(services.find_user_by_email("teacher.a@school-a.example"))
        b = principal_for(services.find_user_by_email("teacher.b@school-b.example"))
        assert a.booker_org_ids != b.booker_org_ids
        technohub = db.session.scalar(select(Hub.id).where(Hub.town == "Woerden"))
        for p in (a, b):
            (org_id,) = p.booker_org_ids
            assert db.session.scalar(
                select(Membership).where(
                    Membership.organisation_id == org_id, Membership.hub_id == technohub
                )
            )
