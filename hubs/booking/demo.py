"""Demo data for booking: a realistic term at each hub, relative to ``ctx.today``.

Weekly class visits, company machine time and an evening course, eight weeks back and
eight weeks ahead; lesson periods at TechnoHUB and day parts at the Makerspace; approval at
the Makerspace and for two MAKE Center machines; the autumn holiday closed (school holidays
at TechnoHUB and the Makerspace, an explicit closure at the MBO's MAKE Center); a study day
that hits a class visit; maintenance windows; pending requests and some cancellations.
Rows are written directly (past weeks included), never overlapping.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from hubs.booking.calendar import school_holidays
from hubs.booking.clock import day_bounds, monday_of, wall_start, zone
from hubs.booking.models import (
    Booking,
    BookingEvent,
    BookingStatus,
    Closure,
    HubBookingSettings,
    LearnerCategory,
    Level,
    ResourceApproval,
    Slot,
)
from hubs.demo import DemoContext
from hubs.extensions import db
from hubs.organisations.models import HolidayRegion

TZ = zone("Europe/Amsterdam")
WEEKS = range(-8, 9)

LESSONS = [
    ("1e-2e uur", time(8, 30), time(10, 10)),
    ("3e-4e uur", time(10, 25), time(12, 5)),
    ("5e-6e uur", time(12, 35), time(14, 15)),
    ("7e-8e uur", time(14, 30), time(16, 10)),
]
DAY_PARTS = [("ochtend", time(8, 30), time(12, 0)), ("middag", time(12, 30), time(17, 0))]


@dataclass
class Visit:
    """A weekly booking: hub, resources, weekday, times, who and what."""

    hub: str
    resources: list[str]
    weekday: int
    start: time
    end: time
    org: str
    booker: str | None  # a demo user key; None: booked by the hub's coordinator
    group: str
    size: int
    category: LearnerCategory
    level: Level | None
    purpose: str
    every: int = 1


V, M, E = LearnerCategory.VO, LearnerCategory.MBO, LearnerCategory.EMPLOYEE

# hub, resources, weekday, start, end, organisation, booker, group, size, category, level, purpose
# fmt: off
VISITS = [
    Visit("technohub", ["Lokaal Techniek 1", "Lasersnijder 1"], 1, time(10, 25), time(12, 5),
          "school_a", "teacher_a", "3K-PIE", 24, V, Level.VMBO_KB, "Lasersnijden: sleutelhanger ontwerpen"),
    Visit("technohub", ["Lokaal Techniek 2", "3D-printer Prusa 1", "3D-printer Prusa 2"], 3, time(8, 30), time(10, 10),
          "school_b", "teacher_b", "2B", 22, V, Level.HAVO, "3D-printen: een onderdeel ontwerpen"),
    Visit("technohub", ["Werkplaats Hout & Metaal"], 4, time(12, 35), time(14, 15),
          "school_a", "teacher_a", "4K-BWI", 16, V, Level.VMBO_KB, "Hout en metaal verbinden"),
    Visit("technohub", ["CNC-frees Haas"], 2, time(14, 30), time(16, 10),
          "company_b", None, "Team frezen", 2, E, None, "Bijscholing CNC-frezen"),
    Visit("make", ["Werkplaats Verspaning", "CNC-draaibank DMG Mori"], 0, time(9), time(12),
          "roc", "teacher_roc", "MT3A", 14, M, Level.MBO_3, "Draaien: as met schroefdraad"),
    Visit("make", ["Lasruimte", "Lasbox 1", "Lasbox 2"], 3, time(13), time(16),
          "roc", "teacher_roc", "LAS2", 10, M, Level.MBO_2, "MIG/MAG-lassen"),
    Visit("make", ["CNC-frees DMG Mori"], 2, time(13), time(17),
          "company_a", "hr_a", "Omscholing CNC", 2, E, None, "Omscholing tot CNC-operator"),
    Visit("make", ["PLC-trainingspaneel 1"], 1, time(18), time(21),
          "company_a", "hr_a", "Avondcursus PLC", 2, E, None, "PLC programmeren"),
    Visit("makerspace", ["Makerslab", "Lasersnijder Trotec"], 2, time(8, 30), time(12),
          "school_c", None, "2V", 24, V, Level.VWO, "Ontwerpen en lasersnijden"),
    Visit("makerspace", ["Lasbox"], 3, time(12, 30), time(17),
          "company_c", None, "Lascertificaat", 1, E, None, "Voorbereiding lascertificaat"),
    Visit("makerspace", ["CNC-router"], 5, time(10), time(14),
          "company_a", "hr_a", "Prototype", 2, E, None, "Prototype behuizing frezen"),
]
# One-off requests waiting for a coordinator.
HERMLE = Visit("make", ["CNC-frees Hermle 5-assig"], 1, time(9), time(12),
               "company_a", "hr_a", "Omscholing 5-assig", 2, E, None, "5-assig frezen")
VINYL = Visit("makerspace", ["Vinylsnijder"], 4, time(12, 30), time(17),
              "company_a", "hr_a", "Stickers beurs", 2, E, None, "Beursmateriaal snijden")
# fmt: on

COORDINATORS = {
    "technohub": "coord_technohub",
    "make": "coord_make",
    "makerspace": "coord_makerspace",
}


def load(ctx: DemoContext) -> None:
    _settings(ctx)
    _slots(ctx)
    closures = _closures(ctx)
    _bookings(ctx, closures)
    db.session.flush()


def _settings(ctx: DemoContext) -> None:
    values: dict[str, dict[str, Any]] = {
        "technohub": dict(uses_slots=True, close_on_school_holidays=True),
        "make": dict(cancel_deadline_hours=48, request_expiry_hours=48),
        "makerspace": dict(uses_slots=True, approval_required=True, close_on_school_holidays=True),
    }
    for key, overrides in values.items():
        db.session.add(
            HubBookingSettings(
                hub_id=ctx.hubs[key].id, holiday_region=HolidayRegion.MIDDEN, **overrides
            )
        )
    for name in ("CNC-frees Hermle 5-assig", "Lasrobot Fanuc"):
        db.session.add(ResourceApproval(resource_id=ctx.resources[f"make:{name}"].id))


def _slots(ctx: DemoContext) -> None:
    for weekday in range(5):
        for name, start, end in LESSONS:
            db.session.add(
                Slot(
                    hub_id=ctx.hubs["technohub"].id,
                    weekday=weekday,
                    name=name,
                    starts_at=start,
                    ends_at=end,
                )
            )
        for name, start, end in DAY_PARTS:
            db.session.add(
                Slot(
                    hub_id=ctx.hubs["makerspace"].id,
                    weekday=weekday,
                    name=name,
                    starts_at=start,
                    ends_at=end,
                )
            )
    db.session.add(
        Slot(
            hub_id=ctx.hubs["makerspace"].id,
            weekday=5,
            name="zaterdag",
            starts_at=time(10),
            ends_at=time(14),
        )
    )


def _closures(ctx: DemoContext) -> list[Closure]:
    monday = monday_of(ctx.today)
    study_day = monday + timedelta(days=15)  # a Tuesday two weeks ahead
    autumn = _autumn_holiday(ctx.today)
    closures = [
        _all_day(ctx, "technohub", study_day, study_day, "Studiedag docenten"),
        _all_day(ctx, "make", autumn[0], autumn[1], "Herfstvakantie MBO"),
        Closure(
            hub_id=ctx.hubs["make"].id,
            resource_id=ctx.resources["make:Lasrobot Fanuc"].id,
            starts_at=wall_start(monday + timedelta(days=8), time(8), TZ),
            ends_at=wall_start(monday + timedelta(days=9), time(17), TZ),
            all_day=False,
            reason="Jaarlijks onderhoud door leverancier",
        ),
        Closure(
            hub_id=ctx.hubs["makerspace"].id,
            resource_id=ctx.resources["makerspace:Lasersnijder Trotec"].id,
            starts_at=wall_start(monday + timedelta(days=17), time(8, 30), TZ),
            ends_at=wall_start(monday + timedelta(days=17), time(12), TZ),
            all_day=False,
            reason="Nieuwe lens plaatsen",
        ),
    ]
    db.session.add_all(closures)
    db.session.flush()
    return closures


def _autumn_holiday(today: date) -> tuple[date, date]:
    """The autumn holiday (region midden) of the school year ``today`` falls in."""
    year = today.year if today.month >= 8 else today.year - 1
    days = [
        d
        for d, name in school_holidays("midden", date(year, 10, 1), date(year, 11, 5)).items()
        if name
    ]
    if not days:
        return date(year, 10, 19), date(year, 10, 23)
    return min(days), max(days)


def _all_day(ctx: DemoContext, hub: str, first: date, last: date, reason: str) -> Closure:
    return Closure(
        hub_id=ctx.hubs[hub].id,
        starts_at=day_bounds(first, TZ)[0],
        ends_at=day_bounds(last, TZ)[1],
        all_day=True,
        reason=reason,
    )


def _bookings(ctx: DemoContext, closures: list[Closure]) -> None:
    now = datetime.combine(ctx.today, time(7), tzinfo=TZ)
    holidays = school_holidays(
        "midden", ctx.today - timedelta(weeks=9), ctx.today + timedelta(weeks=9)
    )
    monday = monday_of(ctx.today)
    for number, visit in enumerate(VISITS):
        for week in WEEKS:
            if week % visit.every:
                continue
            day = monday + timedelta(weeks=week, days=visit.weekday)
            start, end = wall_start(day, visit.start, TZ), wall_start(day, visit.end, TZ)
            if _skipped(ctx, visit, day, start, end, holidays, closures):
                continue
            status, reason = _status(visit, week, number, start, now)
            _add_bundle(ctx, visit, start, end, status, reason, now, number)
    # One-off requests waiting for a coordinator.
    for number, (visit, day) in enumerate(
        [(HERMLE, monday + timedelta(days=8)), (VINYL, monday + timedelta(days=11))]
    ):
        start, end = wall_start(day, visit.start, TZ), wall_start(day, visit.end, TZ)
        _add_bundle(ctx, visit, start, end, BookingStatus.REQUESTED, "", now, number)


def _skipped(
    ctx: DemoContext,
    visit: Visit,
    day: date,
    start: datetime,
    end: datetime,
    holidays: dict[date, str],
    closures: list[Closure],
) -> bool:
    if visit.hub in ("technohub", "makerspace") and day in holidays:
        return True
    ids = {ctx.resources[f"{visit.hub}:{r}"].id for r in visit.resources}
    for closure in closures:
        if closure.hub_id != ctx.hubs[visit.hub].id or not (
            closure.starts_at < end and start < closure.ends_at
        ):
            continue
        if closure.reason == "Studiedag docenten" and visit.group == "3K-PIE":
            continue  # left in place: the coordinator's day shows it as hit by the study day
        if closure.resource_id is None or closure.resource_id in ids:
            return True
    return False


def _needs_approval(visit: Visit) -> bool:
    return visit.booker is not None and (
        visit.hub == "makerspace" or any(r in APPROVAL for r in visit.resources)
    )


APPROVAL = ("CNC-frees Hermle 5-assig", "Lasrobot Fanuc")


def _status(
    visit: Visit, week: int, number: int, start: datetime, now: datetime
) -> tuple[BookingStatus, str]:
    if (week, number) == (-2, 1):
        return BookingStatus.CANCELLED, "Toetsweek"
    if (week, number) == (1, 4):
        return BookingStatus.CANCELLED, "Stage-excursie"
    if _needs_approval(visit) and start > now and week <= 2:
        return BookingStatus.REQUESTED, ""
    return BookingStatus.CONFIRMED, ""


def _add_bundle(
    ctx: DemoContext,
    visit: Visit,
    start: datetime,
    end: datetime,
    status: BookingStatus,
    reason: str,
    now: datetime,
    number: int,
) -> None:
    from hubs.booking.services import allocate_id

    booker = ctx.users[visit.booker or COORDINATORS[visit.hub]]
    if status == BookingStatus.REQUESTED:
        created = now - timedelta(hours=30 - 3 * (number % 5))
        expires: datetime | None = min(created + timedelta(hours=72), start)
    else:
        created, expires = min(start, now) - timedelta(days=14), None
    lead_id = allocate_id()
    rows = [
        Booking(
            id=lead_id if offset == 0 else None,
            bundle_id=lead_id,
            hub_id=ctx.hubs[visit.hub].id,
            resource_id=ctx.resources[f"{visit.hub}:{name}"].id,
            organisation_id=ctx.organisations[visit.org].id,
            booked_by_id=booker.id,
            start_at=start,
            end_at=end,
            status=status,
            group_name=visit.group,
            group_size=visit.size,
            learner_category=visit.category,
            level=visit.level,
            purpose=visit.purpose,
            expires_at=expires,
            cancel_reason=reason,
            created_at=created,
            updated_at=created,
        )
        for offset, name in enumerate(visit.resources)
    ]
    db.session.add(rows[0])
    db.session.flush()
    db.session.add_all(rows[1:])
    db.session.flush()
    _history(ctx, visit, rows[0], status, now)


def _history(
    ctx: DemoContext, visit: Visit, lead: Booking, status: BookingStatus, now: datetime
) -> None:
    actor = ctx.users[visit.booker or COORDINATORS[visit.hub]].id
    coordinator = ctx.users[COORDINATORS[visit.hub]].id
    requested = _needs_approval(visit)
    db.session.add(
        BookingEvent(
            booking_id=lead.id,
            actor_id=actor,
            at=lead.created_at,
            action="requested" if requested else "booked",
            changes={"group_name": lead.group_name},
        )
    )
    if requested and status != BookingStatus.REQUESTED:
        db.session.add(
            BookingEvent(
                booking_id=lead.id,
                actor_id=coordinator,
                at=lead.created_at + timedelta(hours=3),
                action="approved",
            )
        )
    if status == BookingStatus.CANCELLED:
        db.session.add(
            BookingEvent(
                booking_id=lead.id,
                actor_id=actor,
                at=min(now, lead.start_at) - timedelta(days=1),
                action="cancelled",
                note=lead.cancel_reason,
            )
        )
