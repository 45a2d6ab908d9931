"""The definitions every report states, in the reader's language.

Each has a stable code (the API's ``definitions`` object is keyed by it), a term and the
explanation. The texts follow :mod:`hubs.learners.counting`; change one, change both.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from hubs.i18n import format_day
from hubs.learners.counting import Basis
from hubs.reports.options import CountKind, ReportOptions


@dataclass(frozen=True)
class Definition:
    code: str
    term: str
    text: str


def period_definition(options: ReportOptions) -> Definition:
    if options.basis == Basis.SCHOOL_YEAR:
        return Definition(
            "school_year",
            _("School year"),
            _(
                "School year 2021/22 runs from 1 August 2021 to 31 July 2022. An enrolment "
                "counts in a year when its dates overlap that year."
            ),
        )
    return Definition(
        "calendar_year",
        _("Calendar year"),
        _(
            "Calendar year 2022 runs from 1 January to 31 December 2022. An enrolment counts "
            "in a year when its dates overlap that year, so a learner enrolled in two school "
            "years within it counts once."
        ),
    )


def reference_definition(options: ReportOptions) -> Definition:
    if options.reference_date is None:
        return Definition(
            "reference_date",
            _("Reference date"),
            _("None: every enrolment active at any time in the year counts."),
        )
    days = ", ".join(format_day(options.period(y).reference_date) for y in options.years)  # type: ignore[arg-type]
    return Definition(
        "reference_date",
        _("Reference date"),
        _(
            "Only enrolments active on the reference date count, on the same day in every "
            "year: %(days)s.",
            days=days,
        ),
    )


def counting_definitions(options: ReportOptions) -> list[Definition]:
    """What a learner number means, the period, the reference date, groups and totals."""
    chosen = (
        Definition(
            "participants",
            _("Participants"),
            _(
                "Each learner enrolled individually counts once, plus the number of learners "
                "of each group. A learner recorded individually inside a counted group is "
                "not counted again."
            ),
        )
        if options.count == CountKind.PARTICIPANTS
        else Definition(
            "enrolments",
            _("Enrolments"),
            _(
                "Enrolment records; a group counts with its number of learners. A learner "
                "in two programmes has two enrolments."
            ),
        )
    )
    return [
        chosen,
        period_definition(options),
        reference_definition(options),
        Definition(
            "groups",
            _("Groups"),
            _(
                "Groups are anonymous, so a pupil in groups of two programmes cannot be "
                "recognised as one person and counts in both."
            ),
        ),
        Definition(
            "totals",
            _("Totals"),
            _(
                "Totals per hub and for all hubs are counted with the same rule over the "
                "whole hub, not added up from the rows: a learner in two programmes of a hub "
                "counts once in its total, so a total can be smaller than the sum of its rows. "
                "Groups cannot be deduplicated across programmes."
            ),
        ),
        Definition(
            "erased",
            _("Erased learners"),
            _(
                "Learners whose personal data was erased still count: their records are "
                "anonymised, not deleted."
            ),
        ),
    ]


def growth_definitions(options: ReportOptions) -> list[Definition]:
    return [
        *counting_definitions(options),
        Definition(
            "change",
            _("Difference"),
            _(
                "The last year minus the first year. Percentage: the change divided by the "
                "first year (one decimal). Factor: the last year divided by the first (two "
                "decimals). Both are empty when the first year has none."
            ),
        ),
    ]
