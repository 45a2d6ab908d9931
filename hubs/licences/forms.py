"""HTML forms of the licence pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from hubs.forms import DateInput


class IssueForm(FlaskForm):
    learner_id = HiddenField(validators=[InputRequired()])
    kind = StringField(
        _l("Licence type"),
        validators=[DataRequired(), Length(max=40)],
        render_kw={"autocomplete": "off", "list": "licence-kinds"},
    )
    issued_on = DateInput(_l("Issued on"), validators=[InputRequired()])
    expires_on = DateInput(_l("Valid until (optional)"), validators=[Optional()])
