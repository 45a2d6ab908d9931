"""Recording who came to a visit: one unit of work per visit, recorded again at will.

A coordinator of the hub records the number present (or, for a visit with a list of
names, who came) from the day of the visit on. Recording again replaces the earlier
record, so the register can be corrected.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from hubs.access import Principal
from hubs.attendance import hooks
from hubs.attendance.models import Attendance, AttendanceLearner
from hubs.attendance.roster import RosterEntry, rosters_for
from hubs.booking.clock import local_date, zone
from hubs.booking.models import Booking, BookingStatus
from hubs.booking.rules import capacity_of
from hubs.booking.services import bundle_rows
from hubs.db import local_today, transactional, utcnow
from hubs.errors import DomainError, InvalidInput, NotAllowed
from hubs.extensions import db


@dataclass
class AttendanceInput:
    """What the coordinator says: a number present, or the learners present (for a visit
    with a list of names)."""

    present: int | None = None
    learner_ids: list[int] | None = None


def refusal(lead: Booking, p: Principal, today: date | None = None) -> Any | None:
    """Why ``p`` cannot record attendance of this visit now (None: they can)."""
    if not p.coordinates(lead.hub_id):
        return _l("Only the hub's coordinators record attendance.")
    if lead.status != BookingStatus.CONFIRMED:
        return _l("Only confirmed bookings have a register.")
    if local_date(lead.start_at, zone(None)) > (today or local_today()):
        return _l("You can record who came from the day of the visit.")
    return None


def limit_of(lead: Booking, rows: list[Booking]) -> int:
    """The most people a visit can have had: the group booked or what the rooms take."""
    return max(lead.group_size, capacity_of([r.resource for r in rows]))


@transactional
def record_attendance(p: Principal, booking_id: int, data: AttendanceInput) -> Attendance:
    """Record (or correct) who came to the visit ``booking_id`` belongs to.

    Raises NotAllowed (403) for someone who does not run the hub, DomainError (409) for a
    visit that has no register (yet), InvalidInput (422) on ``present`` or
    ``learner_ids``.
    """
    rows = bundle_rows(booking_id, lock=True)
    lead = rows[0]
    why = refusal(lead, p)
    if why is not None:
        if not p.coordinates(lead.hub_id):
            raise NotAllowed(why)
        raise DomainError(why, field="present")
    roster = rosters_for([lead.id]).get(lead.id) or []
    if roster:
        learner_ids = _checked_learners(data, roster)
        present = len(learner_ids)
    else:
        learner_ids = []
        present = _checked_count(data, limit_of(lead, rows))
    attendance = _store(lead, present, learner_ids if roster else None, p.user_id)
    hooks.recorded(lead.id, p.user_id)
    return attendance


def _checked_count(data: AttendanceInput, limit: int) -> int:
    if data.learner_ids:
        raise InvalidInput(
            _l("This visit has no list of names: give the number present."), field="learner_ids"
        )
    if data.present is None:
        raise InvalidInput(_l("Give the number of people present."), field="present")
    if not 0 <= data.present <= limit:
        raise InvalidInput(
            _l("The number present is between 0 and %(limit)d.", limit=limit), field="present"
        )
    return data.present


def _checked_learners(data: AttendanceInput, roster: list[RosterEntry]) -> list[int]:
    if data.learner_ids is None:
        raise InvalidInput(_l("Tick who came (or nobody)."), field="learner_ids")
    expected = {entry.learner_id for entry in roster}
    unknown = sorted(set(data.learner_ids) - expected)
    if unknown:
        raise InvalidInput(
            _l(
                "Not on this visit's list: %(ids)s.",
                ids=", ".join(str(i) for i in unknown),
            ),
            field="learner_ids",
        )
    if data.present is not None and data.present != len(set(data.learner_ids)):
        raise InvalidInput(_l("The number present must match the people ticked."), field="present")
    return sorted(set(data.learner_ids))


def _store(
    lead: Booking, present: int, learner_ids: list[int] | None, actor_id: int | None
) -> Attendance:
    now = utcnow()
    attendance = db.session.scalar(select(Attendance).where(Attendance.booking_id == lead.id))
    if attendance is None:
        attendance = Attendance(booking_id=lead.id, recorded_at=now)
        db.session.add(attendance)
    attendance.present = present
    attendance.listed = learner_ids is not None
    attendance.recorded_by_id = actor_id
    attendance.updated_at = now
    wanted = set(learner_ids or [])
    for row in list(attendance.learners):
        if row.learner_id not in wanted:
            attendance.learners.remove(row)
    have = {row.learner_id for row in attendance.learners}
    for learner_id in sorted(wanted - have):
        attendance.learners.append(AttendanceLearner(learner_id=learner_id))
    db.session.flush()
    return attendance
