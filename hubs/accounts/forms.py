"""Forms for signing in, recovering access, the profile, API tokens and role grants."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from hubs.accounts.models import Role
from hubs.forms import DateInput, options

LANGUAGE_CHOICES = options([("nl", "Nederlands"), ("en", "English")])


class LoginForm(FlaskForm):
    email = EmailField(
        _l("E-mail address"),
        validators=[DataRequired(), Email(), Length(max=254)],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), Length(max=1024)],
        render_kw={"autocomplete": "current-password"},
    )


class ForgotPasswordForm(FlaskForm):
    email = EmailField(
        _l("E-mail address"),
        validators=[DataRequired(), Email(), Length(max=254)],
        render_kw={"autocomplete": "username"},
    )


def _new_password(label: Any) -> PasswordField:
    return PasswordField(
        label,
        validators=[DataRequired(), Length(max=1024)],
        render_kw={"autocomplete": "new-password"},
    )


def _repeat(other: str) -> PasswordField:
    return PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo(other, message=_l("The two passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )


class ResetPasswordForm(FlaskForm):
    password = _new_password(_l("New password"))
    repeat = _repeat("password")


class ProfileForm(FlaskForm):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(), Length(max=200)],
        render_kw={"autocomplete": "name"},
    )
    locale = SelectField(_l("Language"), choices=LANGUAGE_CHOICES, validators=[DataRequired()])


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(), Length(max=1024)],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = _new_password(_l("New password"))
    repeat = _repeat("new_password")


class CheckboxesField(SelectMultipleField):
    """A group of checkboxes (rendered as a list)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class NotificationsForm(FlaskForm):
    receive = CheckboxesField(_l("Send me mail about"), choices=[], validators=[Optional()])


class TokenForm(FlaskForm):
    name = StringField(
        _l("Name"), validators=[DataRequired(), Length(max=100)], render_kw={"autocomplete": "off"}
    )
    expires_on = DateInput(_l("Valid until"), validators=[InputRequired()])


class RoleTargetForm(FlaskForm):
    """A role and where it applies (shared by giving a role and by inviting)."""

    def fill_choices(self, roles: list[Any], organisations: list[Any], hubs: list[Any]) -> None:
        self.role.choices = options([(r.value, r.label) for r in roles])
        self.organisation_id.choices = options(
            [("", "—")] + [(str(o.id), o.name) for o in organisations]
        )
        self.hub_id.choices = options([("", "—")] + [(str(h.id), h.name) for h in hubs])

    def target(self) -> tuple[Role, int | None, int | None]:
        """The chosen role, organisation id and hub id."""
        org = self.organisation_id.data
        hub = self.hub_id.data
        return Role(self.role.data), int(org) if org else None, int(hub) if hub else None


class GrantForm(RoleTargetForm):
    role = SelectField(_l("Role"), choices=[], validators=[DataRequired()])
    organisation_id = SelectField(
        _l("Organisation (for a booker)"), choices=[], coerce=str, validators=[Optional()]
    )
    hub_id = SelectField(
        _l("Hub (for a coordinator)"), choices=[], coerce=str, validators=[Optional()]
    )
    is_org_admin = BooleanField(_l("Organisation admin: may invite and remove colleagues"))
