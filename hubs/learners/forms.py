"""HTML forms: programmes, funding sources, enrolment changes, imports, privacy requests."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from hubs.learners.models import EnrolmentStatus, LearnerCategory


class MultiCheckboxField(SelectMultipleField):
    """Checkboxes for a multiple choice (works without JavaScript)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def options(pairs: Iterable[tuple[Any, Any]]) -> list[SelectChoice]:
    """Select options from (value, label) pairs (WTForms 3.3 wants SelectChoice)."""
    return [SelectChoice(value, str(label)) for value, label in pairs]


def category_choices() -> list[SelectChoice]:
    return options((c.value, c.label) for c in LearnerCategory)


class ProgrammeForm(FlaskForm):
    hub_id = SelectField(_l("Hub"), coerce=int, validators=[InputRequired()])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    description = TextAreaField(_l("Description"), validators=[Length(max=2000)])
    categories = MultiCheckboxField(_l("Learners it serves"), validators=[DataRequired()])
    crebo = StringField(_l("Crebo code (MBO)"), validators=[Optional(), Length(min=5, max=5)])
    funding_source_ids = MultiCheckboxField(_l("Funded by"), coerce=int)
    records_pupil_names = BooleanField(_l("Keep names of pupils and students"))
    active = BooleanField(_l("Takes enrolments"), default=True)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.categories.choices = category_choices()


class FundingSourceForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])


class EnrolmentForm(FlaskForm):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.status.choices = status_choices()

    status = SelectField(_l("Status"), default="enrolled")
    starts_on = DateField(_l("Start date"), validators=[InputRequired()])
    ends_on = DateField(_l("End date"), validators=[InputRequired()])
    headcount = IntegerField(
        _l("Number of learners"), validators=[Optional(), NumberRange(min=1, max=500)]
    )
    note = TextAreaField(_l("Note"), validators=[Length(max=2000)])


class ImportForm(FlaskForm):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.kind.choices = kind_choices()

    programme_id = SelectField(_l("Programme"), coerce=int, validators=[InputRequired()])
    organisation_id = SelectField(_l("Organisation"), coerce=int, validators=[InputRequired()])
    kind = RadioField(
        _l("Kind of list"),
        default="group",
        validators=[InputRequired()],
    )
    school_year = SelectField(_l("School year"), coerce=int, validators=[InputRequired()])
    file = FileField(_l("File (CSV or Excel .xlsx)"), validators=[FileRequired()])


def kind_choices() -> list[SelectChoice]:
    return options(
        [
            ("group", _l("Group list: groups with the number of learners")),
            ("individual", _l("Individual list: one learner per row")),
        ]
    )


def status_choices() -> list[SelectChoice]:
    return options((s.value, s.label) for s in EnrolmentStatus)


class ConfirmForm(FlaskForm):
    """A button only (CSRF-protected)."""


class EraseForm(FlaskForm):
    confirm = BooleanField(
        _l("I have checked the request: erase this learner's personal data"),
        validators=[DataRequired()],
    )
