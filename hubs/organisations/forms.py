"""Forms for organisations and memberships."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from hubs.forms import DateInput, options
from hubs.organisations.models import HolidayRegion, OrganisationKind


class OrganisationForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=[], validators=[DataRequired()])
    brin = StringField(_l("BRIN number"), validators=[Optional(), Length(max=8)])
    brin_branch = StringField(_l("Branch number"), validators=[Optional(), Length(max=4)])
    kvk = StringField(_l("KvK number"), validators=[Optional(), Length(max=12)])
    town = StringField(_l("Town"), validators=[Optional(), Length(max=120)])
    holiday_region = SelectField(_l("School holiday region"), choices=[], validators=[Optional()])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = options([(k.value, k.label) for k in OrganisationKind])
        self.holiday_region.choices = options(
            [("", _l("not a school"))] + [(r.value, r.value) for r in HolidayRegion]
        )

    def values(self) -> dict[str, Any]:
        return {
            "name": self.name.data,
            "kind": self.kind.data,
            "brin": self.brin.data,
            "brin_branch": self.brin_branch.data,
            "kvk": self.kvk.data,
            "town": self.town.data,
            "holiday_region": self.holiday_region.data or None,
        }


class NewOrganisationForm(OrganisationForm):
    """A new organisation; coordinators make it a member of one of their hubs at once."""

    hub_id = SelectField(_l("Member of hub"), choices=[], coerce=str, validators=[Optional()])
    member_since = DateInput(_l("Member since"), validators=[Optional()])


class MembershipForm(FlaskForm):
    starts_on = DateInput(_l("Member from"), validators=[InputRequired()])
    ends_on = DateInput(_l("Member until"), validators=[Optional()])


class NewMembershipForm(MembershipForm):
    hub_id = SelectField(_l("Hub"), choices=[], coerce=int, validators=[InputRequired()])


class AddMemberForm(FlaskForm):
    """Make an existing organisation a member, found by its BRIN or KvK number."""

    identifier = StringField(_l("BRIN or KvK number"), validators=[DataRequired(), Length(max=20)])
    starts_on = DateInput(_l("Member from"), validators=[InputRequired()])
