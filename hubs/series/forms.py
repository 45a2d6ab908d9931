"""HTML forms of the series: the booking form's "repeat" fields, changing and cancelling
coming dates (Flask-WTF: CSRF on)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

# The group fields are the booking form's own (the same labels, checks and hints).
from hubs.booking.forms import BookingForm, MultiCheckboxField
from hubs.booking.forms import _GroupFields as GroupFields
from hubs.forms import WEEKDAYS, ConfirmForm, DateInput, options
from hubs.series.models import WEEKDAY_CODES


def weekday_choices() -> list[Any]:
    return options(zip(WEEKDAY_CODES, WEEKDAYS, strict=True))


def interval_choices() -> list[Any]:
    return options(
        [
            (1, _l("every week")),
            (2, _l("every 2 weeks")),
            (3, _l("every 3 weeks")),
            (4, _l("every 4 weeks")),
        ]
    )


class SeriesBookingForm(BookingForm):
    """The booking form with "repeat every week until ...": a preview comes first."""

    repeat = RadioField(
        _l("Repeat"),
        choices=options([("once", _l("once")), ("weekly", _l("weekly, until the last date"))]),
        default="once",
        validators=[Optional()],
    )
    until = DateInput(_l("Last date"), validators=[Optional()])
    interval_weeks = SelectField(_l("How often"), coerce=int, choices=interval_choices, default=1)
    weekdays = MultiCheckboxField(_l("On these days"), choices=weekday_choices)


SCOPE_CHOICES = [
    ("occurrence", _l("only this date")),
    ("following", _l("this date and all following dates")),
    ("all", _l("all coming dates")),
]


class _ScopeFields:
    scope = RadioField(
        _l("Which dates"), choices=options(SCOPE_CHOICES), validators=[InputRequired()]
    )
    booking_id = SelectField(_l("Date"), coerce=int, validate_choice=False)


class SeriesCancelForm(_ScopeFields, ConfirmForm):
    reason = StringField(_l("Reason (optional)"), validators=[Optional(), Length(max=300)])


class SeriesChangeForm(_ScopeFields, GroupFields, FlaskForm):
    start_time = StringField(
        _l("Start time"),
        validators=[DataRequired(), Length(max=5)],
        render_kw={"autocomplete": "off", "inputmode": "numeric", "size": 8},
    )
    end_time = StringField(
        _l("End time"),
        validators=[DataRequired(), Length(max=5)],
        render_kw={"autocomplete": "off", "inputmode": "numeric", "size": 8},
    )
