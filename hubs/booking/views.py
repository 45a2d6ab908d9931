"""Booking pages: the week view, "free anywhere" and the booking form.

One booking and the lists live in ``views_bookings``, closures and settings in
``views_admin``, the coordinator's day in ``views_day``; all register on ``bp``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from sqlalchemy import select

from hubs import nav
from hubs.access import Principal, current_principal, get_or_404, require
from hubs.booking import availability, calendar, programmes, queries, services
from hubs.booking.clock import local_date, monday_of, zone
from hubs.booking.errors import SlotTaken
from hubs.booking.forms import (
    NO_PROGRAMME,
    WEEKDAYS,
    BookingForm,
    FreeSearchForm,
    instants,
    options,
    references,
)
from hubs.booking.models import Booking
from hubs.db import utcnow
from hubs.errors import DomainError, InvalidInput
from hubs.extensions import db
from hubs.locations.models import Hub
from hubs.web import apply_domain_error

bp = Blueprint("booking", __name__, template_folder="templates")

# Two sections of one blueprint: pages say which is theirs ({% set nav_section = ... %}).
nav.register(
    _l("Calendar"),
    "booking.calendar_home",
    lambda p: p.is_staff or p.is_booker,
    order=10,
    section="booking-calendar",
)
nav.register(
    _l("Bookings"),
    "booking.index",
    lambda p: p.is_staff or p.is_booker,
    order=11,
    section="booking-list",
)


def _may_view_calendar(p: Principal) -> None:
    require(p.is_staff or p.is_booker)


def _today(hub: Hub | None = None) -> date:
    return local_date(utcnow(), zone(hub.timezone if hub else None))


# --- calendar --------------------------------------------------------------------------


@bp.get("/agenda")
@login_required
def calendar_home() -> str:
    """The week view of the user's own hub (the first they run or are a member of)."""
    p = current_principal()
    _may_view_calendar(p)
    hub_id = queries.home_hub_id(p)
    if hub_id is None:
        abort(404)
    return _week_page(get_or_404(Hub, hub_id), p)


@bp.get("/hubs/<int:hub_id>/week")
@login_required
def week(hub_id: int) -> str:
    """Resources as rows, opening days as columns; free cells link to the booking form."""
    p = current_principal()
    _may_view_calendar(p)
    return _week_page(get_or_404(Hub, hub_id), p)


def _week_page(hub: Hub, p: Principal) -> str:
    chosen = _date_arg("date")
    monday = monday_of(chosen or _today(hub))
    view = availability.week_view(hub, monday, p)
    if chosen is None and (not view.days or view.days[-1].day < _today(hub)):
        # At the weekend the coming week is what people plan.
        monday += timedelta(days=7)
        view = availability.week_view(hub, monday, p)
    return render_template(
        "booking/week.html",
        week=view,
        hub=hub,
        prev_monday=monday - timedelta(days=7),
        next_monday=monday + timedelta(days=7),
        today=_today(hub),
        hubs=db.session.scalars(select(Hub).order_by(Hub.name).limit(20)).all(),
        can_book=bool(queries.bookable_organisations(p, hub.id)),
        state_text=availability.state_text,
        p=p,
    )


def _date_arg(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


PARTS = {
    "morning": (time(8), time(12, 30)),
    "afternoon": (time(12, 30), time(17, 30)),
    "evening": (time(17, 30), time(22)),
    "day": (time(0), time(23, 59)),
}


@bp.get("/free")
@login_required
def free() -> str:
    """Free anywhere: which laser cutter is free on Thursday afternoon, at any hub."""
    p = current_principal()
    _may_view_calendar(p)
    form = FreeSearchForm(request.args)
    results = None
    if request.args and form.validate():
        day = form.day.data or _today()
        start, end = PARTS.get(form.part.data or "afternoon", PARTS["afternoon"])
        results = availability.free_anywhere(p, form.q.data or "", form.kind.data, day, start, end)
        form.day.data = day
    return render_template("booking/free.html", form=form, results=results)


# --- book ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FormExtension:
    """Another feature's part of the booking form (the weekly series: "repeat every week").

    ``form_class`` is BookingForm plus that feature's fields and ``template`` renders them
    inside the form. ``handle(form, hub, principal, render)`` may answer a valid POST
    instead of booking once (``render(status, **context)`` shows the form page again with
    more context), or return None to book once as usual.
    """

    form_class: type[BookingForm]
    template: str
    handle: Callable[[Any, Hub, Principal, Callable[..., Any]], Any]


_extension: list[FormExtension] = []


def register_form_extension(extension: FormExtension) -> None:
    """Set the booking form's extension (one at most; registering again replaces it)."""
    _extension[:] = [extension]


@bp.route("/hubs/<int:hub_id>/book", methods=["GET", "POST"])
@login_required
def new(hub_id: int) -> Any:
    """The booking form: one resource or a bundle, a time, the group."""
    p = current_principal()
    hub = get_or_404(Hub, hub_id)
    organisations = queries.bookable_organisations(p, hub.id)
    require(bool(organisations))
    extension = _extension[0] if _extension else None
    form = extension.form_class() if extension else BookingForm()
    resources = queries.hub_resources(hub.id)
    form.resource_ids.choices = options((r.id, r.name) for r in resources)
    choices: list[tuple[Any, str]] = [(o.id, o.name) for o in organisations]
    if len(choices) > 1:
        choices.insert(0, ("", _("Choose the organisation")))
    form.organisation_id.choices = options(choices)
    form.programme_id.choices = programme_choices(
        hub.id, _("Automatic"), none=_("Not part of a programme")
    )
    if request.method == "GET":
        _prefill(form, hub, organisations)

    def render(status: int, **extra: Any) -> Any:
        return _form_page(form, hub, resources, status, extension, **extra)

    status = 200
    if form.validate_on_submit():
        answer = extension.handle(form, hub, p, render) if extension else None
        if answer is not None:
            return answer
        try:
            start, end = instants(form, zone(hub.timezone))
            lead = services.book(_input(form, start, end), p)
        except DomainError as error:
            _show_error(form, error)
            status = 409 if isinstance(error, SlotTaken) else error.status
        else:
            flash(_booked_message(lead), "success")
            return redirect(url_for("booking.detail", booking_id=lead.id))
    elif form.is_submitted():
        status = 422
    return render(status)


def _form_page(
    form: BookingForm,
    hub: Hub,
    resources: list[Any],
    status: int,
    extension: FormExtension | None,
    **extra: Any,
) -> Any:
    settings = calendar.hub_settings(hub.id)
    return (
        render_template(
            "booking/new.html",
            form=form,
            hub=hub,
            resources=resources,
            settings=settings,
            slots=calendar.slots_by_weekday(hub.id) if settings.uses_slots else {},
            weekday_names=dict(WEEKDAYS),
            extension_template=extension.template if extension else None,
            **extra,
        ),
        status,
    )


def _prefill(form: BookingForm, hub: Hub, organisations: list[Any]) -> None:
    args = request.args
    try:
        form.resource_ids.data = [int(args["resource_id"])] if "resource_id" in args else []
    except ValueError:
        form.resource_ids.data = []
    form.date.data = _date_arg("date") or _today(hub)
    form.start.data = args.get("start", "")[:12]
    form.end.data = args.get("end", "")[:12]
    form.end_date.data = _date_arg("end_date")
    only = form.organisation_id.choices or []
    if len(only) == 1:
        form.organisation_id.data = only[0].value  # type: ignore[index]
    form.learner_category.data = _likely_category(organisations if len(only) == 1 else [])


def _likely_category(organisations: list[Any]) -> str:
    """Who usually learns for this organisation: pupils, students or employees."""
    kind = organisations[0].kind.value if organisations else ""
    return {"company": "employee", "mbo_college": "mbo", "other": "other"}.get(kind, "vo")


def _input(form: BookingForm, start: datetime, end: datetime) -> services.BookingInput:
    return services.BookingInput(
        resource_ids=list(form.resource_ids.data or []),
        start=start,
        end=end,
        group_name=form.group_name.data or "",
        group_size=form.group_size.data,
        learner_category=form.learner_category.data,
        level=form.level.data or None,
        purpose=form.purpose.data or "",
        notes=form.notes.data or "",
        organisation_id=form.organisation_id.data,
        learner_references=references(form.learner_ids.data),
        supervised=bool(form.supervised.data),
        programme_id=form.programme_id.data or None,
        derive_programme=form.programme_id.data is None,
    )


def programme_choices(
    hub_id: int, empty: str, keep: Any = None, none: str | None = None
) -> list[Any]:
    """The hub's active programmes for a select (and ``keep``, the current one); ``none``
    labels an explicit "no programme" choice where empty means "automatic"."""
    found = programmes.hub_programmes(hub_id)
    if keep is not None and all(p.id != keep.id for p in found):
        found.append(keep)
    explicit = [(NO_PROGRAMME, none)] if none else []
    return options([("", empty), *explicit, *((p.id, p.name) for p in found)])


def _show_error(form: Any, error: DomainError) -> None:
    if isinstance(error, InvalidInput):
        for field_name, messages in error.fields.items():
            for message in messages:
                apply_domain_error(form, DomainError(message, field=field_name))
        return
    apply_domain_error(form, error)


def _booked_message(lead: Booking) -> str:
    if lead.is_request:
        return _(
            "Your request has been sent. The time is held for you until a coordinator decides."
        )
    return _("Booked. You will receive a confirmation by e-mail.")


from hubs.booking import views_admin, views_bookings, views_day  # noqa: E402, F401  (routes on bp)
