"""HTML forms of the booking pages (Flask-WTF: CSRF on, except for GET filters)."""

from __future__ import annotations

import re
from datetime import date, datetime, tzinfo
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from hubs.booking.clock import local_instant
from hubs.booking.models import BookingStatus, LearnerCategory, Level
from hubs.errors import InvalidInput
from hubs.forms import WEEKDAYS as DAY_NAMES
from hubs.forms import DateInput, options


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes (accessible and usable without JavaScript)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def category_choices() -> list[SelectChoice]:
    return options((c.value, c.label) for c in LearnerCategory)


def level_choices() -> list[SelectChoice]:
    return options([("", _l("none (employees, other)")), *((lv.value, lv.label) for lv in Level)])


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


class _WhenFields:
    date = DateInput(_l("Date"), validators=[InputRequired()])
    start = StringField(
        _l("Start time"),
        validators=[DataRequired(), Length(max=12)],
        render_kw={"autocomplete": "off", "inputmode": "numeric", "size": 8},
    )
    end = StringField(
        _l("End time"),
        validators=[DataRequired(), Length(max=12)],
        render_kw={"autocomplete": "off", "inputmode": "numeric", "size": 8},
    )
    end_date = DateInput(_l("Until date (only if it ends on another day)"), validators=[Optional()])


class _GroupFields:
    group_name = StringField(_l("Name of the group"), validators=[DataRequired(), Length(max=60)])
    group_size = IntegerField(
        _l("Number of people"), validators=[InputRequired(), NumberRange(min=1, max=1000)]
    )
    learner_category = SelectField(_l("Who is learning"), choices=category_choices)
    level = SelectField(_l("Level"), choices=level_choices, validate_choice=True)
    purpose = StringField(_l("Purpose"), validators=[Optional(), Length(max=200)])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=2000)])


NO_PROGRAMME = "none"


def _programme_choice(value: Any) -> int | None:
    """Empty: not chosen (None); ``none``: part of no programme (0); else a programme id.
    Anything else is a field error (WTForms reports a coerce failure at the field)."""
    if value in (None, ""):
        return None
    if value == NO_PROGRAMME:
        return 0
    return int(value)


class _ProgrammeField:
    # Choices: the hub's programmes (set by the view); the service checks the choice.
    programme_id = SelectField(_l("Programme"), coerce=_programme_choice, validate_choice=False)


class _ResourceFields:
    """The rooms and machines, and for licensed machines who uses them."""

    resource_ids = MultiCheckboxField(_l("Rooms and machines"), coerce=int, validate_choice=False)
    # Machines that need a licence: who uses them (the organisation's numbers), or, for a
    # school class, the hub's instructor supervises.
    learner_ids = StringField(
        _l("Who will use the machines"),
        validators=[Optional(), Length(max=2000)],
        render_kw={"autocomplete": "off"},
    )
    supervised = BooleanField(_l("A school class: the hub's instructor supervises the machines"))


class BookingForm(_WhenFields, _GroupFields, _ProgrammeField, _ResourceFields, FlaskForm):
    organisation_id = SelectField(_l("Organisation"), coerce=_int_or_none, validate_choice=False)


def references(text: str | None) -> list[str]:
    """The numbers typed in a text field, separated by commas, semicolons or spaces."""
    return [part for part in re.split(r"[,;\s]+", text or "") if part]


class ChangeForm(_WhenFields, _GroupFields, _ProgrammeField, _ResourceFields, FlaskForm):
    pass


def instants(form: Any, tz: tzinfo) -> tuple[datetime, datetime]:
    """The form's dates and local times as UTC instants (DST-aware; see clock)."""
    day: date = form.date.data
    end_day: date = form.end_date.data or day
    errors: dict[str, list[Any]] = {}
    values: dict[str, datetime] = {}
    for name, on in (("start", day), ("end", end_day)):
        try:
            values[name] = local_instant(on, getattr(form, name).data or "", tz, name)
        except InvalidInput as exc:
            errors.update(exc.fields)
    if errors:
        raise InvalidInput(fields=errors)
    return values["start"], values["end"]


class ReasonForm(FlaskForm):
    reason = StringField(_l("Reason (optional)"), validators=[Optional(), Length(max=300)])


class HubClosureForm(FlaskForm):
    first_day = DateInput(_l("First day"), validators=[InputRequired()])
    last_day = DateInput(_l("Last day"), validators=[InputRequired()])
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=200)])


class MaintenanceForm(FlaskForm):
    resource_id = SelectField(_l("Room or machine"), coerce=int, validate_choice=False)
    start_day = DateInput(_l("From (date)"), validators=[InputRequired()])
    start_time = TimeField(_l("From (time)"), validators=[InputRequired()])
    end_day = DateInput(_l("Until (date)"), validators=[InputRequired()])
    end_time = TimeField(_l("Until (time)"), validators=[InputRequired()])
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=200)])


class ImportForm(FlaskForm):
    file = FileField(_l("Calendar file (.ics)"), validators=[FileRequired()])


class ResolveForm(FlaskForm):
    booking_ids = MultiCheckboxField(_l("Bookings"), coerce=int, validate_choice=False)
    action = RadioField(
        _l("What to do"),
        choices=options(
            [
                ("cancel", _l("Cancel them and e-mail the bookers a link to rebook")),
                ("keep", _l("Keep them deliberately")),
            ]
        ),
        validators=[InputRequired()],
    )
    reason = StringField(_l("Message to the bookers"), validators=[Optional(), Length(max=300)])


class SettingsForm(FlaskForm):
    uses_slots = BooleanField(_l("Bookings follow the named periods below"))
    approval_required = BooleanField(_l("Every booking needs a coordinator's approval"))
    approval_resource_ids = MultiCheckboxField(
        _l("Rooms and machines that need approval"), coerce=int, validate_choice=False
    )
    cancel_deadline_hours = IntegerField(
        _l("Bookers can cancel until this many hours before the start"),
        validators=[InputRequired(), NumberRange(min=0, max=720)],
    )
    request_expiry_hours = IntegerField(
        _l("A request expires after this many hours without a decision"),
        validators=[InputRequired(), NumberRange(min=1, max=720)],
    )
    close_on_school_holidays = BooleanField(_l("Closed during the school holidays"))
    holiday_region = SelectField(
        _l("School holiday region"),
        choices=options([("noord", _l("north")), ("midden", _l("middle")), ("zuid", _l("south"))]),
    )


WEEKDAYS = list(enumerate(DAY_NAMES))


class SlotForm(FlaskForm):
    weekdays = MultiCheckboxField(
        _l("Days"), coerce=int, choices=options(WEEKDAYS), validators=[DataRequired()]
    )
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=60)])
    starts_at = TimeField(_l("Start time"), validators=[InputRequired()])
    ends_at = TimeField(_l("End time"), validators=[InputRequired()])


class FilterForm(FlaskForm):
    """The booking list's filters (GET, no CSRF)."""

    class Meta:
        csrf = False

    when = SelectField(
        _l("When"),
        choices=options([("upcoming", _l("upcoming")), ("past", _l("past")), ("all", _l("all"))]),
        default="upcoming",
    )
    hub_id = SelectField(_l("Hub"), coerce=_int_or_none, validate_choice=False)
    resource_id = SelectField(_l("Room or machine"), coerce=_int_or_none, validate_choice=False)
    organisation_id = SelectField(_l("Organisation"), coerce=_int_or_none, validate_choice=False)
    status = SelectField(
        _l("Status"),
        choices=options([("", _l("all"))] + [(s.value, s.label) for s in BookingStatus]),
        validate_choice=False,
    )
    from_day = DateInput(_l("From"), validators=[Optional()])
    until_day = DateInput(_l("Until"), validators=[Optional()])


class FreeSearchForm(FlaskForm):
    """ "Which laser cutter is free Thursday afternoon?" (GET, no CSRF)."""

    class Meta:
        csrf = False

    q = StringField(_l("What"), validators=[Optional(), Length(max=60)])
    kind = SelectField(
        _l("Kind"),
        choices=options(
            [
                ("", _l("all")),
                ("machine", _l("machine")),
                ("room", _l("room")),
                ("workspace", _l("workspace")),
            ]
        ),
        validate_choice=False,
    )
    day = DateInput(_l("Day"), validators=[Optional()])
    part = SelectField(
        _l("Part of the day"),
        choices=options(
            [
                ("morning", _l("morning (08:00–12:30)")),
                ("afternoon", _l("afternoon (12:30–17:30)")),
                ("evening", _l("evening (17:30–22:00)")),
                ("day", _l("whole day")),
            ]
        ),
        default="afternoon",
        validate_choice=False,
    )
