"""Fixtures for reports: the demo data (loaded once per test), and the learner factory."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine

from tests.learners.conftest import LearnerFactory

TODAY = date(2026, 11, 29)


@pytest.fixture
def learn(make: Any) -> LearnerFactory:
    return LearnerFactory(make)


@pytest.fixture
def demo(app: Any) -> dict[str, Any]:
    """The demo data, loaded as on 29 November 2026; ids of hubs, programmes and users."""
    from sqlalchemy import select

    from hubs.accounts.models import User
    from hubs.demo.cli import load_demo
    from hubs.extensions import db

    with time_machine.travel(TODAY, tick=False), app.app_context():
        ctx = load_demo()
        users = {u.email: u for u in db.session.scalars(select(User))}
        for user in users.values():
            db.session.expunge(user)
        return {
            "programmes": {k: v.id for k, v in ctx.extra["programmes"].items()},
            "hubs": {k: v.id for k, v in ctx.hubs.items()},
            "users": users,
        }


@pytest.fixture
def frozen() -> Any:
    with time_machine.travel(TODAY, tick=False):
        yield
