"""Factories for programmes, learners and enrolments (rows written directly)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.helpers import Factory


class LearnerFactory:
    """``learn.programme(hub)``, ``learn.group(programme, org, 24)``, ``learn.individual(...)``."""

    def __init__(self, make: Factory) -> None:
        self.make = make

    def programme(self, hub: Any, name: str | None = None, **overrides: Any) -> Any:
        from hubs.learners.models import Programme

        categories = overrides.pop("categories", ("vo", "mbo", "employee", "other"))
        with self.make._unit() as s:
            programme = Programme(
                hub_id=hub.id,
                name=name or f"Programme {self.make.n()}",
                **{f"serves_{c}": True for c in categories},
                **overrides,
            )
            s.add(programme)
            s.flush()
        return programme

    def learner(self, org: Any, reference: str | None = None, **overrides: Any) -> Any:
        from hubs.learners.models import Learner, LearnerCategory

        with self.make._unit() as s:
            learner = Learner(
                organisation_id=org.id,
                reference=reference or f"{100000 + self.make.n()}",
                **{"category": LearnerCategory.VO, **overrides},
            )
            s.add(learner)
            s.flush()
        return learner

    def group(
        self,
        programme: Any,
        org: Any,
        headcount: int,
        starts_on: date = date(2021, 8, 1),
        ends_on: date = date(2022, 7, 31),
        **overrides: Any,
    ) -> Any:
        from hubs.learners.counting import school_year_of
        from hubs.learners.models import Enrolment, EnrolmentKind, LearnerCategory

        with self.make._unit() as s:
            enrolment = Enrolment(
                kind=EnrolmentKind.GROUP,
                programme_id=programme.id,
                organisation_id=org.id,
                school_year=school_year_of(starts_on),
                group_name=overrides.pop("group_name", f"Groep {self.make.n()}"),
                headcount=headcount,
                starts_on=starts_on,
                ends_on=ends_on,
                **{"category": LearnerCategory.VO, **overrides},
            )
            s.add(enrolment)
            s.flush()
        return enrolment

    def individual(
        self,
        programme: Any,
        learner: Any,
        starts_on: date = date(2021, 8, 1),
        ends_on: date = date(2022, 7, 31),
        **overrides: Any,
    ) -> Any:
        from hubs.learners.counting import school_year_of
        from hubs.learners.models import Enrolment, EnrolmentKind

        with self.make._unit() as s:
            enrolment = Enrolment(
                kind=EnrolmentKind.INDIVIDUAL,
                programme_id=programme.id,
                organisation_id=learner.organisation_id,
                school_year=school_year_of(starts_on),
                learner_id=learner.id,
                starts_on=starts_on,
                ends_on=ends_on,
                **{"category": learner.category, "level": learner.level, **overrides},
            )
            s.add(enrolment)
            s.flush()
        return enrolment


@pytest.fixture
def learn(make: Factory) -> LearnerFactory:
    return LearnerFactory(make)
