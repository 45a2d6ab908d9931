"""The register's form: one per visit, a number or a tick per person, and quick buttons."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectMultipleField
from wtforms.validators import NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

# The buttons of a register entry: save what was typed or ticked, everyone, nobody.
ACTIONS = ("save", "all", "none")


class PeopleField(SelectMultipleField):
    """Checkboxes, one per expected person (large touch targets come from the CSS)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class AttendanceForm(FlaskForm):
    present = IntegerField(
        _l("Number present"),
        validators=[Optional(), NumberRange(min=0, max=1000)],
        render_kw={"inputmode": "numeric", "min": 0},
    )
    learner_ids = PeopleField(_l("Who came?"), coerce=int, validate_choice=False)
    next = HiddenField()
