"""Course pages: the catalogue, a course (enrol, cancel, substitute; cancel or complete
for coordinators) and the coordinator's start-page section for courses below minimum.

Scheduling lives in views_schedule.py, HR's overview and certificates in views_staff.py.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import login_required
from sqlalchemy import or_, select
from werkzeug.wrappers import Response

from hubs import nav
from hubs.access import Principal, current_principal, get_or_404, require, select_visible
from hubs.courses import enrolment as enrolling
from hubs.courses import queries, services
from hubs.courses.forms import CancelCourseForm, EnrolForm, SubstituteForm
from hubs.courses.models import ACTIVE, Course, CourseEnrolment
from hubs.db import local_today, utcnow
from hubs.errors import DomainError
from hubs.extensions import db
from hubs.forms import ConfirmForm, options
from hubs.learners.models import Learner, LearnerCategory
from hubs.locations.models import Hub
from hubs.organisations.models import SCHOOL_KINDS, Organisation, OrganisationKind
from hubs.web import apply_domain_error, page_args

bp = Blueprint("courses", __name__, template_folder="templates", url_prefix="/courses")

nav.register(_l("Courses"), "courses.catalogue", lambda p: p.is_staff or p.is_booker, order=30)


def _require_user(p: Principal) -> None:
    require(p.is_staff or p.is_booker or p.is_funder)


@bp.get("")
@login_required
def catalogue() -> str:
    """Upcoming courses at every hub, soonest first, with seats left and price."""
    p = current_principal()
    _require_user(p)
    hubs = list(db.session.scalars(select(Hub).order_by(Hub.name)))
    hub_id = request.args.get("hub_id", type=int)
    page_no, per_page = page_args()
    page = db.paginate(
        queries.catalogue_stmt(p, utcnow(), hub_id),
        page=page_no,
        per_page=per_page,
        error_out=False,
    )
    return render_template(
        "courses/catalogue.html",
        page=page,
        counts=queries.counts([c.id for c in page.items]),
        hubs=hubs,
        hub_id=hub_id,
        may_schedule=bool(p.coordinator_hub_ids) or p.is_manager,
        is_booker=p.is_booker,
    )


def _my_staff(p: Principal, course: Course) -> list[Learner]:
    """People of the user's organisations the course admits and that are not on it yet
    (bounded)."""
    admitted = [kind for kind in OrganisationKind if course.audience.admits(kind)]
    taken = select(CourseEnrolment.learner_id).where(
        CourseEnrolment.course_id == course.id, CourseEnrolment.status.in_(ACTIVE)
    )
    return list(
        db.session.scalars(
            select(Learner)
            .where(
                Learner.organisation_id.in_(p.booker_org_ids),
                Learner.anonymised_at.is_(None),
                Learner.id.not_in(taken),
                # Only people the course admits: employees of companies, pupils of schools.
                Learner.organisation_id.in_(
                    select(Organisation.id).where(Organisation.kind.in_(admitted))
                ),
                or_(
                    Learner.category == LearnerCategory.EMPLOYEE,
                    Learner.organisation_id.in_(
                        select(Organisation.id).where(Organisation.kind.in_(SCHOOL_KINDS))
                    ),
                ),
            )
            .order_by(Learner.family_name, Learner.given_name, Learner.id)
            .limit(300)
        )
    )


def _detail(course: Course, p: Principal, enrol_form: EnrolForm | None = None) -> dict[str, Any]:
    enrolments = list(
        db.session.scalars(
            select_visible(CourseEnrolment, p)
            .where(CourseEnrolment.course_id == course.id)
            .order_by(CourseEnrolment.queued_at, CourseEnrolment.id)
            .limit(500)
        )
    )
    staff = _my_staff(p, course) if p.is_booker else []
    form = enrol_form or EnrolForm()
    form.learner_ids.choices = options((x.id, x.display_name) for x in staff)
    taken, waiting = queries.counts([course.id])[course.id]
    return {
        "course": course,
        "taken": taken,
        "waiting": waiting,
        "enrolments": enrolments,
        "staff": staff,
        "form": form,
        "runs": p.coordinates(course.hub_id),
        "open": course.is_enrollable_on(local_today()),
        "may_enrol": bool(staff),
        "cancel_form": CancelCourseForm(),
    }


@bp.get("/<int:course_id>")
@login_required
def detail(course_id: int) -> str:
    """A course: dates, place, seats left, price; HR enrols staff here."""
    p = current_principal()
    course = get_or_404(Course, course_id)
    return render_template("courses/detail.html", **_detail(course, p))


@bp.post("/<int:course_id>/enrol")
@login_required
def enrol(course_id: int) -> Any:
    """HR enrols the ticked employees: seats while free, then the waiting list."""
    p = current_principal()
    course = get_or_404(Course, course_id)
    require(p.is_booker or p.coordinates(course.hub_id))
    form = EnrolForm()
    form.learner_ids.choices = []
    if form.validate_on_submit():
        try:
            result = enrolling.enrol(p, course.id, list(form.learner_ids.data or []))
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            _flash_result(result)
            return redirect(url_for(".detail", course_id=course.id))
    return render_template("courses/detail.html", **_detail(course, p, form)), 422


def _flash_result(result: enrolling.EnrolResult) -> None:
    if result.enrolled:
        flash(
            ngettext("%(num)d person enrolled.", "%(num)d people enrolled.", len(result.enrolled)),
            "success",
        )
    if result.waiting:
        names = ", ".join(e.learner.display_name for e in result.waiting)
        flash(_("The course is full. On the waiting list: %(names)s.", names=names), "warning")
    for refusal in result.refused:
        flash(str(refusal.reason), "error")


def _own_enrolment(course_id: int, enrolment_id: int) -> CourseEnrolment:
    enrolment = get_or_404(CourseEnrolment, enrolment_id)
    if enrolment.course_id != course_id:
        abort(404)
    return enrolment


@bp.post("/<int:course_id>/enrolments/<int:enrolment_id>/cancel")
@login_required
def cancel_place(course_id: int, enrolment_id: int) -> Response:
    """Cancel one place (confirmed by the button); the first waiting moves up."""
    p = current_principal()
    enrolment = _own_enrolment(course_id, enrolment_id)
    require(p.books_for(enrolment.organisation_id) or p.coordinates(enrolment.course.hub_id))
    if not ConfirmForm().validate_on_submit():
        return Response(_("Please confirm."), status=400)
    name = enrolment.learner.display_name
    try:
        promoted = enrolling.cancel_enrolment(p, enrolment.id)
    except DomainError as error:
        flash(str(error), "error")
    else:
        flash(_("The place of %(name)s is cancelled.", name=name), "success")
        if promoted is not None:
            flash(_("%(name)s moved up from the waiting list.", name=_visible_name(p, promoted)))
    return redirect(url_for(".detail", course_id=course_id))


def _visible_name(p: Principal, enrolment: CourseEnrolment) -> str:
    if p.books_for(enrolment.organisation_id) or p.coordinates(enrolment.course.hub_id):
        return enrolment.learner.display_name
    return _("The first person")


@bp.route("/<int:course_id>/enrolments/<int:enrolment_id>/substitute", methods=["GET", "POST"])
@login_required
def substitute(course_id: int, enrolment_id: int) -> Any:
    """Send another employee of the same organisation in someone's place."""
    p = current_principal()
    enrolment = _own_enrolment(course_id, enrolment_id)
    require(p.books_for(enrolment.organisation_id) or p.coordinates(enrolment.course.hub_id))
    course = enrolment.course
    form = SubstituteForm()
    candidates = [x for x in _my_staff(p, course) if x.organisation_id == enrolment.organisation_id]
    form.learner_id.choices = options((x.id, x.display_name) for x in candidates)
    status = 200
    if form.validate_on_submit():
        try:
            enrolling.substitute(p, enrolment.id, form.learner_id.data)
        except DomainError as error:
            apply_domain_error(form, error)
            status = 422
        else:
            flash(_("Substitute saved."), "success")
            return redirect(url_for(".detail", course_id=course.id))
    elif form.is_submitted():
        status = 422
    return render_template(
        "courses/substitute.html", course=course, enrolment=enrolment, form=form
    ), status


@bp.post("/<int:course_id>/cancel")
@login_required
def cancel(course_id: int) -> Response:
    """Coordinators call a course off: resources freed, companies mailed."""
    p = current_principal()
    course = get_or_404(Course, course_id)
    require(p.coordinates(course.hub_id))
    form = CancelCourseForm()
    if not (form.validate_on_submit() and request.form.get("confirm") == "yes"):
        return Response(_("Please confirm."), status=400)
    try:
        services.cancel_course(p, course.id, form.reason.data or "")
    except DomainError as error:
        flash(str(error), "error")
    else:
        flash(_("The course is cancelled; its rooms and machines are free again."), "success")
    return redirect(url_for(".detail", course_id=course.id))


@bp.post("/<int:course_id>/complete")
@login_required
def complete(course_id: int) -> Response:
    """Coordinators close a course after its last session (from the register)."""
    p = current_principal()
    course = get_or_404(Course, course_id)
    require(p.coordinates(course.hub_id))
    if not ConfirmForm().validate_on_submit():
        return Response(_("Please confirm."), status=400)
    try:
        result = services.complete_course(p, course.id)
    except DomainError as error:
        flash(str(error), "error")
    else:
        flash(
            _(
                "Course completed: %(done)d completed, %(not_done)d did not complete.",
                done=len(result.completed),
                not_done=len(result.not_completed),
            ),
            "success",
        )
    return redirect(url_for(".detail", course_id=course.id))


# --- the coordinator's start page ---------------------------------------------------


def _start_section(p: Principal) -> dict[str, Any] | None:
    if not p.is_coordinator:
        return None
    found = queries.below_minimum(sorted(p.coordinator_hub_ids), local_today(), utcnow())
    return {"courses": found} if found else None


nav.register_start_section("courses-below-minimum", "courses/_start.html", _start_section, 20)

from hubs.courses import views_schedule, views_staff  # noqa: E402,F401  (routes on bp)
