"""Calendar pages and files: a booking as ``.ics``, the "Calendar feeds" page, and the
feeds themselves (``/feeds/<token>.ics``: authenticated by the token alone, no session)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from hubs import nav
from hubs.access import Principal, current_principal, get_or_404, principal_for, require
from hubs.booking.models import Booking
from hubs.booking.services import bundle_rows
from hubs.calendar import feeds, ics, services
from hubs.calendar.choices import calendar_choices, parse_choice
from hubs.calendar.events import FILENAME, bundle_calendar, link_builder
from hubs.calendar.forms import FeedForm
from hubs.calendar.models import CalendarFeed
from hubs.db import local_today, utcnow
from hubs.errors import DomainError
from hubs.forms import ConfirmForm
from hubs.web import apply_domain_error

bp = Blueprint("calendar", __name__, template_folder="templates")


def _may_have_feeds(p: Principal) -> bool:
    return p.is_staff or p.is_booker


nav.register_user_menu(_l("Calendar feeds"), "calendar.feeds_page", _may_have_feeds, order=30)


# --- one booking as .ics ---------------------------------------------------------------


def ics_response(body: str, filename: str) -> Response:
    response = Response(body, content_type=ics.CONTENT_TYPE)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-cache"
    return response


def booking_ics_response(booking_id: int) -> Response:
    """The ``.ics`` of the bundle a booking the user may see belongs to (else 404)."""
    booking = get_or_404(Booking, booking_id)
    rows = bundle_rows(booking.id)
    return ics_response(bundle_calendar(rows), FILENAME.format(id=rows[0].bundle_id or rows[0].id))


@bp.get("/bookings/<int:booking_id>.ics")
@login_required
def booking_ics(booking_id: int) -> Response:
    """Add one booking to a calendar app (a file it opens)."""
    return booking_ics_response(booking_id)


# --- the feeds page --------------------------------------------------------------------


def _feed_urls(token: str) -> dict[str, str]:
    https = link_builder("calendar.feed", "token")(token)
    return {"https": https, "webcal": "webcal://" + https.split("://", 1)[1]}


def _feeds_page(form: FeedForm, new: dict[str, Any] | None = None, status: int = 200) -> Any:
    user_id = current_principal().user_id
    assert user_id is not None
    rows = services.feeds_of(user_id)
    response = Response(
        render_template(
            "calendar/feeds.html",
            form=form,
            feeds=rows,
            names=feeds.feed_names(rows),
            new=new,
            confirm=ConfirmForm(),
        ),
        status=status,
    )
    # The page may show a secret link: no cache may keep it.
    response.headers["Cache-Control"] = "no-store"
    return response


def _form(p: Principal) -> FeedForm:
    form = FeedForm()
    form.calendar.choices = calendar_choices(p, local_today())
    return form


@bp.route("/profile/calendar-feeds", methods=["GET", "POST"])
@login_required
def feeds_page() -> Any:
    """The user's calendar feeds: make one, copy its link (shown once), renew, revoke."""
    p = current_principal()
    require(_may_have_feeds(p))
    form = _form(p)
    if not form.validate_on_submit():
        return _feeds_page(form, status=422 if form.is_submitted() else 200)
    try:
        kind, target_id = parse_choice(form.calendar.data or "")
        token, feed = services.create_feed(current_user, kind, target_id)
    except ValueError:
        abort(400)
    except DomainError as error:
        apply_domain_error(form, error)
        return _feeds_page(form, status=422)
    new = {"feed": feed, "name": feeds.feed_names([feed])[feed.id], **_feed_urls(token)}
    return _feeds_page(_form(p), new=new, status=201)


@bp.post("/profile/calendar-feeds/<int:feed_id>/renew")
@login_required
def feed_renew(feed_id: int) -> Any:
    """A new link for a feed: the old one stops working at once."""
    feed = get_or_404(CalendarFeed, feed_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    renewed = services.renew_feed(feed.id, feed.user_id)
    if renewed is None:
        abort(404)
    token, feed = renewed
    new = {"feed": feed, "name": feeds.feed_names([feed])[feed.id], **_feed_urls(token)}
    return _feeds_page(_form(current_principal()), new=new)


@bp.post("/profile/calendar-feeds/<int:feed_id>/revoke")
@login_required
def feed_revoke(feed_id: int) -> Any:
    """Stop a feed: its link answers "not found" from now on."""
    feed = get_or_404(CalendarFeed, feed_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    name = feeds.feed_names([feed])[feed.id]
    services.revoke_feed(feed.id, feed.user_id)
    flash(_("The feed %(name)s was stopped; its link no longer works.", name=name), "success")
    return redirect(url_for("calendar.feeds_page"))


# --- the feed itself -------------------------------------------------------------------


@bp.get("/feeds/<token>.ics")
def feed(token: str) -> Response:
    """A subscribed calendar, for calendar apps. The token in the path is the only
    credential (stored hashed; never logged): an unknown, renewed or revoked token, a
    deactivated owner or one who may no longer follow this calendar is a 404."""
    found = services.feed_for_token(token)
    if found is None:
        abort(404)
    row, user = found
    p = principal_for(user)
    now = utcnow()
    if not feeds.may_follow(p, row.kind, row.target_id, local_today()):
        abort(404)
    locale = user.locale or "nl"
    tag = feeds.etag(row, p, locale, now)
    # Weak comparison (RFC 9110 13.1.2): a proxy that compresses the feed weakens the tag.
    if request.if_none_match.contains_weak(tag):
        response = Response(status=304)
    else:
        with force_locale(locale):
            response = Response(feeds.render_feed(row, p, now), content_type=ics.CONTENT_TYPE)
    response.set_etag(tag)
    response.headers["Cache-Control"] = "private, no-cache"
    response.headers["X-Robots-Tag"] = "noindex"
    return response
