"""The form that makes a feed link: which calendar to follow."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.validators import InputRequired


class FeedForm(FlaskForm):
    """``calendar`` is ``mine`` or ``<kind>:<id>`` (organisation, hub, resource)."""

    calendar = SelectField(
        _l("Calendar"),
        validators=[InputRequired(message=_l("Choose a calendar."))],
        validate_choice=True,
    )
