"""Forms: scheduling a course (coordinators), enrolling and substituting staff (HR)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DecimalField,
    HiddenField,
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

SESSION_ROWS = 3  # session rows on a fresh form
MORE_ROWS = 3  # rows the "more sessions" button adds
MAX_SESSIONS = 40  # rows at most (a school year of weekly sessions fits)


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
    session_rows = HiddenField()


def course_form(rows: int) -> CourseForm:
    """A course form with ``rows`` session rows (``sessionN_date``, ``_start``, ``_end``;
    the first required), clamped to 1..MAX_SESSIONS."""
    rows = max(1, min(rows, MAX_SESSIONS))

    class SizedCourseForm(CourseForm):
        pass

    for n in range(1, rows + 1):
        need = InputRequired() if n == 1 else Optional()
        setattr(
            SizedCourseForm,
            f"session{n}_date",
            DateInput(_l("Date of session %(n)d", n=n), validators=[need]),
        )
        setattr(
            SizedCourseForm,
            f"session{n}_start",
            TimeField(_l("Start of session %(n)d", n=n), validators=[need]),
        )
        setattr(
            SizedCourseForm,
            f"session{n}_end",
            TimeField(_l("End of session %(n)d", n=n), validators=[need]),
        )
    form = SizedCourseForm()
    form.session_rows.data = rows
    return form


class EnrolForm(FlaskForm):
    learner_ids = CheckboxesField(_l("Employees"), coerce=int, validate_choice=False)


class SubstituteForm(FlaskForm):
    learner_id = SelectField(_l("Substitute"), coerce=int, validators=[InputRequired()])


class CancelCourseForm(FlaskForm):
    reason = StringField(_l("Reason (sent to the companies)"), validators=[Length(max=300)])
