"""Forms: scheduling a course (coordinators), enrolling and substituting staff (HR)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DecimalField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from hubs.forms import DateInput

SESSION_ROWS = 3  # sessions on the form; a course with more dates is scheduled twice


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class CourseForm(FlaskForm):
    hub_id = SelectField(_l("Hub"), coerce=int, validators=[InputRequired()])
    organisation_id = SelectField(
        _l("Given by (member organisation)"), coerce=int, validators=[InputRequired()]
    )
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=120)])
    description = TextAreaField(_l("Description"), validators=[Length(max=4000)])
    level = StringField(_l("Level"), validators=[Length(max=40)])
    resource_ids = CheckboxesField(_l("Rooms and machines"), coerce=int, validate_choice=False)
    session1_date = DateInput(_l("Date of session 1"), validators=[InputRequired()])
    session1_start = TimeField(_l("Start of session 1"), validators=[InputRequired()])
    session1_end = TimeField(_l("End of session 1"), validators=[InputRequired()])
    session2_date = DateInput(_l("Date of session 2"), validators=[Optional()])
    session2_start = TimeField(_l("Start of session 2"), validators=[Optional()])
    session2_end = TimeField(_l("End of session 2"), validators=[Optional()])
    session3_date = DateInput(_l("Date of session 3"), validators=[Optional()])
    session3_start = TimeField(_l("Start of session 3"), validators=[Optional()])
    session3_end = TimeField(_l("End of session 3"), validators=[Optional()])
    seats = IntegerField(_l("Seats"), validators=[InputRequired(), NumberRange(min=1, max=500)])
    min_participants = IntegerField(
        _l("Minimum participants"), default=0, validators=[Optional(), NumberRange(min=0)]
    )
    decision_on = DateInput(_l("Decision date"), validators=[Optional()])
    enrol_deadline = DateInput(_l("Enrolment deadline"), validators=[InputRequired()])
    price = DecimalField(
        _l("Price per seat (euro)"),
        places=2,
        default=0,
        validators=[Optional(), NumberRange(min=0)],
    )
    grants_licence_kind = StringField(
        _l("Licence granted on completion"), validators=[Optional(), Length(max=40)]
    )
    licence_valid_months = IntegerField(
        _l("Licence valid for (months)"), validators=[Optional(), NumberRange(min=1, max=240)]
    )
    audience = RadioField(_l("Who may enrol"), validators=[InputRequired()], default="companies")


class EnrolForm(FlaskForm):
    learner_ids = CheckboxesField(_l("Employees"), coerce=int, validate_choice=False)


class SubstituteForm(FlaskForm):
    learner_id = SelectField(_l("Substitute"), coerce=int, validators=[InputRequired()])


class CancelCourseForm(FlaskForm):
    reason = StringField(_l("Reason (sent to the companies)"), validators=[Length(max=300)])
