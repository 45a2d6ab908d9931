"""Fixtures for course tests: the booking tests' frozen clock (Monday 2 March 2026,
09:00 Amsterdam), a hub with a room and a CNC mill, a company with HR and employees, and
``course(**overrides)`` scheduling a two-session course through the service."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
import time_machine

from tests.booking.helpers import NOW, at, principal


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@dataclass
class CourseWorld:
    hub: Any
    room: Any
    cnc: Any
    college: Any
    company: Any
    other_company: Any
    school: Any
    hr: Any
    other_hr: Any
    teacher: Any
    coordinator: Any
    employees: list[Any]
    other_employees: list[Any]


def _employee(make: Any, org: Any, given: str, family: str) -> Any:
    from hubs.learners.models import Learner, LearnerCategory

    with make._unit() as s:
        learner = Learner(
            organisation_id=org.id,
            reference=f"E{make.n():04d}",
            category=LearnerCategory.EMPLOYEE,
            given_name=given,
            family_name=family,
        )
        s.add(learner)
        s.flush()
    return learner


def build_course_world(make: Any) -> CourseWorld:
    from hubs.locations.models import ResourceKind

    hub = make.hub(name="MAKE Center Nieuwegein")
    room = make.resource(hub, name="Instructielokaal", kind=ResourceKind.ROOM, capacity=12)
    cnc = make.resource(hub, name="CNC-frees", capacity=6)
    college = make.organisation("mbo_college", hubs=(hub,), name="ROC Midden Nederland")
    company = make.organisation("company", hubs=(hub,), name="Kromwijk Machinebouw")
    other_company = make.organisation("company", hubs=(hub,), name="Lekdijk Metaal")
    school = make.organisation("vo_school", hubs=(hub,), name="Groene Hart College")
    return CourseWorld(
        hub=hub,
        room=room,
        cnc=cnc,
        college=college,
        company=company,
        other_company=other_company,
        school=school,
        hr=make.user(("booker", company), name="Henk Kromwijk"),
        other_hr=make.user(("booker", other_company), name="Lies Lekdijk"),
        teacher=make.user(("booker", school), name="Anouk de Vries"),
        coordinator=make.user(("coordinator", hub), name="Ruud Verhoef"),
        employees=[
            _employee(make, company, given, family)
            for given, family in [("Sanne", "Bakker"), ("Joris", "Visser"), ("Fatima", "Amrani")]
        ],
        other_employees=[_employee(make, other_company, "Kees", "Mol")],
    )


@pytest.fixture
def cw(app, make, clock) -> CourseWorld:
    return build_course_world(make)


def course_input(cw: CourseWorld, **overrides: Any) -> Any:
    from hubs.courses.services import CourseInput, SessionInput

    days = overrides.pop("days", ["2026-03-10", "2026-03-17"])
    values: dict[str, Any] = {
        "hub_id": cw.hub.id,
        "organisation_id": cw.college.id,
        "title": "CNC-frezen basis",
        "seats": 4,
        "min_participants": 1,
        "decision_on": date(2026, 3, 6),
        "enrol_deadline": date(2026, 3, 9),
        "price_cents": 45000,
        "grants_licence_kind": "CNC",
        "licence_valid_months": 24,
        "sessions": [
            SessionInput(at(day, "09:00"), at(day, "12:00"), [cw.room.id, cw.cnc.id])
            for day in days
        ],
    }
    values.update(overrides)
    return CourseInput(**values)


@pytest.fixture
def course(app, cw):
    """``course(**overrides)``: schedule a course as the coordinator; returns its id."""
    from hubs.courses.services import schedule_course

    def make_course(**overrides: Any) -> int:
        with app.app_context():
            return schedule_course(principal(cw.coordinator), course_input(cw, **overrides)).id

    return make_course
