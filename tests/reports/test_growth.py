"""The growth report compared with numbers counted by hand on small fixtures."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from hubs.learners.counting import Basis
from hubs.learners.models import LearnerCategory, Level
from hubs.reports.growth import GrowthRow, growth_report
from hubs.reports.options import CountKind, ReportOptions
from hubs.reports.scope import EVERYTHING, ReportScope

PAIR = ReportOptions(2021, 2022)


@pytest.fixture
def world(make, learn):
    hub = make.hub(name="TechnoHUB")
    other_hub = make.hub(name="MAKE")
    school = make.organisation("vo_school", hubs=(hub,))
    roc = make.organisation("mbo_college", hubs=(hub, other_hub))
    return {
        "hub": hub,
        "other_hub": other_hub,
        "school": school,
        "roc": roc,
        "daily": learn.programme(hub, "Dagelijks"),
        "welding": learn.programme(hub, "Lassen"),
        "mbo": learn.programme(other_hub, "MBO Techniek"),
    }


def _rows(report) -> dict[tuple, GrowthRow]:
    return {(r.hub, r.programme, r.category and r.category.value): r for r in report.rows}


def _hub_totals(report) -> dict[str, tuple]:
    return {r.hub: r.counts for r in report.hub_totals}


def test_learner_in_two_programmes_counts_in_each_row_and_once_in_the_totals(ctx, world, learn):
    w = world
    student = learn.learner(w["roc"], category=LearnerCategory.MBO, level=Level.MBO_2)
    other = learn.learner(w["roc"], category=LearnerCategory.MBO, level=Level.MBO_2)
    for year in (2021, 2022):
        start, end = date(year, 8, 1), date(year + 1, 7, 31)
        learn.individual(w["daily"], student, start, end)
        learn.individual(w["welding"], student, start, end)
    learn.individual(w["welding"], other, date(2022, 8, 1), date(2023, 7, 31))
    report = growth_report(PAIR, EVERYTHING)
    rows = _rows(report)
    assert rows[("TechnoHUB", "Dagelijks", "mbo")].counts == (1, 1)
    assert rows[("TechnoHUB", "Lassen", "mbo")].counts == (1, 2)
    # Rows add up to 2 -> 3, but the student is one person: 1 -> 2.
    assert _hub_totals(report) == {"TechnoHUB": (1, 2)}
    assert report.total.counts == (1, 2)
    enrolments = growth_report(replace(PAIR, count=CountKind.ENROLMENTS), EVERYTHING)
    assert _hub_totals(enrolments) == {"TechnoHUB": (2, 3)}


def test_enrolments_touching_31_july_and_1_august(ctx, world, learn):
    w = world
    leaver, joiner = learn.learner(w["school"]), learn.learner(w["school"])
    learn.individual(w["daily"], leaver, date(2022, 3, 1), date(2022, 7, 31))  # last day
    learn.individual(w["daily"], joiner, date(2022, 8, 1), date(2022, 12, 20))  # first day
    learn.group(w["daily"], w["school"], 20, date(2022, 7, 31), date(2022, 7, 31))
    row = _rows(growth_report(PAIR, EVERYTHING))[("TechnoHUB", "Dagelijks", "vo")]
    assert (row.from_count, row.to_count, row.change) == (21, 1, -20)
    assert (row.change_pct, row.factor) == (-95.2, 0.05)


def test_calendar_year_over_two_school_years_counts_a_learner_once(ctx, world, learn):
    w = world
    pupil = learn.learner(w["school"], level=Level.VMBO_KB, leerjaar=3)
    learn.individual(w["daily"], pupil, date(2021, 8, 1), date(2022, 7, 31), leerjaar=3)
    learn.individual(w["daily"], pupil, date(2022, 8, 1), date(2023, 7, 31), leerjaar=4)
    learn.group(w["daily"], w["school"], 10, date(2021, 8, 1), date(2022, 7, 31))
    learn.group(w["daily"], w["school"], 12, date(2022, 8, 1), date(2023, 7, 31))
    calendar = replace(PAIR, basis=Basis.CALENDAR_YEAR)
    row = _rows(growth_report(calendar, EVERYTHING))[("TechnoHUB", "Dagelijks", "vo")]
    # 2021: the first school year only (1 + 10); 2022: one pupil, two groups (1 + 22).
    assert row.counts == (11, 23)
    school = _rows(growth_report(PAIR, EVERYTHING))[("TechnoHUB", "Dagelijks", "vo")]
    assert school.counts == (11, 13)


def test_reference_date_counts_only_what_is_active_on_that_day_each_year(ctx, world, learn):
    w = world
    a, b, c = (learn.learner(w["school"]) for _ in range(3))
    learn.individual(w["daily"], a, date(2021, 8, 1), date(2021, 9, 30))  # gone by 1 Oct
    learn.individual(w["daily"], b, date(2021, 10, 1), date(2022, 10, 1))  # both 1 Octs
    learn.individual(w["daily"], c, date(2022, 10, 2), date(2023, 7, 31))  # after 1 Oct 2022
    options = replace(PAIR, reference_date=date(2021, 10, 1))
    row = _rows(growth_report(options, EVERYTHING))[("TechnoHUB", "Dagelijks", "vo")]
    assert row.counts == (1, 1)
    assert _rows(growth_report(PAIR, EVERYTHING))[("TechnoHUB", "Dagelijks", "vo")].counts == (
        2,
        2,
    )
    assert options.period(2022).reference_date == date(2022, 10, 1)


def test_an_erased_learner_still_counts(ctx, world, learn, make):
    from hubs.access import principal_for
    from hubs.learners.privacy import erase_learner

    w = world
    pupil = learn.learner(w["school"], given_name="Sanne", family_name="Visser")
    learn.individual(w["daily"], pupil, date(2021, 8, 1), date(2023, 7, 31))
    before = growth_report(PAIR, EVERYTHING)
    manager = make.user("manager")
    erase_learner(principal_for(manager), pupil.id)
    after = growth_report(PAIR, EVERYTHING)
    assert [r.counts for r in after.rows] == [r.counts for r in before.rows] == [(1, 1)]
    assert "Sanne" not in " ".join(r.sentence for r in after.rows)


def test_a_group_with_its_own_members_recorded_counts_the_headcount(ctx, world, learn):
    w = world
    group = learn.group(w["daily"], w["school"], 24, level=Level.VMBO_KB)
    for _ in range(3):
        member = learn.learner(w["school"], level=Level.VMBO_KB)
        learn.individual(w["daily"], member, group_id=group.id)
    learn.group(w["daily"], w["school"], 30, date(2022, 8, 1), date(2023, 7, 31))
    row = _rows(growth_report(PAIR, EVERYTHING))[("TechnoHUB", "Dagelijks", "vo")]
    assert (row.from_count, row.to_count, row.change_pct, row.factor) == (24, 30, 25.0, 1.25)
    enrolments = growth_report(replace(PAIR, count=CountKind.ENROLMENTS), EVERYTHING)
    assert enrolments.rows[0].counts == (24, 30)


def test_rows_split_by_level_and_a_trend_over_three_years(ctx, world, learn):
    w = world
    learn.group(w["daily"], w["school"], 20, level=Level.HAVO, leerjaar=4)
    learn.group(w["daily"], w["school"], 10, level=Level.VMBO_BB)
    learn.group(w["daily"], w["school"], 40, date(2023, 8, 1), date(2024, 7, 31), level=Level.HAVO)
    options = ReportOptions(2021, 2023, by_level=True)
    report = growth_report(options, EVERYTHING)
    assert [(r.level, r.counts) for r in report.rows] == [
        (Level.VMBO_BB, (10, 0, 0)),
        (Level.HAVO, (20, 0, 40)),
    ]
    assert (report.rows[1].from_count, report.rows[1].to_count) == (20, 40)
    assert report.rows[1].sentence.endswith("(+20; +100%; verdubbeld)")
    assert report.total.counts == (30, 0, 40)


def test_a_scope_limits_rows_and_totals_and_says_so(ctx, world, learn):
    w = world
    learn.group(w["daily"], w["school"], 20)
    student = learn.learner(w["roc"], category=LearnerCategory.MBO)
    learn.individual(w["mbo"], student)
    everything = growth_report(PAIR, EVERYTHING)
    assert everything.total.counts == (21, 0)
    assert everything.total.sentence.startswith("In de MKB-Deal als geheel daalde")
    coordinator = ReportScope(hub_ids=frozenset({w["other_hub"].id}))
    report = growth_report(PAIR, coordinator)
    assert [(r.hub, r.programme) for r in report.rows] == [("MAKE", "MBO Techniek")]
    assert report.total.counts == (1, 0) and report.hub_names == ["MAKE"]
    assert report.total.sentence.startswith("In de getoonde hubs")
    # A reader's filter cannot widen the scope.
    widened = replace(PAIR, hub_ids=frozenset({w["hub"].id}))
    assert growth_report(widened, coordinator).rows == []
    chosen = replace(PAIR, programme_ids=frozenset({w["daily"].id}))
    assert [r.programme for r in growth_report(chosen, EVERYTHING).rows] == ["Dagelijks"]


def test_a_funding_source_scope_sees_only_the_programmes_it_funds(ctx, world, learn, make):
    from hubs.learners.models import FundingSource, programme_funding

    w = world
    learn.group(w["daily"], w["school"], 20)
    learn.group(w["welding"], w["school"], 15)
    with make._unit() as s:
        source = FundingSource(name="Provincie")
        s.add(source)
        s.flush()
        s.execute(
            programme_funding.insert().values(
                programme_id=w["welding"].id, funding_source_id=source.id
            )
        )
    report = growth_report(PAIR, ReportScope(funding_source_ids=frozenset({source.id})))
    assert [r.programme for r in report.rows] == ["Lassen"]
    assert report.total.counts == (15, 0)


def test_row_transforms_of_the_scope_reach_every_row_and_total(ctx, world, learn):
    w = world
    learn.group(w["daily"], w["school"], 8)
    learn.group(w["welding"], w["school"], 40)

    def suppress(row: GrowthRow) -> GrowthRow:
        if all(isinstance(c, int) and (c == 0 or c >= 10) for c in row.counts):
            return row
        counts = tuple("<10" if isinstance(c, int) and 0 < c < 10 else c for c in row.counts)
        return replace(
            row,
            counts=counts,
            from_count=counts[0],
            to_count=counts[-1],
            change=None,
            change_pct=None,
            factor=None,
            sentence="",
        )

    report = growth_report(PAIR, ReportScope(row_transforms=(suppress,)))
    assert [r.counts for r in report.rows] == [("<10", 0), (40, 0)]
    assert report.total.counts == (48, 0)
