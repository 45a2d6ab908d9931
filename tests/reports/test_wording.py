"""Change, percentage, factor and the words that follow the factor (Dutch and English)."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest
from flask_babel import force_locale

from hubs.errors import InvalidInput
from hubs.learners.counting import Basis
from hubs.reports.options import CountKind, parse_options
from hubs.reports.wording import Change, factor_word, sentence


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """No database is needed here: one app for the module, on one backend only."""
    from hubs import create_app
    from tests.conftest import TEST_CONFIG

    path = tmp_path_factory.mktemp("wording")
    return create_app(
        {**TEST_CONFIG, "DATABASE_URL": f"sqlite:///{path}/x.db", "INSTANCE_PATH": str(path)}
    )


@pytest.mark.parametrize(
    ("first", "last", "change", "pct", "factor"),
    [
        (27, 124, 97, 359.3, 4.59),
        (77, 124, 47, 61.0, 1.61),
        (40, 20, -20, -50.0, 0.5),
        (3, 2, -1, -33.3, 0.67),
        (8, 1, -7, -87.5, 0.13),
        (200, 201, 1, 0.5, 1.01),  # 0.5 exactly: rounded half up
        (0, 38, 38, None, None),
        (12, 12, 0, 0.0, 1.0),
    ],
)
def test_change_percentage_and_factor_are_rounded_half_up(first, last, change, pct, factor):
    c = Change(first, last)
    assert (c.change, c.change_pct, c.factor) == (change, pct, factor)


@pytest.mark.parametrize(
    ("first", "last", "nl", "en"),
    [
        (27, 124, "bijna vervijfvoudigd", "nearly fivefold"),
        (77, 124, "", ""),
        (10, 20, "verdubbeld", "doubled"),
        (100, 203, "verdubbeld", "doubled"),  # within 3%
        (10, 18, "bijna verdubbeld", "nearly doubled"),
        (10, 25, "meer dan verdubbeld", "more than doubled"),
        (10, 30, "verdrievoudigd", "tripled"),
        (10, 40, "verviervoudigd", "quadrupled"),
        (10, 100, "vertienvoudigd", "tenfold"),
        (10, 250, "meer dan vertienvoudigd", "more than tenfold"),
        (40, 20, "gehalveerd", "halved"),
        (40, 22, "bijna gehalveerd", "nearly halved"),
        (40, 15, "meer dan gehalveerd", "more than halved"),
        (40, 30, "", ""),
        (40, 0, "", ""),
    ],
)
def test_the_word_follows_the_factor(app, first, last, nl, en):
    with app.test_request_context():
        with force_locale("nl"):
            assert factor_word(Fraction(last, first)) == nl
        with force_locale("en"):
            assert factor_word(Fraction(last, first)) == en


def _line(first: int, last: int) -> str:
    return sentence(
        "Bij TechnoHUB Woerden",
        "leerlingen",
        " in Dagelijks techniekonderwijs",
        Change(first, last),
        "2021/22",
        "2022/23",
    )


def test_sentences_for_growth_decline_no_change_new_and_nothing(app):
    with app.test_request_context(), force_locale("nl"):
        assert _line(27, 124) == (
            "Bij TechnoHUB Woerden groeide het aantal leerlingen in Dagelijks "
            "techniekonderwijs van 27 naar 124 (+97; +359%; bijna vervijfvoudigd)"
        )
        assert _line(40, 20).endswith("daalde het aantal leerlingen in Dagelijks "
                                      "techniekonderwijs van 40 naar 20 (-20; -50%; gehalveerd)")  # fmt: skip
        assert _line(12, 12).endswith("bleef het aantal leerlingen in Dagelijks "
                                      "techniekonderwijs gelijk: 12")  # fmt: skip
        assert _line(0, 38).endswith("van 0 naar 38 (+38; nieuw)")
        assert _line(0, 0) == (
            "Bij TechnoHUB Woerden waren er in 2021/22 en 2022/23 geen leerlingen in "
            "Dagelijks techniekonderwijs"
        )
        assert "van 1.200 naar 2.400 (+1.200; +100%; verdubbeld)" in _line(1200, 2400)
    with app.test_request_context(), force_locale("en"):
        line = sentence(
            "At MAKE Center", "students", " in MBO Techniek", Change(77, 124), "2021", "2022"
        )
        assert line == "At MAKE Center the number of students in MBO Techniek grew from 77 to 124 (+47; +61%)"  # fmt: skip


def test_options_have_defaults_and_read_every_value(frozen, app):
    with app.app_context():
        default = parse_options({})
        assert (default.from_year, default.to_year) == (2025, 2026)  # school year of 29 Nov 2026
        assert (default.basis, default.count, default.reference_date) == (
            Basis.SCHOOL_YEAR,
            CountKind.PARTICIPANTS,
            None,
        )
        options = parse_options(
            {
                "from": "2021",
                "to": "2023",
                "basis": "calendar",
                "count": "enrolments",
                "reference_date": "01-10-2021",
                "hub_id": ["1", "2"],
                "programme_id": "7",
                "by_level": "1",
            }
        )
        assert options.years == [2021, 2022, 2023]
        assert options.reference_date == date(2021, 10, 1)
        assert (options.hub_ids, options.programme_ids, options.by_level) == (
            frozenset({1, 2}),
            frozenset({7}),
            True,
        )
        assert parse_options({"from": "2021"}).to_year == 2022


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ({"from": "twenty"}, "from"),
        ({"from": "1999"}, "from"),
        ({"from": "2022", "to": "2021"}, "to"),
        ({"from": "2000", "to": "2030"}, "to"),
        ({"basis": "fiscal"}, "basis"),
        ({"count": "heads"}, "count"),
        ({"reference_date": "31-02-2021"}, "reference_date"),
        ({"from": "2021", "reference_date": "2023-10-01"}, "reference_date"),
        ({"hub_id": "x"}, "hub_id"),
        ({"programme_id": ["1", "y"]}, "programme_id"),
    ],
)
def test_bad_options_are_refused_at_their_field(app, frozen, args, field):
    with app.test_request_context(), force_locale("nl"), pytest.raises(InvalidInput) as caught:
        parse_options(args)
    assert list(caught.value.fields) == [field]
    assert all(str(m) for m in caught.value.fields[field])
