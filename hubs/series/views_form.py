"""The series in other pages: "repeat every week" on the booking form (with a preview of
every date before anything is booked), the series section of a booking's page and the
coordinator's requests, where a series is one request."""

from __future__ import annotations

from datetime import date, tzinfo
from typing import Any

from flask import flash, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from hubs.access import Principal, select_visible
from hubs.booking.clock import zone
from hubs.booking.day import DayPanel, register_panel
from hubs.booking.forms import ReasonForm, instants, references
from hubs.booking.models import Booking, BookingStatus
from hubs.booking.views import FormExtension, register_form_extension
from hubs.booking.views_bookings import register_detail_section
from hubs.errors import DomainError, InvalidInput
from hubs.extensions import db
from hubs.licences import checks as licence_checks
from hubs.locations.models import Hub
from hubs.series import queries, services
from hubs.series.errors import SeriesConflict
from hubs.series.forms import SeriesBookingForm
from hubs.series.models import BookingSeries
from hubs.web import apply_domain_error

# The service's names for the form's fields.
FORM_FIELDS = {"first_start": "start", "first_end": "end"}


def handle_repeat(form: SeriesBookingForm, hub: Hub, p: Principal, render: Any) -> Any:
    """A weekly booking: show every date first (free, taken, skipped); the preview's
    buttons book all or nothing, or the free dates only."""
    if form.repeat.data != "weekly":
        return None
    commit = request.form.get("commit", "")
    try:
        data = _series_input(form, zone(hub.timezone), skip_conflicts=commit == "free")
        if commit in ("all", "free"):
            series = services.book_series(data, p)
            flash(_booked_message(series), "success")
            return redirect(url_for("series.detail", series_id=series.id))
        plan = services.preview_series(data, p)
    except SeriesConflict as error:
        form.form_errors.append(str(error.message))
        return render(409, extension_top="series/_preview.html", plan=error.plan)
    except DomainError as error:
        show_error(form, error, FORM_FIELDS)
        return render(error.status)
    return render(200, extension_top="series/_preview.html", plan=plan)


def _series_input(form: SeriesBookingForm, tz: tzinfo, skip_conflicts: bool) -> Any:
    first: date = form.date.data
    if form.end_date.data and form.end_date.data != first:
        raise InvalidInput(_l("A lesson of a series ends on the day it starts."), field="end_date")
    form.end_date.data = None
    start, end = instants(form, tz)
    return services.SeriesInput(
        resource_ids=list(form.resource_ids.data or []),
        first_start=start,
        first_end=end,
        until=form.until.data,
        interval_weeks=form.interval_weeks.data,
        weekdays=list(form.weekdays.data or []) or None,
        group_name=form.group_name.data or "",
        group_size=form.group_size.data,
        learner_category=form.learner_category.data,
        level=form.level.data or None,
        purpose=form.purpose.data or "",
        notes=form.notes.data or "",
        organisation_id=form.organisation_id.data,
        programme_id=form.programme_id.data or None,
        derive_programme=form.programme_id.data is None,
        skip_conflicts=skip_conflicts,
        learner_references=references(form.learner_ids.data),
        supervised=bool(form.supervised.data),
    )


def show_error(form: Any, error: DomainError, names: dict[str, str]) -> None:
    """A service's error at the form's fields (``names``: service field → form field)."""
    fields = error.fields if isinstance(error, InvalidInput) else {error.field: [error.message]}
    for name, messages in fields.items():
        for message in messages:
            target = names.get(name or "", name)
            apply_domain_error(form, DomainError(message, field=target))


def _booked_message(series: BookingSeries) -> str:
    dates = [o for o in series.occurrences if o.booking_id is not None]
    requested = db.session.scalar(
        select(Booking.id)
        .where(
            Booking.id.in_([o.booking_id for o in dates]), Booking.status == BookingStatus.REQUESTED
        )
        .limit(1)
    )
    if requested is not None:
        return ngettext(
            "Your request for %(num)d date has been sent. The times are held for you until a "
            "coordinator decides.",
            "Your request for %(num)d dates has been sent. The times are held for you until a "
            "coordinator decides.",
            len(dates),
        )
    return ngettext(
        "%(num)d date booked. You will receive one e-mail with every date.",
        "%(num)d dates booked. You will receive one e-mail with every date.",
        len(dates),
    )


register_form_extension(
    FormExtension(SeriesBookingForm, "series/_repeat_fields.html", handle_repeat)
)


# --- a booking's page: the series it belongs to ----------------------------------------


def _booking_section(lead: Booking, p: Principal) -> tuple[str, dict[str, Any]] | None:
    occurrence = services.series_of(lead.id)
    if occurrence is None:
        return None
    return "series/_booking_section.html", {"series": occurrence.series, "occurrence": occurrence}


register_detail_section(_booking_section)


# --- the coordinator's day: a series request is one request ----------------------------


def _requests(p: Principal, hubs: list[Hub], today: date) -> dict[str, Any] | None:
    hub_ids = [h.id for h in hubs]
    singles = list(
        db.session.scalars(
            select_visible(Booking, p)
            .where(
                Booking.hub_id.in_(hub_ids),
                Booking.id == Booking.bundle_id,
                Booking.status == BookingStatus.REQUESTED,
                queries.not_in_a_series(),
            )
            .options(
                selectinload(Booking.members).selectinload(Booking.resource),
                selectinload(Booking.organisation),
            )
            .order_by(Booking.created_at, Booking.id)
            .limit(50)
        )
    )
    series = queries.pending(hub_ids, p)
    return {
        "requests": singles,
        "series": series,
        "supervised_series": queries.supervised([s.id for s, _n, _first in series]),
        "form": ReasonForm(),
        # Requests whose approval confirms the instructor's supervision (licensed machines).
        "supervised": licence_checks.supervised_among([b.id for b in singles]),
    }


register_panel(
    DayPanel(
        "requests", _l("Requests (oldest first)"), "series/_day_requests.html", _requests, order=20
    )
)
