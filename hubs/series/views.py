"""Series pages: a series and its dates, changing and cancelling coming dates, deciding
on a series request, the list of series. The booking form's "repeat every week" (with
its preview) lives in ``views_form``; both register on ``bp``."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import login_required
from werkzeug.wrappers import Response

from hubs.access import current_principal, get_or_404, require
from hubs.booking.forms import ReasonForm
from hubs.booking.views_bookings import register_list_link
from hubs.errors import DomainError
from hubs.extensions import db
from hubs.forms import options
from hubs.i18n import format_day, format_hhmm
from hubs.series import queries, services
from hubs.series.forms import SeriesCancelForm
from hubs.series.models import BookingSeries
from hubs.web import page_args, safe_next

bp = Blueprint("series", __name__, template_folder="templates")

register_list_link(_l("Weekly series"), "series.index")


def _may_view() -> Any:
    p = current_principal()
    require(p.is_staff or p.is_booker)
    return p


@bp.get("/series")
@login_required
def index() -> str:
    """The series the user may see, the latest last date first."""
    p = _may_view()
    page, per_page = page_args()
    result = db.paginate(queries.list_statement(p), page=page, per_page=per_page, error_out=False)
    return render_template("series/list.html", page=result)


@bp.get("/series/<int:series_id>")
@login_required
def detail(series_id: int) -> str:
    """A series: its rule, every date with what became of it, and what one may do."""
    p = _may_view()
    series = get_or_404(BookingSeries, series_id)
    items = queries.rows(series)
    coming = queries.coming(items)
    may_change = bool(coming) and (
        p.coordinates(series.hub_id) or p.books_for(series.organisation_id)
    )
    involved = p.coordinates(series.hub_id) or p.books_for(series.organisation_id)
    cancel_form = SeriesCancelForm(formdata=None, scope="following")
    cancel_form.booking_id.choices = _date_choices(coming)
    return render_template(
        "series/detail.html",
        series=series,
        resources=queries.resource_names(series),
        dates=items,
        counts=queries.state_counts(items),
        coming=coming,
        may_change=may_change,
        licence_people=queries.licence_holders(series) if involved else [],
        supervised=involved and series.id in queries.supervised([series.id]),
        may_decide=p.coordinates(series.hub_id) and any(r.state == "requested" for r in coming),
        cancel_form=cancel_form,
        reason_form=ReasonForm(formdata=None),
        p=p,
    )


def _date_choices(coming: list[queries.Row]) -> list[Any]:
    return options(
        (r.occurrence.booking_id, f"{format_day(r.start)} {format_hhmm(r.start)}")
        for r in coming
        if r.start is not None
    )


@bp.post("/series/<int:series_id>/cancel")
@login_required
def cancel(series_id: int) -> Response:
    """Cancel one coming date, this date and the following, or all coming dates."""
    p = _may_view()
    series = get_or_404(BookingSeries, series_id)
    require(p.coordinates(series.hub_id) or p.books_for(series.organisation_id))
    form = SeriesCancelForm()
    form.booking_id.choices = _date_choices(queries.coming(queries.rows(series)))
    if not form.validate():
        abort(400)
    try:
        selection = services.cancel_series(
            series.id, form.scope.data or "", form.booking_id.data, p, form.reason.data or ""
        )
    except DomainError as error:
        flash(str(error.message), "error")
    else:
        flash(_cancelled_message(selection), "success")
    return redirect(url_for("series.detail", series_id=series.id))


def _cancelled_message(selection: services.Selection) -> str:
    text = ngettext(
        "%(num)d date cancelled. The time is free again.",
        "%(num)d dates cancelled. The time is free again.",
        len(selection.changed),
    )
    if selection.kept:
        text += " " + ngettext(
            "%(num)d date could not be cancelled any more: please contact the hub.",
            "%(num)d dates could not be cancelled any more: please contact the hub.",
            len(selection.kept),
        )
    return text


@bp.post("/series/<int:series_id>/approve")
@login_required
def approve(series_id: int) -> Response:
    return _decide(series_id, services.approve_series, _("The series has been approved."))


@bp.post("/series/<int:series_id>/reject")
@login_required
def reject(series_id: int) -> Response:
    return _decide(series_id, services.reject_series, _("The series has been rejected."))


def _decide(series_id: int, action: Any, done: str) -> Response:
    p = _may_view()
    series = get_or_404(BookingSeries, series_id)
    require(p.coordinates(series.hub_id))
    form = ReasonForm()
    if not form.validate():
        abort(400)
    try:
        action(series.id, p, form.reason.data or "")
    except DomainError as error:
        flash(str(error.message), "error")
    else:
        flash(done, "success")
    target = safe_next(request.form.get("next"))
    return redirect(target or url_for("series.detail", series_id=series.id))


from hubs.series import views_change, views_form  # noqa: E402, F401  (routes and hooks on bp)
