"""Changing and cancelling a series: one date, this date and the following, or all; only
coming dates change, each moved date is checked again, and closures hit series dates like
any booking."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from hubs.booking import closures
from hubs.booking.models import Booking, BookingStatus
from hubs.errors import NotAllowed
from hubs.extensions import db
from hubs.mail.models import OutboxMessage
from hubs.mail.services import compose_pending
from hubs.series.errors import SeriesChangeRefused
from hubs.series.services import SeriesChange, book_series, cancel_series, change_series
from tests.booking.helpers import AMS, at, principal, raw_booking
from tests.learners.conftest import learn  # noqa: F401
from tests.series.helpers import series_input


def _series(world, until="2026-03-31", **kw):
    # Five Tuesdays: 3, 10, 17, 24 and 31 March 2026.
    data = series_input([world.room, world.laser], "2026-03-03", "09:00", "11:00", until, **kw)
    return book_series(data, principal(world.booker))


def _leads(series_id: int) -> list[Booking]:
    from hubs.series.models import SeriesOccurrence

    db.session.expire_all()
    return list(
        db.session.scalars(
            select(Booking)
            .join(SeriesOccurrence, SeriesOccurrence.booking_id == Booking.id)
            .where(SeriesOccurrence.series_id == series_id)
            .order_by(Booking.start_at)
        )
    )


def _statuses(series_id: int) -> list[str]:
    return [b.status.value for b in _leads(series_id)]


def _bundle_statuses(lead: Booking) -> set[str]:
    rows = db.session.scalars(select(Booking).where(Booking.bundle_id == lead.id)).all()
    return {r.status.value for r in rows}


def _kinds() -> list[str]:
    return list(db.session.scalars(select(OutboxMessage.kind).order_by(OutboxMessage.id)))


def test_cancel_one_date_leaves_the_others(ctx, world):
    series = _series(world)
    leads = _leads(series.id)
    cancel_series(series.id, "occurrence", leads[2].id, principal(world.booker))
    assert _statuses(series.id) == ["confirmed"] * 2 + ["cancelled"] + ["confirmed"] * 2
    assert _bundle_statuses(_leads(series.id)[2]) == {"cancelled"}, "the whole bundle"


def test_cancel_this_and_following(ctx, world):
    series = _series(world)
    leads = _leads(series.id)
    selection = cancel_series(
        series.id, "following", leads[2].id, principal(world.booker), "Project klaar"
    )
    assert len(selection.changed) == 3
    assert _statuses(series.id) == ["confirmed"] * 2 + ["cancelled"] * 3
    assert all(_bundle_statuses(b) == {"cancelled"} for b in _leads(series.id)[2:])
    # One message for the booking and one for the cancellation, listing the three dates.
    assert _kinds() == ["booking.series_booked", "booking.series_cancelled"]
    compose_pending()
    body = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    assert body.body_text.count("\n- ") >= 3
    assert "Project klaar" in body.body_text


def test_cancel_all_only_touches_coming_dates(ctx, world, clock):
    series = _series(world)
    # It is now Wednesday 11 March: the first two lessons are past.
    clock.move_to(at("2026-03-11", "12:00"))
    cancel_series(series.id, "all", None, principal(world.booker))
    assert _statuses(series.id) == ["confirmed"] * 2 + ["cancelled"] * 3


def test_another_organisation_cannot_cancel_the_series(ctx, world):
    series = _series(world)
    with pytest.raises(NotAllowed):
        cancel_series(series.id, "all", None, principal(world.other_booker))
    assert _statuses(series.id) == ["confirmed"] * 5


def test_move_this_and_following_to_a_new_local_time(ctx, world):
    series = _series(world)
    leads = _leads(series.id)
    change_series(
        series.id,
        "following",
        leads[3].id,
        SeriesChange(
            start_time=at("2026-03-03", "13:00").astimezone(AMS).time(),
            end_time=at("2026-03-03", "15:00").astimezone(AMS).time(),
        ),
        principal(world.booker),
    )
    following = _split_off(series.id)
    local = [b.start_at.astimezone(AMS) for b in _leads(series.id) + _leads(following.id)]
    assert [t.hour for t in local] == [9, 9, 9, 13, 13]
    # 31 March is after the clock change: still 13:00 local, on its own Tuesday.
    assert local[4].date() == date(2026, 3, 31) and local[4].hour == 13
    assert _kinds()[-1] == "booking.series_changed"


def _split_off(series_id):
    from hubs.series.models import BookingSeries

    db.session.expire_all()
    return db.session.scalar(select(BookingSeries).where(BookingSeries.id != series_id))


def test_a_time_change_for_this_and_following_splits_the_series(ctx, world):
    from datetime import time

    from hubs.series.models import BookingSeries, SeriesOccurrence
    from hubs.series.recurrence import rule_dates

    series = _series(world)
    leads = _leads(series.id)
    selection = change_series(
        series.id,
        "following",
        leads[3].id,
        SeriesChange(start_time=time(13), end_time=time(15), group_name="3K-BWI"),
        principal(world.booker),
    )
    old = db.session.get(BookingSeries, series.id)
    new = _split_off(series.id)
    assert selection.series_id == new.id
    # The earlier dates keep the series with its old time, group and a rule ending on 17 March.
    assert (old.start_time, old.end_time, old.group_name) == (time(9), time(11), "3K-PIE")
    assert (old.first_day, old.until) == (date(2026, 3, 3), date(2026, 3, 17))
    assert rule_dates(old.rule, old.first_day) == [date(2026, 3, d) for d in (3, 10, 17)]
    assert [b.start_at.astimezone(AMS).hour for b in _leads(old.id)] == [9, 9, 9]
    # The following dates are a series of their own, carrying the new time.
    assert (new.start_time, new.end_time, new.group_name) == (time(13), time(15), "3K-BWI")
    assert (new.first_day, new.until) == (date(2026, 3, 24), date(2026, 3, 31))
    assert rule_dates(new.rule, new.first_day) == [date(2026, 3, 24), date(2026, 3, 31)]
    assert (new.organisation_id, new.resource_ids) == (old.organisation_id, old.resource_ids)
    days = db.session.scalars(
        select(SeriesOccurrence.on_date).where(SeriesOccurrence.series_id == new.id)
    ).all()
    assert sorted(days) == [date(2026, 3, 24), date(2026, 3, 31)]
    assert [b.start_at.astimezone(AMS).hour for b in _leads(new.id)] == [13, 13]


def test_changing_from_the_first_date_on_changes_the_series_itself(ctx, world):
    from datetime import time

    from hubs.series.models import BookingSeries

    series = _series(world)
    leads = _leads(series.id)
    selection = change_series(
        series.id,
        "following",
        leads[0].id,
        SeriesChange(start_time=time(13), end_time=time(15)),
        principal(world.booker),
    )
    assert selection.series_id == series.id
    assert db.session.scalar(select(func.count()).select_from(BookingSeries)) == 1
    db.session.expire_all()
    assert (series.start_time, series.until) == (time(13), date(2026, 3, 31))


def test_a_move_onto_a_taken_time_changes_nothing(ctx, world):
    series = _series(world)
    raw_booking(
        ctx, world.laser, world.other_org, at("2026-03-24", "13:00"), at("2026-03-24", "14:00")
    )
    from datetime import time

    with pytest.raises(SeriesChangeRefused) as refused:
        change_series(
            series.id,
            "all",
            None,
            SeriesChange(start_time=time(13), end_time=time(15)),
            principal(world.booker),
        )
    assert [o["date"] for o in refused.value.details["occurrences"]] == ["2026-03-24"]
    assert {b.start_at.astimezone(AMS).hour for b in _leads(series.id)} == {9}


def test_a_move_outside_the_opening_hours_changes_nothing(ctx, world):
    from datetime import time

    series = _series(world)
    with pytest.raises(SeriesChangeRefused):
        change_series(
            series.id,
            "all",
            None,
            SeriesChange(start_time=time(16), end_time=time(18)),
            principal(world.booker),
        )
    assert {b.start_at.astimezone(AMS).hour for b in _leads(series.id)} == {9}


def test_change_the_group_of_the_whole_series(ctx, world):
    series = _series(world)
    change_series(
        series.id,
        "all",
        None,
        SeriesChange(group_name="3K-BWI", group_size=3),
        principal(world.booker),
    )
    assert {(b.group_name, b.group_size) for b in _leads(series.id)} == {("3K-BWI", 3)}
    db.session.expire_all()
    assert series.group_name == "3K-BWI"


def test_a_hub_closure_hits_series_dates_like_any_booking(ctx, world):
    series = _series(world)
    closures.add_hub_closure(
        world.hub.id,
        date(2026, 3, 17),
        date(2026, 3, 17),
        "Studiedag",
        principal(world.coordinator),
    )
    hit = closures.hub_conflicts(world.hub)
    lead = _leads(series.id)[2]
    assert lead.id in {c.lead.id for c in hit}


def test_a_coordinator_can_cancel_a_date_of_a_series(ctx, world):
    series = _series(world)
    lead = _leads(series.id)[1]
    cancel_series(series.id, "occurrence", lead.id, principal(world.coordinator), "Machine kapot")
    assert _statuses(series.id)[1] == BookingStatus.CANCELLED.value


def test_the_split_off_series_keeps_the_programme(ctx, world, learn):  # noqa: F811
    from datetime import time

    from hubs.db import write_transaction
    from hubs.series.models import BookingSeries

    programme = learn.programme(world.hub, "Techniek bovenbouw")
    series = _series(world)
    with write_transaction():
        db.session.get(BookingSeries, series.id).programme_id = programme.id
    leads = _leads(series.id)
    change_series(
        series.id,
        "following",
        leads[3].id,
        SeriesChange(start_time=time(13), end_time=time(15)),
        principal(world.booker),
    )
    new = _split_off(series.id)
    assert new.programme_id == programme.id
