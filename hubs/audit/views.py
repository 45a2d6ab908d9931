"""The security log page, for programme managers: filter by event, user and dates."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from hubs import nav
from hubs.access import current_principal, require
from hubs.audit import events
from hubs.audit.forms import EventFilterForm
from hubs.audit.services import EventFilter, select_events
from hubs.forms import options
from hubs.web import Listing, page_args, paginate

bp = Blueprint("audit", __name__, template_folder="templates")

nav.register(_l("Security log"), "audit.security_log", lambda p: p.is_manager, order=90)


@bp.get("/security-log")
@login_required
def security_log() -> tuple[str, int]:
    require(current_principal().is_manager)
    form = EventFilterForm(request.args)
    form.event.choices = options(
        [("", _("all events"))] + [(code, str(label)) for code, label in events.all_events()]
    )
    valid = form.validate() if request.args else True
    criteria = EventFilter()
    if valid:
        criteria = EventFilter(
            event=form.event.data or None,
            user_id=form.user_id.data,
            since=form.since.data,
            until=form.until.data,
        )
    page, per_page = page_args()
    rows = paginate(select_events(criteria), Listing("", "", False, page, per_page))
    return render_template("audit/security_log.html", form=form, rows=rows, label=events.label), (
        200 if valid else 422
    )
