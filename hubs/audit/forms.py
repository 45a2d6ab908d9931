"""The security log's filter form (GET, no CSRF: it changes nothing)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField
from wtforms.validators import NumberRange, Optional

from hubs.forms import DateInput


class EventFilterForm(FlaskForm):
    class Meta:
        csrf = False

    event = SelectField(_l("Event"), choices=[], validators=[Optional()])
    user_id = IntegerField(_l("User number"), validators=[Optional(), NumberRange(min=1)])
    since = DateInput(_l("From"), validators=[Optional()])
    until = DateInput(_l("Until"), validators=[Optional()])
