"""Growth in numbers and in words: change, percentage, factor and the plain-language line.

"Bij TechnoHUB Woerden groeide het aantal leerlingen in Dagelijks techniekonderwijs van 27
naar 124 (+97; +359%; bijna vervijfvoudigd)". The word follows the factor: exactly (within
3%) doubled, tripled … tenfold; *nearly* when the factor is within 10% below a whole
multiple; *more than* otherwise from a factor of 2 on; halved and its neighbours for a
decline. Sentences are built in the current locale.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from hubs.i18n import format_number

MULTIPLES: dict[int, Any] = {
    2: _l("doubled"),
    3: _l("tripled"),
    4: _l("quadrupled"),
    5: _l("fivefold"),
    6: _l("sixfold"),
    7: _l("sevenfold"),
    8: _l("eightfold"),
    9: _l("ninefold"),
    10: _l("tenfold"),
}
EXACT = Fraction(3, 100)  # within 3% of a whole multiple counts as exactly that
NEARLY = Fraction(9, 10)  # 90% of a multiple or more: "nearly"


def _round(value: Fraction, places: str) -> float:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return float(exact.quantize(Decimal(places), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Change:
    """From one count to another: absolute, percentage (1 decimal), factor (2 decimals).

    Percentage and factor are None when the first count is 0 (no finite ratio).
    """

    first: int
    last: int

    @property
    def change(self) -> int:
        return self.last - self.first

    @property
    def ratio(self) -> Fraction | None:
        return Fraction(self.last, self.first) if self.first else None

    @property
    def change_pct(self) -> float | None:
        ratio = self.ratio
        return None if ratio is None else _round((ratio - 1) * 100, "0.1")

    @property
    def factor(self) -> float | None:
        ratio = self.ratio
        return None if ratio is None else _round(ratio, "0.01")

    @property
    def whole_pct(self) -> int | None:
        ratio = self.ratio
        return None if ratio is None else int(_round((ratio - 1) * 100, "1"))


def factor_word(ratio: Fraction | None) -> str:
    """ "bijna vervijfvoudigd", "verdubbeld", "gehalveerd" … or "" when no word fits."""
    if ratio is None or ratio <= 0:
        return ""
    if ratio < 1:
        return _decline_word(ratio)
    down, up = math.floor(ratio), math.ceil(ratio)
    if down >= 2 and ratio <= down * (1 + EXACT) and down in MULTIPLES:
        return str(MULTIPLES[down])
    if up in MULTIPLES and ratio >= up * (1 - EXACT):
        return str(MULTIPLES[up])
    if up in MULTIPLES and ratio >= up * NEARLY:
        return _("nearly %(word)s", word=MULTIPLES[up])
    if down >= 2:
        return _("more than %(word)s", word=MULTIPLES[min(down, 10)])
    return ""


def _decline_word(ratio: Fraction) -> str:
    half = Fraction(1, 2)
    if abs(ratio - half) <= half * EXACT:
        return _("halved")
    if half < ratio <= Fraction(55, 100):
        return _("nearly halved")
    if Fraction(3, 10) <= ratio < half:
        return _("more than halved")
    return ""


def signed(value: int) -> str:
    text = format_number(abs(value))
    return f"+{text}" if value >= 0 else f"-{text}"


def details(change: Change) -> str:
    """``+97; +359%; bijna vervijfvoudigd``."""
    parts = [signed(change.change)]
    if change.whole_pct is None:
        if change.last:
            parts.append(_("new"))
    else:
        parts.append(f"{signed(change.whole_pct)}%")
        word = factor_word(change.ratio)
        if word:
            parts.append(word)
    return "; ".join(parts)


def sentence(place: str, noun: str, where: str, change: Change, first: str, last: str) -> str:
    """The plain-language line. ``place`` "Bij TechnoHUB Woerden", ``noun`` "leerlingen",
    ``where`` " in Dagelijks techniekonderwijs" (or ""), ``first``/``last`` year labels."""
    values = {
        "place": place,
        "noun": noun,
        "where": where,
        "first": format_number(change.first),
        "last": format_number(change.last),
        "details": details(change),
        "from_year": first,
        "to_year": last,
    }
    if change.first == change.last == 0:
        return _(
            "%(place)s there were no %(noun)s%(where)s in %(from_year)s or %(to_year)s", **values
        )
    if change.first == change.last:
        return _("%(place)s the number of %(noun)s%(where)s stayed the same: %(first)s", **values)
    if change.last > change.first:
        return _(
            "%(place)s the number of %(noun)s%(where)s grew from %(first)s to %(last)s"
            " (%(details)s)",
            **values,
        )
    return _(
        "%(place)s the number of %(noun)s%(where)s fell from %(first)s to %(last)s (%(details)s)",
        **values,
    )
