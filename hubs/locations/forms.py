"""Forms for hubs, opening hours, exceptions per date and resources."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from hubs.forms import WEEKDAYS, DateInput, options
from hubs.locations.models import ResourceKind

PERIODS = (1, 2)  # a day may have two opening periods (e.g. day and evening)


class HubForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    town = StringField(_l("Town"), validators=[DataRequired(), Length(max=120)])
    address = StringField(_l("Address"), validators=[Optional(), Length(max=300)])


def hours_field_name(day: int, period: int, which: str) -> str:
    return f"day{day}_{which}{period}"


class OpeningHoursForm(FlaskForm):
    """Seven weekdays, each with up to two periods (opens–closes); empty means closed."""

    def day_rows(self) -> list[tuple[Any, list[tuple[Any, Any]]]]:
        return [
            (
                WEEKDAYS[day],
                [
                    (
                        self[hours_field_name(day, p, "opens")],
                        self[hours_field_name(day, p, "closes")],
                    )
                    for p in PERIODS
                ],
            )
            for day in range(7)
        ]

    def hours(self) -> dict[int, list[tuple[Any, Any]]]:
        result: dict[int, list[tuple[Any, Any]]] = {}
        for day in range(7):
            for p in PERIODS:
                opens = self[hours_field_name(day, p, "opens")].data
                closes = self[hours_field_name(day, p, "closes")].data
                if opens and closes:
                    result.setdefault(day, []).append((opens, closes))
        return result

    def fill(self, opening_hours: list[Any]) -> None:
        seen: dict[int, int] = {}
        for row in opening_hours:
            period = seen[row.weekday] = seen.get(row.weekday, 0) + 1
            if period in PERIODS:
                self[hours_field_name(row.weekday, period, "opens")].data = row.opens_at
                self[hours_field_name(row.weekday, period, "closes")].data = row.closes_at

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        for day in range(7):
            last_close = None
            for p in PERIODS:
                opens = self[hours_field_name(day, p, "opens")]
                closes = self[hours_field_name(day, p, "closes")]
                if bool(opens.data) != bool(closes.data):
                    missing = closes if opens.data else opens
                    missing.errors = [*missing.errors, _l("Give both times, or neither.")]
                    ok = False
                elif opens.data and closes.data:
                    if closes.data <= opens.data:
                        closes.errors = [*closes.errors, _l("Must be after the opening time.")]
                        ok = False
                    elif last_close and opens.data < last_close:
                        opens.errors = [*opens.errors, _l("Overlaps the first period.")]
                        ok = False
                    last_close = closes.data
        return ok


def _add_hours_fields(cls: type) -> None:
    for day in range(7):
        for p in PERIODS:
            for which in ("opens", "closes"):
                label = (
                    _l("%(day)s, period %(n)d: opens", day=WEEKDAYS[day], n=p)
                    if which == "opens"
                    else _l("%(day)s, period %(n)d: closes", day=WEEKDAYS[day], n=p)
                )
                setattr(
                    cls, hours_field_name(day, p, which), TimeField(label, validators=[Optional()])
                )


_add_hours_fields(OpeningHoursForm)


class NewHubForm(HubForm, OpeningHoursForm):
    """A new hub with its weekly hours in one form."""


class OpeningExceptionForm(FlaskForm):
    on_date = DateInput(_l("Date"), validators=[InputRequired()])
    state = RadioField(
        _l("On this date the hub is"),
        choices=options([("open", _l("open at other times")), ("closed", _l("closed all day"))]),
        default="open",
        validators=[InputRequired()],
    )
    opens_at = TimeField(_l("Opens"), validators=[Optional()])
    closes_at = TimeField(_l("Closes"), validators=[Optional()])
    note = StringField(
        _l("Reason"),
        validators=[Optional(), Length(max=200)],
    )

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        if ok and self.state.data == "open":
            for f in (self.opens_at, self.closes_at):
                if not f.data:
                    f.errors = [*f.errors, _l("Fill in the time, or choose closed all day.")]
                    ok = False
        return ok


class ResourceForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    kind = SelectField(_l("Kind"), choices=[], validators=[DataRequired()])
    capacity = IntegerField(
        _l("Capacity (people)"), validators=[InputRequired(), NumberRange(min=1, max=500)]
    )
    licence_type = StringField(
        _l("Machine licence needed"), validators=[Optional(), Length(max=40)]
    )
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Labels of the enum are lazy; build choices per request in the current language.
        self.kind.choices = options([(k.value, k.label) for k in ResourceKind])
