"""Forms: freezing a snapshot, setting a target."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DecimalField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from hubs.forms import options
from hubs.learners.forms import MultiCheckboxField


class SnapshotForm(FlaskForm):
    title = StringField(
        _l("Title"),
        validators=[DataRequired(), Length(max=200)],
        description=_l('For example "Rapportage provincie 2022".'),
    )
    from_year = IntegerField(
        _l("First year"), validators=[InputRequired(), NumberRange(2000, 2100)]
    )
    to_year = IntegerField(_l("Last year"), validators=[InputRequired(), NumberRange(2000, 2100)])
    basis = RadioField(
        _l("Basis"),
        choices=options([("school", _l("school year")), ("calendar", _l("calendar year"))]),
        default="school",
    )
    count = RadioField(
        _l("Count"),
        choices=options([("participants", _l("participants")), ("enrolments", _l("enrolments"))]),
        default="participants",
    )
    all_programmes = BooleanField(_l("For a funder of every programme (such as the province)"))
    sources = MultiCheckboxField(
        _l("Or for the funders of these funding sources"), coerce=int, choices=[]
    )


class TargetForm(FlaskForm):
    programme_id = SelectField(_l("Programme"), coerce=int, choices=[])
    year = IntegerField(
        _l("School year (first year, e.g. 2022 for 2022/23)"),
        validators=[InputRequired(), NumberRange(2000, 2100)],
    )
    indicator = SelectField(_l("Indicator"), choices=[])
    value = DecimalField(_l("Target"), places=1, validators=[InputRequired(), NumberRange(min=0)])


class SurveyForm(FlaskForm):
    score = RadioField(
        _l("Your score (1 = very poor, 10 = excellent)"),
        choices=options([(str(n), str(n)) for n in range(1, 11)]),
        validators=[InputRequired(message=_l("Choose a score from 1 to 10."))],
    )
    comment = TextAreaField(
        _l("Comment (optional)"),
        validators=[Length(max=2000)],
        description=_l("Please do not write names or other personal details."),
    )
