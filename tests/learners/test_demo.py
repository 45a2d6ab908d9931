"""The demo data reproduces the province's figures by the counting rule; purge keeps them."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from sqlalchemy import func, select

from hubs.extensions import db
from hubs.learners.counting import Filters, Period, count, participants

TODAY = date(2026, 11, 29)


@pytest.fixture
def demo(app):
    from hubs.demo.cli import load_demo

    with time_machine.travel(TODAY, tick=False), app.app_context():
        ctx = load_demo()
        return {
            "programmes": {k: v.id for k, v in ctx.extra["programmes"].items()},
            "hubs": {k: v.id for k, v in ctx.hubs.items()},
        }


def test_growth_2021_to_2022_matches_the_letter(app, demo):
    daily, mbo = demo["programmes"]["daily"], demo["programmes"]["mbo"]
    with app.app_context():
        for year, expected in ((2021, 27), (2022, 124)):
            period = Period.school_year(year)
            assert participants(period, Filters(programme_ids=[daily])) == expected
            technohub_vo = Filters(hub_ids=[demo["hubs"]["technohub"]], categories=["vo"])
            assert participants(period, technohub_vo) == expected
        for year, expected in ((2021, 77), (2022, 124)):
            period = Period.school_year(year)
            assert participants(period, Filters(programme_ids=[mbo])) == expected
            make_mbo = Filters(hub_ids=[demo["hubs"]["make"]], categories=["mbo"])
            assert participants(period, make_mbo) == expected


def test_demo_history_covers_every_hub_and_year_with_employees(app, demo):
    with app.app_context():
        for year in range(2020, 2027):
            cells = count(Period.school_year(year), ("hub", "category"))
            assert {c.category.value for c in cells} >= {"mbo", "employee"}
        employees = count(Period.school_year(2023), ("hub",), Filters(categories=["employee"]))
        hubs = {c.hub_id for c in employees if c.participants > 0}
        assert hubs == {demo["hubs"]["make"], demo["hubs"]["makerspace"]}
        # The instructed pupils of 2022 are enrolled individually, inside their class.
        daily = Filters(programme_ids=[demo["programmes"]["daily"]])
        total = count(Period.school_year(2022), (), daily)[0]
        assert total.participants == 124 and total.enrolments == 124


def _every_count():
    result = []
    for year in range(2020, 2027):
        for period in (Period.school_year(year), Period.calendar_year(year)):
            for p in (period, period.on_reference_date()):
                for by in (("hub", "programme", "organisation", "category", "level"), ("hub",), ()):
                    result.append([(c.key, c.participants, c.enrolments) for c in count(p, by)])
    return result


def test_purge_anonymises_what_is_past_retention_and_every_count_stays(app, demo):
    from hubs.learners.models import Learner

    with app.app_context():
        before = _every_count()
        named = db.session.scalar(
            select(func.count()).select_from(Learner).where(Learner.family_name.is_not(None))
        )
        assert named > 0
    runner = app.test_cli_runner()
    with time_machine.travel(date(2027, 9, 1), tick=False):
        partial = runner.invoke(args=["privacy", "purge"])
    assert partial.exit_code == 0 and "learners:" in partial.output
    with app.app_context():
        # Students whose last enrolment ended before 1 Sept 2025 are anonymised; employees
        # (seven years) keep their names.
        anonymised = db.session.scalars(
            select(Learner).where(Learner.anonymised_at.is_not(None))
        ).all()
        assert anonymised and all(lr.category.value in ("mbo", "vo") for lr in anonymised)
        assert all(lr.reference.startswith("erased-") for lr in anonymised)
        assert _every_count() == before
    with time_machine.travel(date(2040, 1, 1), tick=False):
        assert runner.invoke(args=["privacy", "purge"]).exit_code == 0
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(Learner)
                .where((Learner.family_name.is_not(None)) | (Learner.anonymised_at.is_(None)))
            )
            == 0
        )
        assert _every_count() == before
