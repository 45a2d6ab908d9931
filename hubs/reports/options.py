"""What a report is asked for: years, basis, count, reference date and filters.

One parser for the page's query string, the API's query string and the command line, so
the three accept the same values and refuse bad ones with the same message at the same
field (:class:`hubs.errors.InvalidInput`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from flask_babel import lazy_gettext as _l

from hubs.db import utcnow
from hubs.errors import InvalidInput
from hubs.learners.counting import AMSTERDAM, Basis, Period, current_school_year

FIRST_YEAR, LAST_YEAR = 2000, 2100
MAX_YEARS = 20
TRUE_WORDS = {"1", "true", "yes", "on", "ja"}


class CountKind(StrEnum):
    """What a learner number means (see the counting rule)."""

    PARTICIPANTS = "participants"
    ENROLMENTS = "enrolments"

    @property
    def label(self) -> str:
        return str({"participants": _l("participants"), "enrolments": _l("enrolments")}[self])


# The API and the query string say "school" and "calendar".
BASIS_CODES = {"school": Basis.SCHOOL_YEAR, "calendar": Basis.CALENDAR_YEAR}


def basis_code(basis: Basis) -> str:
    return "school" if basis == Basis.SCHOOL_YEAR else "calendar"


def basis_label(basis: Basis) -> str:
    return str(_l("school year") if basis == Basis.SCHOOL_YEAR else _l("calendar year"))


@dataclass(frozen=True)
class ReportOptions:
    """The reader's choices. Filters (hubs, programmes) narrow the reader's scope further."""

    from_year: int
    to_year: int
    basis: Basis = Basis.SCHOOL_YEAR
    count: CountKind = CountKind.PARTICIPANTS
    # A date in the first year; every other year is counted on the same day and month.
    reference_date: date | None = None
    hub_ids: frozenset[int] | None = None
    programme_ids: frozenset[int] | None = None
    by_level: bool = False

    @property
    def years(self) -> list[int]:
        return list(range(self.from_year, self.to_year + 1))

    @property
    def basis_code(self) -> str:
        return basis_code(self.basis)

    def period(self, year: int) -> Period:
        """The period of ``year``, counted on this year's reference date if one is set."""
        period = Period(year, self.basis)
        if self.reference_date is None:
            return period
        ref = self.reference_date
        shifted_year = ref.year + (year - self.from_year)
        day = min(ref.day, 28) if (ref.month, ref.day) == (2, 29) else ref.day
        return period.on_reference_date(date(shifted_year, ref.month, day))

    def label(self, year: int) -> str:
        return Period(year, self.basis).label

    def query(self) -> dict[str, Any]:
        """The options as query-string values (download links, the API)."""
        values: dict[str, Any] = {
            "from": self.from_year,
            "to": self.to_year,
            "basis": self.basis_code,
            "count": self.count.value,
        }
        if self.reference_date is not None:
            values["reference_date"] = self.reference_date.isoformat()
        if self.hub_ids:
            values["hub_id"] = sorted(self.hub_ids)
        if self.programme_ids:
            values["programme_id"] = sorted(self.programme_ids)
        if self.by_level:
            values["by_level"] = "1"
        return values


def _values(args: Mapping[str, Any], name: str) -> list[str]:
    getlist = getattr(args, "getlist", None)
    raw = getlist(name) if getlist is not None else args.get(name)
    if raw is None:
        return []
    items = raw if isinstance(raw, list | tuple) else [raw]
    return [str(v).strip() for v in items if str(v).strip() != ""]


def _one(args: Mapping[str, Any], name: str) -> str | None:
    values = _values(args, name)
    return values[-1] if values else None


def _year(text: str | None, field: str, errors: dict[str, list[Any]]) -> int | None:
    if text is None:
        return None
    try:
        year = int(text)
    except ValueError:
        errors[field] = [_l("Give a year, for example 2021.")]
        return None
    if not FIRST_YEAR <= year <= LAST_YEAR:
        errors[field] = [
            _l("Give a year from %(first)d to %(last)d.", first=FIRST_YEAR, last=LAST_YEAR)
        ]
        return None
    return year


def _ids(args: Mapping[str, Any], name: str, errors: dict[str, list[Any]]) -> frozenset[int] | None:
    values = _values(args, name)
    if not values:
        return None
    try:
        return frozenset(int(v) for v in values)
    except ValueError:
        errors[name] = [_l("Choose from the list.")]
        return None


def _date(text: str | None, errors: dict[str, list[Any]]) -> date | None:
    if text is None:
        return None
    for pattern in ("%Y-%m-%d", "%d-%m-%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    errors["reference_date"] = [_l("Give a date such as 01-10-2021.")]
    return None


def _choice(
    text: str | None, allowed: Mapping[str, Any], field: str, message: Any, errors: dict[str, Any]
) -> Any:
    if text is None:
        return None
    if text not in allowed:
        errors[field] = [message]
        return None
    return allowed[text]


def default_years(basis: Basis) -> tuple[int, int]:
    """The previous and the current year: the comparison people ask for most."""
    if basis == Basis.CALENDAR_YEAR:
        last = utcnow().astimezone(AMSTERDAM).year
    else:
        last = current_school_year()
    return last - 1, last


def parse_options(args: Mapping[str, Any]) -> ReportOptions:
    """Read ``from, to, basis, count, reference_date, hub_id, programme_id, by_level``.

    Missing values take defaults (the previous and the current school year, participants,
    no reference date, everything in scope); bad values raise :class:`InvalidInput` with a
    message per field and nothing else happens.
    """
    errors: dict[str, list[Any]] = {}
    basis = _choice(
        _one(args, "basis"),
        BASIS_CODES,
        "basis",
        _l("Choose school year or calendar year."),
        errors,
    )
    basis = basis or Basis.SCHOOL_YEAR
    count = _choice(
        _one(args, "count"),
        {k.value: k for k in CountKind},
        "count",
        _l("Choose participants or enrolments."),
        errors,
    )
    first = _year(_one(args, "from"), "from", errors)
    last = _year(_one(args, "to"), "to", errors)
    default_first, default_last = default_years(basis)
    if first is None and last is None:
        first, last = default_first, default_last
    elif first is None:
        first = (last or default_last) - 1
    if last is None:
        last = first + 1
    _check_span(first, last, errors)
    reference = _date(_one(args, "reference_date"), errors)
    if reference is not None and "from" not in errors:
        period = Period(first, basis)
        if not period.starts_on <= reference <= period.ends_on:
            errors["reference_date"] = [
                _l("Give a date in the first year (%(label)s).", label=period.label)
            ]
    hub_ids = _ids(args, "hub_id", errors)
    programme_ids = _ids(args, "programme_id", errors)
    if errors:
        raise InvalidInput(fields=errors)
    return ReportOptions(
        from_year=first,
        to_year=last,
        basis=basis,
        count=count or CountKind.PARTICIPANTS,
        reference_date=reference,
        hub_ids=hub_ids,
        programme_ids=programme_ids,
        by_level=(_one(args, "by_level") or "").lower() in TRUE_WORDS,
    )


def _check_span(first: int, last: int, errors: dict[str, list[Any]]) -> None:
    if "from" in errors or "to" in errors:
        return
    if last < first:
        errors["to"] = [_l("The last year may not come before the first year.")]
    elif last - first + 1 > MAX_YEARS:
        errors["to"] = [_l("Choose at most %(n)d years.", n=MAX_YEARS)]
