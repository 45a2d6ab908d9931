"""Forms: invite a person; accept an invitation."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from hubs.accounts.forms import LANGUAGE_CHOICES, RoleTargetForm


class InvitationForm(RoleTargetForm):
    email = EmailField(
        _l("E-mail address"),
        validators=[DataRequired(), Email(), Length(max=254)],
        render_kw={"autocomplete": "off"},
    )
    name = StringField(_l("Name"), validators=[Optional(), Length(max=200)])
    role = SelectField(_l("Role"), choices=[], validators=[DataRequired()])
    organisation_id = SelectField(
        _l("Organisation"), choices=[], coerce=str, validators=[Optional()]
    )
    hub_id = SelectField(
        _l("Hub (for a coordinator)"), choices=[], coerce=str, validators=[Optional()]
    )
    is_org_admin = BooleanField(_l("Organisation admin: may invite and remove colleagues"))
    locale = SelectField(
        _l("Language of the invitation"), choices=LANGUAGE_CHOICES, validators=[DataRequired()]
    )


class AcceptForm(FlaskForm):
    name = StringField(
        _l("Your name"),
        validators=[DataRequired(), Length(max=200)],
        render_kw={"autocomplete": "name"},
    )
    password = PasswordField(
        _l("Choose a password"),
        validators=[DataRequired(), Length(max=1024)],
        render_kw={"autocomplete": "new-password"},
    )
    repeat = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The two passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )


class AcceptExistingForm(FlaskForm):
    """Someone who already has an account only confirms."""
