"""Book a weekly series: judge every date, then book the free ones in one unit of work.

Every date becomes an ordinary booking bundle, written in the same transaction: the
database's no-overlap guarantee covers each of them, so two series racing for the same
dates never both get one. "All or nothing" refuses the whole series when a date is taken;
"the free dates" books the others and lists the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from flask_babel import lazy_gettext as _l

from hubs.access import Principal
from hubs.booking import calendar, idempotency, programmes, rules, services
from hubs.booking.errors import SlotTaken
from hubs.booking.models import Booking, BookingStatus, LearnerCategory, Level
from hubs.booking.services.book import plan_changes
from hubs.booking.services.common import expiry, flush
from hubs.db import transactional, utcnow
from hubs.errors import InvalidInput
from hubs.extensions import db
from hubs.licences import checks
from hubs.locations.models import Hub, Resource
from hubs.organisations.models import Organisation
from hubs.series import notify
from hubs.series.errors import SeriesConflict
from hubs.series.models import WEEKDAY_CODES, BookingSeries, OccurrenceState, SeriesOccurrence
from hubs.series.planning import Occurrence, Plan, judge, mark_unlicensed
from hubs.series.recurrence import MAX_OCCURRENCES, lesson, make_rule, rule_dates
from hubs.series.services.common import allocate_ids, lock_resources

MAX_DAYS = 366
MAX_ATTEMPTS = 3


@dataclass
class SeriesInput:
    """What a booker asks for, parsed (form or JSON). ``weekdays`` are codes ("tue");
    None means the weekday of the first start."""

    resource_ids: list[int]
    first_start: datetime
    first_end: datetime
    until: date | None
    interval_weeks: int | None = 1
    weekdays: list[str] | None = None
    group_name: str = ""
    group_size: int | None = None
    learner_category: str | None = None
    level: str | None = None
    purpose: str = ""
    notes: str = ""
    organisation_id: int | None = None
    skip_conflicts: bool = False
    learner_ids: list[int] | None = None
    learner_references: list[str] | None = None
    supervised: bool = False
    programme_id: int | None = None
    derive_programme: bool = True


@dataclass
class Prepared:
    """A checked request: where, for whom, and the dates of its rule."""

    hub: Hub
    tz: tzinfo
    resources: list[Resource]
    organisation: Organisation
    first_day: date
    start_time: time
    end_time: time
    until: date
    interval_weeks: int
    weekdays: list[int]
    rule: str
    dates: list[date]
    licence: checks.LicencePlan


def preview_series(data: SeriesInput, actor: Principal) -> Plan:
    """Every date of the series, judged free, conflict or skipped. Writes nothing.

    Raises InvalidInput (422, by field) or NotAllowed (403) like booking does."""
    prepared = prepare(data, actor, utcnow())
    return judge_dates(prepared, actor)


def book_series(
    data: SeriesInput, actor: Principal, claim: idempotency.Claim | None = None
) -> BookingSeries:
    """Book the series: all or nothing, or (``skip_conflicts``) the free dates only.

    Raises SeriesConflict (409, every date judged) when a date is taken and the booker
    asked for all or nothing, InvalidInput (422) or NotAllowed (403). A series needing
    approval is one request: its dates hold their time until a coordinator decides.
    """
    for _attempt in range(MAX_ATTEMPTS):
        try:
            return _book(data, actor, claim)
        except services.Overlap:
            # A rival committed one of our dates between our check and our insert (the
            # database refused it): judge again, now seeing the rival's bookings.
            plan = preview_series(data, actor)
            if plan.conflicts and not data.skip_conflicts:
                raise SeriesConflict(plan) from None
    raise SlotTaken(_l("Some dates were just booked by someone else. Please try again."))


@transactional
def _book(data: SeriesInput, actor: Principal, claim: idempotency.Claim | None) -> BookingSeries:
    if claim is not None:
        idempotency.claim(claim)
    lock_resources(data.resource_ids)
    now = utcnow()
    prepared = prepare(data, actor, now)
    plan = judge_dates(prepared, actor)
    _check_plan(plan, data.skip_conflicts)
    settings = calendar.hub_settings(prepared.hub.id)
    coordinator = actor.coordinates(prepared.hub.id)
    # The instructor's supervision of a class is confirmed by a coordinator: a request.
    needs_approval = rules.needs_approval(settings, prepared.resources)
    requested = (needs_approval or prepared.licence.supervised) and not coordinator
    series = _new_series(prepared, data, actor, now)
    db.session.add(series)
    db.session.flush()
    status = BookingStatus.REQUESTED if requested else BookingStatus.CONFIRMED
    leads = _add_dates(series, prepared, plan, data, actor, status, settings, now)
    flush()
    action = "requested" if requested else "booked"
    licence = plan_changes(prepared.licence)
    for lead in leads:
        checks.record_plan(
            lead.id, prepared.licence, confirmed_by=actor.user_id if coordinator else None
        )
        services.record(lead, actor.user_id, action, _created(series, lead) | licence)
    notify.series_booked(series, plan, requested, leads)
    if claim is not None:
        idempotency.complete(claim, 201, series)
    return series


def _check_plan(plan: Plan, skip_conflicts: bool) -> None:
    # Someone named without a valid licence on a date: a 422 naming them (as a single
    # booking), unless the booker asked for the free dates and some remain.
    if plan.licence_refusal is not None and not (skip_conflicts and plan.free):
        raise plan.licence_refusal
    if plan.conflicts and not (skip_conflicts and plan.free):
        if not plan.free:
            raise SeriesConflict(plan, _l("None of the dates is free. Nothing was booked."))
        raise SeriesConflict(plan)
    if not plan.free:
        raise InvalidInput(
            _l("Every date falls on a closure or a school holiday: there is nothing to book."),
            field="until",
        )


# --- checking the request --------------------------------------------------------------


def prepare(data: SeriesInput, actor: Principal, now: datetime) -> Prepared:
    """Check the request (every problem at once, by field) and compute its dates."""
    resources = rules.load_resources(data.resource_ids)
    hub = db.session.get(Hub, resources[0].hub_id)
    assert hub is not None
    tz = rules.calendar_tz(hub)
    start = data.first_start.astimezone(tz)
    errors = _time_errors(data, tz, now)
    weekdays = _weekdays(data.weekdays, start.date(), errors)
    errors.update(rules.group_errors(_as_booking(data), resources))
    errors.update(programmes.programme_errors(data.programme_id, hub.id, data.learner_category))
    if errors:
        raise InvalidInput(fields=errors)
    assert data.until is not None
    interval = int(data.interval_weeks or 1)
    rule = make_rule(interval, weekdays, data.until)
    dates = rule_dates(rule, start.date())
    if len(dates) > MAX_OCCURRENCES:
        raise InvalidInput(
            _l(
                "A series has at most %(max)d dates. Choose an earlier last date.",
                max=MAX_OCCURRENCES,
            ),
            field="until",
        )
    if not dates:
        raise InvalidInput(
            _l("No date from the first date to the last date falls on these weekdays."),
            field="weekdays",
        )
    organisation = rules.resolve_organisation(
        actor, hub, data.organisation_id, data.first_start, data.first_end
    )
    licence = checks.plan_people(
        _as_booking(data), resources, organisation.id, by_hub_staff=actor.coordinates(hub.id)
    )
    return Prepared(
        hub=hub,
        tz=tz,
        resources=resources,
        organisation=organisation,
        first_day=start.date(),
        start_time=start.time().replace(tzinfo=None),
        end_time=data.first_end.astimezone(tz).time().replace(tzinfo=None),
        until=data.until,
        interval_weeks=interval,
        weekdays=weekdays,
        rule=rule,
        dates=dates,
        licence=licence,
    )


def _time_errors(data: SeriesInput, tz: tzinfo, now: datetime) -> dict[str, list[Any]]:
    errors: dict[str, list[Any]] = {}
    start, end = data.first_start.astimezone(tz), data.first_end.astimezone(tz)
    if end <= start:
        errors["first_end"] = [_l("The end must be after the start.")]
    elif end.date() != start.date():
        errors["first_end"] = [_l("A lesson of a series ends on the day it starts.")]
    if data.first_start < now:
        errors["first_start"] = [_l("This time is in the past. Choose a time from now on.")]
    if data.until is None:
        errors["until"] = [_l("Give the last date of the series.")]
    elif data.until < start.date():
        errors["until"] = [_l("The last date cannot be before the first date.")]
    elif data.until > start.date() + timedelta(days=MAX_DAYS):
        errors["until"] = [_l("A series can run for at most a year.")]
    if data.interval_weeks is not None and not 1 <= data.interval_weeks <= 52:
        errors["interval_weeks"] = [_l("Every 1 to 52 weeks.")]
    return errors


def _weekdays(codes: list[str] | None, first_day: date, errors: dict[str, list[Any]]) -> list[int]:
    if not codes:
        return [first_day.weekday()]
    unknown = [c for c in codes if c not in WEEKDAY_CODES]
    if unknown:
        errors["weekdays"] = [_l("Use the weekdays mon, tue, wed, thu, fri, sat and sun.")]
        return []
    return sorted({WEEKDAY_CODES.index(c) for c in codes})


def _as_booking(data: SeriesInput) -> rules.BookingInput:
    return rules.BookingInput(
        resource_ids=data.resource_ids,
        start=data.first_start,
        end=data.first_end,
        group_name=data.group_name,
        group_size=data.group_size,
        learner_category=data.learner_category,
        level=data.level,
        purpose=data.purpose,
        notes=data.notes,
        learner_ids=data.learner_ids,
        learner_references=data.learner_references,
        supervised=data.supervised,
    )


def judge_dates(prepared: Prepared, actor: Principal) -> Plan:
    lessons = [
        (day, lesson(day, prepared.start_time, prepared.end_time, prepared.tz))
        for day in prepared.dates
    ]
    plan = judge(prepared.hub, prepared.resources, prepared.organisation, lessons, actor)
    licence = prepared.licence
    mark_unlicensed(
        plan, checks.refusals_by_day(licence.learner_ids, licence.kinds, prepared.dates)
    )
    return plan


# --- writing ---------------------------------------------------------------------------


def _new_series(
    prepared: Prepared, data: SeriesInput, actor: Principal, now: datetime
) -> BookingSeries:
    return BookingSeries(
        hub_id=prepared.hub.id,
        organisation_id=prepared.organisation.id,
        booked_by_id=actor.user_id,
        resource_ids=[r.id for r in prepared.resources],
        rule=prepared.rule,
        timezone=prepared.hub.timezone or "Europe/Amsterdam",
        first_day=prepared.first_day,
        until=prepared.until,
        start_time=prepared.start_time,
        end_time=prepared.end_time,
        interval_weeks=prepared.interval_weeks,
        weekdays=",".join(WEEKDAY_CODES[d] for d in prepared.weekdays),
        group_name=data.group_name.strip(),
        group_size=data.group_size,
        learner_category=LearnerCategory(data.learner_category or ""),
        level=Level(data.level) if data.level else None,
        purpose=(data.purpose or "").strip(),
        programme_id=_programme(data, prepared),
        created_at=now,
        updated_at=now,
    )


def _add_dates(
    series: BookingSeries,
    prepared: Prepared,
    plan: Plan,
    data: SeriesInput,
    actor: Principal,
    status: BookingStatus,
    settings: calendar.SettingsView,
    now: datetime,
) -> list[Booking]:
    """A bundle per free date (ids handed out first: no UPDATE after the INSERT) and an
    occurrence row per date of the rule."""
    ids = iter(allocate_ids(len(plan.free) * len(prepared.resources)))
    leads: list[Booking] = []
    for occurrence in plan.occurrences:
        lead_id = None
        if occurrence.is_free:
            rows = [
                _row(series, occurrence, r.id, data, actor, status, settings, now, next(ids))
                for r in prepared.resources
            ]
            for row in rows:
                row.bundle_id = rows[0].id
            db.session.add_all(rows)
            leads.append(rows[0])
            lead_id = rows[0].id
        db.session.add(
            SeriesOccurrence(
                series_id=series.id,
                on_date=occurrence.day,
                state=_state(occurrence),
                booking_id=lead_id,
                reason=occurrence.reason[:300],
            )
        )
    return leads


def _state(occurrence: Occurrence) -> OccurrenceState:
    if occurrence.is_free:
        return OccurrenceState.BOOKED
    if occurrence.state == "skipped":
        return OccurrenceState.SKIPPED
    return OccurrenceState.CONFLICT


def _row(
    series: BookingSeries,
    occurrence: Occurrence,
    resource_id: int,
    data: SeriesInput,
    actor: Principal,
    status: BookingStatus,
    settings: calendar.SettingsView,
    now: datetime,
    row_id: int,
) -> Booking:
    assert occurrence.start is not None and occurrence.end is not None
    requested = status == BookingStatus.REQUESTED
    return Booking(
        id=row_id,
        hub_id=series.hub_id,
        resource_id=resource_id,
        organisation_id=series.organisation_id,
        booked_by_id=actor.user_id,
        start_at=occurrence.start,
        end_at=occurrence.end,
        status=status,
        group_name=series.group_name,
        group_size=series.group_size,
        learner_category=series.learner_category,
        level=series.level,
        purpose=series.purpose,
        programme_id=series.programme_id,
        notes=(data.notes or "").strip(),
        expires_at=expiry(settings, now, occurrence.start) if requested else None,
        created_at=now,
        updated_at=now,
    )


def _created(series: BookingSeries, lead: Booking) -> dict[str, Any]:
    return {
        "series_id": series.id,
        "resource_ids": list(series.resource_ids),
        "organisation_id": lead.organisation_id,
        "start": lead.start_at.isoformat(),
        "end": lead.end_at.isoformat(),
        "group_name": lead.group_name,
        "group_size": lead.group_size,
        "status": lead.status.value,
    }


def _programme(data: SeriesInput, prepared: Prepared) -> int | None:
    """The named programme, or (unless the series says none) the organisation's only one."""
    if data.programme_id is not None or not data.derive_programme:
        return data.programme_id
    return programmes.derived_programme(
        prepared.organisation.id, prepared.hub.id, data.first_start, data.learner_category
    )
