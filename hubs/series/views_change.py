"""Changing a series: new times and/or group details for one date, this date and the
following, or all coming dates."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import ngettext
from flask_login import login_required

from hubs.access import current_principal, get_or_404, require
from hubs.booking.clock import parse_time
from hubs.errors import DomainError, InvalidInput
from hubs.series import queries, services
from hubs.series.errors import SeriesChangeRefused
from hubs.series.forms import SeriesChangeForm
from hubs.series.models import BookingSeries
from hubs.series.views import _date_choices, bp
from hubs.series.views_form import show_error


@bp.route("/series/<int:series_id>/change", methods=["GET", "POST"])
@login_required
def change(series_id: int) -> Any:
    """New local times (kept on each date's own day, through clock changes) and/or group
    details; every moved date is checked like a new booking."""
    p = current_principal()
    series = get_or_404(BookingSeries, series_id)
    require(p.coordinates(series.hub_id) or p.books_for(series.organisation_id))
    coming = queries.coming(queries.rows(series))
    form = SeriesChangeForm(obj=None if request.method == "POST" else _defaults(series, coming))
    form.booking_id.choices = _date_choices(coming)
    status, refused = 200, None
    if form.validate_on_submit():
        try:
            selection = services.change_series(
                series.id, form.scope.data or "", form.booking_id.data, _change(form), p
            )
        except SeriesChangeRefused as error:
            form.form_errors.append(str(error.message))
            status, refused = 409, error.plan
        except DomainError as error:
            show_error(form, error, {})
            status = error.status
        else:
            flash(_changed_message(selection), "success")
            shown = selection.series_id or series.id  # the part that changed, if split
            return redirect(url_for("series.detail", series_id=shown))
    elif form.is_submitted():
        status = 422
    return render_template(
        "series/change.html", form=form, series=series, coming=coming, refused=refused
    ), status


def _defaults(series: BookingSeries, coming: list[queries.Row]) -> Any:
    from types import SimpleNamespace

    return SimpleNamespace(
        scope="following",
        booking_id=coming[0].occurrence.booking_id if coming else None,
        start_time=series.start_time.strftime("%H:%M"),
        end_time=series.end_time.strftime("%H:%M"),
        group_name=series.group_name,
        group_size=series.group_size,
        learner_category=series.learner_category.value,
        level=series.level.value if series.level else "",
        purpose=series.purpose,
        notes="",
    )


def _change(form: SeriesChangeForm) -> services.SeriesChange:
    times = {}
    for name in ("start_time", "end_time"):
        clock, offset = parse_time(getattr(form, name).data or "", name)
        if offset is not None:
            raise InvalidInput("", field=name)
        times[name] = clock
    return services.SeriesChange(
        start_time=times["start_time"],
        end_time=times["end_time"],
        group_name=form.group_name.data or "",
        group_size=form.group_size.data,
        learner_category=form.learner_category.data,
        level=form.level.data or None,
        clear_level=not form.level.data,
        purpose=form.purpose.data or "",
        notes=form.notes.data or None,
    )


def _changed_message(selection: services.Selection) -> str:
    text = ngettext("%(num)d date changed.", "%(num)d dates changed.", len(selection.changed))
    if selection.kept:
        text += " " + ngettext(
            "%(num)d date could not be changed any more: please contact the hub.",
            "%(num)d dates could not be changed any more: please contact the hub.",
            len(selection.kept),
        )
    return text
