"""Pages: the hubs and, per hub, its opening hours and resources; their administration.

Programme managers add and edit hubs; coordinators (and managers) keep the opening
hours, the exceptions per date and the resources of their hubs.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from sqlalchemy import select
from werkzeug.wrappers import Response

from hubs import nav
from hubs.access import current_principal, get_or_404, has_scope, require, select_visible
from hubs.db import local_today
from hubs.errors import DomainError
from hubs.extensions import db
from hubs.forms import ConfirmForm
from hubs.locations import services
from hubs.locations.forms import (
    HubForm,
    NewHubForm,
    OpeningExceptionForm,
    OpeningHoursForm,
    ResourceForm,
)
from hubs.locations.models import Hub, OpeningException, Resource, ResourceKind
from hubs.web import apply_domain_error, apply_listing, contains, form_page, listing, paginate

bp = Blueprint("locations", __name__, template_folder="templates")

nav.register(_l("Hubs"), "locations.hub_list", lambda p: True, order=20)

HUB_SORTS = {"name": Hub.name, "town": Hub.town}
RESOURCE_SORTS = {
    "name": Resource.name,
    "kind": Resource.kind,
    "capacity": Resource.capacity,
    "licence": Resource.licence_type,
}
Page = str | Response | tuple[str, int]


@bp.get("/hubs")
@login_required
def hub_list() -> str:
    args = listing(HUB_SORTS, "name")
    stmt = apply_listing(
        select_visible(Hub), args, HUB_SORTS, contains(Hub.name, Hub.town, Hub.address)
    )
    return render_template(
        "locations/hub_list.html", hubs=paginate(stmt, args), listing=args, p=current_principal()
    )


@bp.route("/hubs/new", methods=["GET", "POST"])
@login_required
def hub_new() -> Page:
    require(current_principal().is_manager)
    form = NewHubForm()
    if form.validate_on_submit():
        try:
            hub = services.create_hub(
                form.name.data or "", form.town.data or "", form.address.data or "", form.hours()
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash(_("The hub %(name)s was added.", name=hub.name), "success")
            return redirect(url_for("locations.hub_detail", hub_id=hub.id))
    return form_page("locations/hub_new.html", form, hub=None)


@bp.get("/hubs/<int:hub_id>")
@login_required
def hub_detail(hub_id: int) -> str:
    hub = get_or_404(Hub, hub_id)
    p = current_principal()
    resources = args = None
    if has_scope(Resource):
        args = listing(RESOURCE_SORTS, "name", filters=("state", "kind"))
        stmt = select_visible(Resource, p).where(Resource.hub_id == hub.id)
        state = args.filters["state"]
        if state in ("active", "retired"):
            stmt = stmt.where(Resource.active.is_(state == "active"))
        if args.filters["kind"] in {k.value for k in ResourceKind}:
            stmt = stmt.where(Resource.kind == args.filters["kind"])
        stmt = apply_listing(
            stmt, args, RESOURCE_SORTS, contains(Resource.name, Resource.licence_type)
        )
        resources = paginate(stmt, args)
    return render_template(
        "locations/hub_detail.html",
        hub=hub,
        resources=resources,
        listing=args,
        p=p,
        kind_options=[(k.value, k.label) for k in ResourceKind],
    )


@bp.route("/hubs/<int:hub_id>/edit", methods=["GET", "POST"])
@login_required
def hub_edit(hub_id: int) -> Page:
    hub = get_or_404(Hub, hub_id)
    require(current_principal().is_manager)
    form = HubForm(obj=hub)
    if form.validate_on_submit():
        try:
            services.update_hub(
                hub,
                name=form.name.data or "",
                town=form.town.data or "",
                address=form.address.data or "",
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash(_("The hub was saved."), "success")
            return redirect(url_for("locations.hub_detail", hub_id=hub.id))
    return form_page("locations/hub_edit.html", form, hub=hub)


@bp.route("/hubs/<int:hub_id>/hours", methods=["GET", "POST"])
@login_required
def hub_hours(hub_id: int) -> Page:
    hub = get_or_404(Hub, hub_id)
    require(current_principal().coordinates(hub.id))
    form = OpeningHoursForm()
    if request.method == "GET":
        form.fill(hub.opening_hours)
    if form.validate_on_submit():
        try:
            services.set_opening_hours(hub, form.hours())
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash(_("The opening hours were saved."), "success")
            return redirect(url_for("locations.hub_detail", hub_id=hub.id))
    return form_page("locations/hub_hours.html", form, hub=hub)


@bp.route("/hubs/<int:hub_id>/exceptions", methods=["GET", "POST"])
@login_required
def hub_exceptions(hub_id: int) -> Page:
    hub = get_or_404(Hub, hub_id)
    p = current_principal()
    form = OpeningExceptionForm()
    if request.method == "POST":
        require(p.coordinates(hub.id))
        if form.validate_on_submit():
            closed = form.state.data == "closed"
            try:
                services.add_opening_exception(
                    hub,
                    form.on_date.data,  # type: ignore[arg-type]
                    None if closed else form.opens_at.data,
                    None if closed else form.closes_at.data,
                    form.note.data or "",
                )
            except DomainError as error:
                apply_domain_error(form, error)
            else:
                flash(_("The exception was added."), "success")
                return redirect(url_for("locations.hub_exceptions", hub_id=hub.id))
    args = listing({"date": OpeningException.on_date}, "date", filters=("when",))
    stmt = select_visible(OpeningException).where(OpeningException.hub_id == hub.id)
    today = local_today()
    if args.filters["when"] == "past":
        stmt = stmt.where(OpeningException.on_date < today)
    elif args.filters["when"] != "all":
        stmt = stmt.where(OpeningException.on_date >= today)
    stmt = apply_listing(stmt, args, {"date": OpeningException.on_date})
    stmt = stmt.order_by(OpeningException.opens_at)
    return form_page(
        "locations/hub_exceptions.html",
        form,
        hub=hub,
        exceptions=paginate(stmt, args),
        listing=args,
        may_edit=p.coordinates(hub.id),
        confirm=ConfirmForm(),
    )


@bp.post("/opening-exceptions/<int:exception_id>/delete")
@login_required
def exception_delete(exception_id: int) -> Response:
    exception = get_or_404(OpeningException, exception_id)
    require(current_principal().coordinates(exception.hub_id))
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.delete_opening_exception(exception)
    flash(_("The exception was removed."), "success")
    return redirect(url_for("locations.hub_exceptions", hub_id=exception.hub_id))


@bp.route("/hubs/<int:hub_id>/resources/new", methods=["GET", "POST"])
@login_required
def resource_new(hub_id: int) -> Page:
    hub = get_or_404(Hub, hub_id)
    require(current_principal().coordinates(hub.id))
    form = ResourceForm()
    if form.validate_on_submit():
        try:
            resource = services.create_resource(hub, **_resource_fields(form))
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash(_("%(name)s was added.", name=resource.name), "success")
            return redirect(url_for("locations.resource_detail", resource_id=resource.id))
    return form_page("locations/resource_form.html", form, hub=hub, resource=None)


def _resource_fields(form: ResourceForm) -> dict[str, Any]:
    return {
        "name": form.name.data,
        "kind": form.kind.data,
        "capacity": form.capacity.data,
        "licence_type": form.licence_type.data,
        "description": form.description.data,
    }


@bp.get("/resources/<int:resource_id>")
@login_required
def resource_detail(resource_id: int) -> str:
    resource = get_or_404(Resource, resource_id)
    hub = db.session.scalar(select(Hub).where(Hub.id == resource.hub_id))
    return render_template(
        "locations/resource_detail.html",
        resource=resource,
        hub=hub,
        may_edit=current_principal().coordinates(resource.hub_id),
    )


@bp.route("/resources/<int:resource_id>/edit", methods=["GET", "POST"])
@login_required
def resource_edit(resource_id: int) -> Page:
    resource = get_or_404(Resource, resource_id)
    require(current_principal().coordinates(resource.hub_id))
    hub = db.session.get(Hub, resource.hub_id)
    form = ResourceForm(obj=resource)
    if request.method == "GET":
        form.kind.data = resource.kind.value
    if form.validate_on_submit():
        try:
            services.update_resource(resource, **_resource_fields(form))
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            flash(_("The changes were saved."), "success")
            return redirect(url_for("locations.resource_detail", resource_id=resource.id))
    return form_page("locations/resource_form.html", form, hub=hub, resource=resource)


@bp.post("/resources/<int:resource_id>/retire")
@login_required
def resource_retire(resource_id: int) -> Response:
    return _set_active(resource_id, False)


@bp.post("/resources/<int:resource_id>/reactivate")
@login_required
def resource_reactivate(resource_id: int) -> Response:
    return _set_active(resource_id, True)


def _set_active(resource_id: int, active: bool) -> Response:
    resource = get_or_404(Resource, resource_id)
    require(current_principal().coordinates(resource.hub_id))
    services.set_resource_active(resource, active)
    if active:
        flash(_("%(name)s can be booked again.", name=resource.name), "success")
    else:
        flash(
            _(
                "%(name)s is retired: it keeps its history but takes no new bookings.",
                name=resource.name,
            ),
            "success",
        )
    return redirect(url_for("locations.resource_detail", resource_id=resource.id))
