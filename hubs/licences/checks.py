"""The licence rule of a booking, called by the booking service inside its unit of work.

A booking of a resource that requires a licence names the people who will use it (learners
of the booking organisation); each must hold a valid licence of every required kind on
every day of the booking. A school class (pupils, students) may instead be supervised by
the hub's instructor: that is recorded and a coordinator confirms it when approving.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from hubs.db import utcnow
from hubs.errors import InvalidInput
from hubs.extensions import db
from hubs.learners.models import Learner, LearnerCategory
from hubs.licences.models import BookingLicenceHolder, BookingSupervision
from hubs.licences.services import valid_licences

SCHOOL_CATEGORIES = (LearnerCategory.VO, LearnerCategory.MBO)


class LicenceMissing(InvalidInput):
    """Someone named for a licensed machine holds no valid licence (422, ``learner_ids``)."""

    code = "licence_missing"


@dataclass
class LicencePlan:
    """What a booking records about licences: the kinds needed, who uses the machines,
    or that the hub's instructor supervises."""

    kinds: list[str] = field(default_factory=list)
    learner_ids: list[int] = field(default_factory=list)
    supervised: bool = False

    @property
    def needs_supervision(self) -> bool:
        return self.supervised


def required_kinds(resources: list[Any]) -> list[str]:
    return sorted({r.licence_type for r in resources if r.licence_type})


def booking_days(start: datetime, end: datetime, tz: tzinfo) -> list[date]:
    from hubs.booking.clock import last_local_date, local_date

    return [local_date(start, tz), last_local_date(end, tz)]


def plan_for(
    data: Any,
    resources: list[Any],
    organisation_id: int,
    days: list[date],
    *,
    by_hub_staff: bool = False,
) -> LicencePlan:
    """Check the licence rule for a new booking (``data`` is a BookingInput); raises
    InvalidInput on ``learner_ids`` / ``supervised`` or LicenceMissing naming the people.

    School classes, and anything the hub's own coordinators book (instruction sessions,
    courses that teach the licence), may be supervised by the hub's instructor instead.
    """
    kinds = required_kinds(resources)
    if not kinds:
        return LicencePlan()
    school = (data.learner_category or "") in {c.value for c in SCHOOL_CATEGORIES}
    school = school or by_hub_staff
    ids = resolve_people(data, organisation_id)
    if data.supervised and not school:
        raise InvalidInput(
            _l(
                "Supervision by the hub's instructor is for school classes. Name the people "
                "who will use the machines."
            ),
            field="supervised",
        )
    if school and (data.supervised or not ids):
        return LicencePlan(kinds=kinds, supervised=True)
    if not ids:
        raise InvalidInput(
            _l(
                "%(machines)s need a licence (%(kinds)s): name the people who will use them.",
                machines=", ".join(r.name for r in resources if r.licence_type),
                kinds=", ".join(kinds),
            ),
            field="learner_ids",
        )
    check_licences(ids, kinds, days)
    return LicencePlan(kinds=kinds, learner_ids=ids)


def resolve_people(data: Any, organisation_id: int) -> list[int]:
    """The learner ids named by id (API) or by the organisation's reference (form); every
    one must be a learner of the booking organisation."""
    ids = list(dict.fromkeys(data.learner_ids or []))
    references = [r.strip() for r in (data.learner_references or []) if r.strip()]
    if references:
        found = dict(
            db.session.execute(
                select(Learner.reference, Learner.id).where(
                    Learner.organisation_id == organisation_id,
                    Learner.reference.in_(references),
                    Learner.anonymised_at.is_(None),
                )
            ).all()
        )
        unknown = [r for r in references if r not in found]
        if unknown:
            raise InvalidInput(
                _l("Unknown at your organisation: %(refs)s.", refs=", ".join(unknown)),
                field="learner_ids",
            )
        ids.extend(i for i in (found[r] for r in references) if i not in ids)
    if ids:
        own = set(
            db.session.scalars(
                select(Learner.id).where(
                    Learner.id.in_(ids),
                    Learner.organisation_id == organisation_id,
                    Learner.anonymised_at.is_(None),
                )
            )
        )
        strangers = [i for i in ids if i not in own]
        if strangers:
            raise InvalidInput(
                _l(
                    "Not people of the booking organisation: %(ids)s.",
                    ids=", ".join(map(str, strangers)),
                ),
                field="learner_ids",
                details={"learner_ids": strangers},
            )
    return ids


def check_licences(learner_ids: list[int], kinds: list[str], days: list[date]) -> None:
    """Raise LicenceMissing naming everyone without a valid licence of each kind."""
    missing: dict[int, list[str]] = {}
    for kind in kinds:
        valid = valid_licences(learner_ids, kind, days)
        for learner_id in learner_ids:
            if learner_id not in valid:
                missing.setdefault(learner_id, []).append(kind)
    if not missing:
        return
    names = dict(
        db.session.execute(select(Learner.id, Learner).where(Learner.id.in_(missing.keys()))).all()
    )
    described = "; ".join(
        f"{names[i].display_name} ({', '.join(k)})" for i, k in missing.items() if i in names
    )
    message = _l("No valid machine licence on the booking's dates: %(people)s.", people=described)
    raise LicenceMissing(
        message,
        field="learner_ids",
        fields={"learner_ids": [message]},
        details={
            "learner_ids": sorted(missing),
            "unlicensed": [{"learner_id": i, "kinds": k} for i, k in sorted(missing.items())],
        },
    )


def record_plan(lead_id: int, plan: LicencePlan, *, confirmed_by: int | None) -> None:
    """Store who uses the machines, or the supervision (confirmed when a coordinator
    booked it: ``confirmed_by``)."""
    for learner_id in plan.learner_ids:
        db.session.add(BookingLicenceHolder(booking_id=lead_id, learner_id=learner_id))
    if plan.supervised:
        db.session.add(
            BookingSupervision(
                booking_id=lead_id,
                kinds=",".join(plan.kinds),
                confirmed_at=utcnow() if confirmed_by is not None else None,
                confirmed_by_id=confirmed_by,
            )
        )


def confirm_supervision(lead_id: int, actor_id: int | None) -> None:
    """The coordinator approved the request: the instructor's supervision is confirmed."""
    db.session.execute(
        update(BookingSupervision)
        .where(BookingSupervision.booking_id == lead_id, BookingSupervision.confirmed_at.is_(None))
        .values(confirmed_at=utcnow(), confirmed_by_id=actor_id)
        .execution_options(synchronize_session=False)
    )


def recheck_move(lead_id: int, days: list[date]) -> None:
    """A moved booking: its named people must hold valid licences on the new dates."""
    ids = list(
        db.session.scalars(
            select(BookingLicenceHolder.learner_id).where(
                BookingLicenceHolder.booking_id == lead_id
            )
        )
    )
    if not ids:
        return
    from hubs.booking.models import Booking
    from hubs.locations.models import Resource

    kinds = sorted(
        k
        for k in db.session.scalars(
            select(Resource.licence_type)
            .join(Booking, Booking.resource_id == Resource.id)
            .where(Booking.bundle_id == lead_id, Resource.licence_type.is_not(None))
            .distinct()
        )
        if k
    )
    if kinds:
        check_licences(ids, kinds, days)


def plan_of(lead_id: int) -> tuple[list[Learner], BookingSupervision | None]:
    """What a booking recorded: the people named, and the supervision if any."""
    people = list(
        db.session.scalars(
            select(Learner)
            .join(BookingLicenceHolder, BookingLicenceHolder.learner_id == Learner.id)
            .where(BookingLicenceHolder.booking_id == lead_id)
            .order_by(Learner.family_name, Learner.reference)
        )
    )
    return people, db.session.get(BookingSupervision, lead_id)


def supervised_among(lead_ids: list[int]) -> set[int]:
    """The bundles among ``lead_ids`` that ask for the instructor's supervision."""
    if not lead_ids:
        return set()
    return set(
        db.session.scalars(
            select(BookingSupervision.booking_id).where(BookingSupervision.booking_id.in_(lead_ids))
        )
    )
