"""The dates of a weekly rule, and the lesson of each date as instants.

The rule works on local *dates* (python-dateutil's ``rrule``); the lesson's wall-clock
times are turned into instants per date, in the hub's time zone. So a Tuesday 09:00
lesson is 07:00 UTC in summer and 08:00 UTC in winter — never "the first instant plus
seven days", which drifts an hour at each clock change.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, tzinfo

from babel.dates import get_day_names
from dateutil.rrule import rrulestr
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from hubs.booking.clock import exists, is_ambiguous
from hubs.series.models import WEEKDAY_CODES

RRULE_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
MAX_OCCURRENCES = 260  # five days a week for a year


def weekday_numbers(codes: Iterable[str]) -> list[int]:
    """``["tue", "thu"]`` → ``[1, 3]`` (sorted, without duplicates); ValueError if unknown."""
    return sorted({WEEKDAY_CODES.index(code.strip().lower()) for code in codes})


def make_rule(interval_weeks: int, weekdays: Iterable[int], until: date) -> str:
    """The RFC 5545 RRULE of the dates: ``FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;...``."""
    days = ",".join(RRULE_DAYS[d] for d in sorted(set(weekdays)))
    return f"FREQ=WEEKLY;WKST=MO;INTERVAL={interval_weeks};BYDAY={days};UNTIL={until:%Y%m%d}"


def rule_dates(rule: str, first_day: date, limit: int = MAX_OCCURRENCES + 1) -> list[date]:
    """The local dates of ``rule`` from ``first_day`` (at most ``limit``)."""
    dates: list[date] = []
    for moment in rrulestr(rule, dtstart=datetime.combine(first_day, time(0))):
        dates.append(moment.date())
        if len(dates) >= limit:
            break
    return dates


def lesson(day: date, start: time, end: time, tz: tzinfo) -> tuple[datetime, datetime] | str:
    """The lesson on ``day`` as UTC instants, or why it cannot be (a time the clock
    change skips or repeats on that date: we do not guess which one is meant)."""
    for clock in (start, end):
        naive = datetime.combine(day, clock)
        if not exists(naive, tz):
            return str(
                _l(
                    "%(time)s does not exist that night: the clocks go forward an hour.",
                    time=clock.strftime("%H:%M"),
                )
            )
        if is_ambiguous(naive, tz):
            return str(
                _l(
                    "%(time)s happens twice that night: the clocks go back an hour.",
                    time=clock.strftime("%H:%M"),
                )
            )
    return (
        datetime.combine(day, start, tzinfo=tz).astimezone(UTC),
        datetime.combine(day, end, tzinfo=tz).astimezone(UTC),
    )


def describe_rule(interval_weeks: int, weekdays: Iterable[int]) -> str:
    """ "every week on Tuesday and Thursday", in the user's language."""
    day_names = get_day_names("wide", locale=str(get_locale() or "nl"))
    names = [day_names[d] for d in sorted(set(weekdays))]
    days = (
        names[0]
        if len(names) == 1
        else str(_l("%(days)s and %(last)s", days=", ".join(names[:-1]), last=names[-1]))
    )
    if interval_weeks == 1:
        return str(_l("every week on %(days)s", days=days))
    return str(_l("every %(num)d weeks on %(days)s", num=interval_weeks, days=days))
