"""Form pieces shared by features: a confirmation guard for destructive buttons."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectChoice
from wtforms.validators import AnyOf

WEEKDAYS = (
    _l("Monday"),
    _l("Tuesday"),
    _l("Wednesday"),
    _l("Thursday"),
    _l("Friday"),
    _l("Saturday"),
    _l("Sunday"),
)


class ConfirmForm(FlaskForm):
    """A POST that removes something carries ``confirm=yes`` from its button's form.

    A bare POST (a replayed or crafted request without it) changes nothing.
    """

    confirm = HiddenField(validators=[AnyOf(["yes"], message=_l("Please confirm."))])


class DateInput(DateField):
    """A date: the browser's date picker sends 2025-10-24; typed 24-10-2025 works too."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("format", ["%Y-%m-%d", "%d-%m-%Y"])
        super().__init__(*args, **kwargs)


def options(pairs: Iterable[tuple[Any, Any]]) -> list[SelectChoice]:
    """Choices for a select or radio field from ``(value, label)`` pairs."""
    return [SelectChoice(value, label) for value, label in pairs]
