"""The counting rule, checked against numbers worked out by hand on small fixtures."""

from __future__ import annotations

from datetime import date

import pytest

from hubs.learners.counting import Filters, Period, count, count_many, participants, total
from hubs.learners.models import LearnerCategory, Level

SY21 = Period.school_year(2021)  # 1 Aug 2021 – 31 Jul 2022
SY22 = Period.school_year(2022)


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


def test_learner_in_two_programmes_counts_once_per_programme_and_once_per_hub(ctx, world, learn):
    w = world
    student = learn.learner(w["roc"], category=LearnerCategory.MBO, level=Level.MBO_2)
    other = learn.learner(w["roc"], category=LearnerCategory.MBO, level=Level.MBO_2)
    learn.individual(w["daily"], student)
    learn.individual(w["welding"], student)
    learn.individual(w["welding"], other)
    by_programme = {c.programme_id: c for c in count(SY21, by=("programme",))}
    assert by_programme[w["daily"].id].participants == 1
    assert by_programme[w["welding"].id].participants == 2
    (hub,) = count(SY21, by=("hub",))
    assert (hub.hub_id, hub.participants, hub.enrolments) == (w["hub"].id, 2, 3)
    assert participants(SY21) == 2


def test_enrolments_touching_31_july_and_1_august(ctx, world, learn):
    w = world
    leaver = learn.learner(w["school"])
    joiner = learn.learner(w["school"])
    # Ends on the last day of 2021/22: counts in 2021 only.
    learn.individual(w["daily"], leaver, date(2022, 3, 1), date(2022, 7, 31))
    # Starts on the first day of 2022/23: counts in 2022 only.
    learn.individual(w["daily"], joiner, date(2022, 8, 1), date(2022, 12, 20))
    learn.group(w["daily"], w["school"], 20, date(2022, 7, 31), date(2022, 7, 31))
    assert participants(SY21) == 1 + 20
    assert participants(SY22) == 1
    assert participants(Period.school_year(2020)) == 0


def test_calendar_year_spanning_two_school_years_counts_a_learner_once(ctx, world, learn):
    w = world
    pupil = learn.learner(w["school"], leerjaar=3, level=Level.VMBO_KB)
    learn.individual(w["daily"], pupil, date(2021, 8, 1), date(2022, 7, 31), leerjaar=3)
    learn.individual(w["daily"], pupil, date(2022, 8, 1), date(2023, 7, 31), leerjaar=4)
    learn.group(w["daily"], w["school"], 10, date(2021, 8, 1), date(2022, 7, 31))
    learn.group(w["daily"], w["school"], 12, date(2022, 8, 1), date(2023, 7, 31))
    result = total(Period.calendar_year(2022))
    # One pupil with two enrolment records; two different groups (anonymous: 10 + 12).
    assert (result.participants, result.enrolments) == (1 + 22, 2 + 22)
    assert total(SY21).participants == 1 + 10
    assert total(Period.calendar_year(2021)).participants == 1 + 10
    assert total(Period.calendar_year(2024)).participants == 0


def test_reference_date_counts_only_what_is_active_that_day(ctx, world, learn):
    w = world
    a, b, c = (learn.learner(w["school"]) for _ in range(3))
    learn.individual(w["daily"], a, date(2021, 8, 1), date(2021, 9, 30))  # gone by 1 Oct
    learn.individual(w["daily"], b, date(2021, 10, 1), date(2021, 10, 1))  # only that day
    learn.individual(w["daily"], c, date(2021, 11, 1), date(2022, 7, 31))  # starts later
    learn.group(w["daily"], w["school"], 15, date(2021, 9, 1), date(2022, 6, 30))
    assert participants(SY21) == 3 + 15
    assert participants(SY21.on_reference_date()) == 1 + 15  # 1 October 2021
    assert participants(SY21.on_reference_date(date(2022, 1, 15))) == 1 + 15
    assert participants(SY21.on_reference_date(date(2021, 8, 15))) == 1
    with pytest.raises(ValueError):
        SY21.on_reference_date(date(2023, 1, 1))


def test_individuals_belonging_to_a_group_are_not_counted_again(ctx, world, learn):
    w = world
    group = learn.group(w["daily"], w["school"], 24, level=Level.VMBO_KB)
    members = [learn.learner(w["school"], level=Level.VMBO_KB) for _ in range(3)]
    for member in members:
        learn.individual(w["daily"], member, group_id=group.id)
    loner = learn.learner(w["school"], level=Level.VMBO_KB)
    learn.individual(w["daily"], loner)
    (cell,) = count(SY21)
    assert (cell.category, cell.level) == (LearnerCategory.VO, Level.VMBO_KB)
    assert (cell.participants, cell.enrolments) == (24 + 1, 24 + 1)


def test_a_group_member_counts_when_the_group_is_not_active(ctx, world, learn):
    w = world
    group = learn.group(w["daily"], w["school"], 24, date(2021, 8, 1), date(2021, 12, 31))
    pupil = learn.learner(w["school"])
    learn.individual(w["daily"], pupil, date(2021, 8, 1), date(2022, 7, 31), group_id=group.id)
    assert participants(SY21) == 24
    assert participants(SY21.on_reference_date(date(2022, 3, 1))) == 1


def test_status_does_not_change_counts_the_dates_do(ctx, world, learn):
    from hubs.learners.models import EnrolmentStatus

    w = world
    pupil = learn.learner(w["school"])
    learn.individual(
        w["daily"], pupil, date(2021, 8, 1), date(2022, 3, 1), status=EnrolmentStatus.STOPPED
    )
    assert participants(SY21) == 1
    assert participants(SY21.on_reference_date(date(2022, 4, 1))) == 0


def test_cells_by_category_and_level_and_filters(ctx, world, learn):
    w = world
    learn.group(w["daily"], w["school"], 20, level=Level.HAVO, leerjaar=4)
    learn.group(w["daily"], w["school"], 25, level=Level.VMBO_BB)
    student = learn.learner(w["roc"], category=LearnerCategory.MBO, level=Level.MBO_3)
    learn.individual(w["mbo"], student)
    employee = learn.learner(w["roc"], category=LearnerCategory.EMPLOYEE, family_name="Jansen")
    learn.individual(w["mbo"], employee)
    cells = {(c.hub_id, c.category, c.level): c.participants for c in count(SY21)}
    assert cells == {
        (w["hub"].id, LearnerCategory.VO, Level.VMBO_BB): 25,
        (w["hub"].id, LearnerCategory.VO, Level.HAVO): 20,
        (w["other_hub"].id, LearnerCategory.MBO, Level.MBO_3): 1,
        (w["other_hub"].id, LearnerCategory.EMPLOYEE, None): 1,
    }
    assert participants(SY21, Filters(hub_ids=[w["hub"].id])) == 45
    assert participants(SY21, Filters(categories=["mbo", "employee"])) == 2
    assert participants(SY21, Filters(levels=[Level.HAVO])) == 20
    assert participants(SY21, Filters(organisation_ids=[w["roc"].id])) == 2
    assert participants(SY21, Filters(programme_ids=[])) == 0
    with pytest.raises(ValueError):
        count(SY21, by=("colour",))


def test_several_groupings_in_one_query_give_what_each_gives_alone(ctx, world, learn):
    w = world
    student = learn.learner(w["roc"], category=LearnerCategory.MBO, level=Level.MBO_2)
    learn.individual(w["daily"], student)
    learn.individual(w["welding"], student)  # once per programme, once in the hub
    learn.individual(w["mbo"], student)  # and once at the other hub
    group = learn.group(w["daily"], w["school"], 24, level=Level.VMBO_KB)
    member = learn.learner(w["school"], level=Level.VMBO_KB)
    learn.individual(w["daily"], member, group_id=group.id)  # inside the group's 24
    groupings = [("hub", "programme", "category", "level"), ("hub",), ("programme",), ()]
    for period in (SY21, SY22):
        together = count_many(period, groupings)
        alone = [count(period, by=by) for by in groupings]
        assert [sorted(map(repr, cells)) for cells in together] == [
            sorted(map(repr, cells)) for cells in alone
        ]
    hubs, everything = count_many(SY21, [("hub",), ()])
    assert {c.hub_id: c.participants for c in hubs} == {w["hub"].id: 25, w["other_hub"].id: 1}
    # A person counts once in the total, though in two hubs' totals.
    assert [(c.participants, c.enrolments) for c in everything] == [(25, 24 + 3)]
    assert count_many(SY22, [("hub",), ()]) == [[], []]  # nothing active: no rows
