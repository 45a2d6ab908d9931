"""A hub world with a CNC mill that needs a licence, employees of a member company and a
school's class (see tests/booking/helpers.py for the rest)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from tests.booking.conftest import clock  # noqa: F401  (fixture)
from tests.booking.helpers import build_world
from tests.learners.conftest import LearnerFactory


@dataclass
class LicenceWorld:
    base: Any
    cnc: Any
    anna: Any  # employees of the member company (base.other_org)
    bert: Any
    pupil: Any  # a pupil of the school (base.org)
    stranger: Any  # an employee of a company that is no member


@pytest.fixture
def lw(app, make, clock):  # noqa: F811
    from hubs.learners.models import LearnerCategory

    base = build_world(make)
    learn = LearnerFactory(make)
    employee = {"category": LearnerCategory.EMPLOYEE}
    return LicenceWorld(
        base=base,
        cnc=make.resource(base.hub, name="CNC-frees Haas", capacity=2, licence_type="cnc"),
        anna=learn.learner(
            base.other_org, "K-0001", given_name="Anna", family_name="Smit", **employee
        ),
        bert=learn.learner(
            base.other_org, "K-0002", given_name="Bert", family_name="Bos", **employee
        ),
        pupil=learn.learner(base.org, "123456"),
        stranger=learn.learner(
            base.outsider, "B-0001", given_name="Cor", family_name="Vos", **employee
        ),
    )


def give(learner: Any, kind: str, issued: date, expires: date | None, app: Any) -> Any:
    """Issue a licence through the service (its own unit of work)."""
    from hubs.licences.services import issue_licence

    with app.app_context():
        licence = issue_licence(
            learner_id=learner.id,
            kind=kind,
            issued_on=issued,
            expires_on=expires,
            source="coordinator",
        )
        return licence.id
