"""``flask notifications remind``: a reminder the day before, with the booking's ``.ics``
(the same UID as the feed); running it twice sends nothing twice."""

from __future__ import annotations

from hubs.booking import services
from tests.booking.helpers import at, booking_input, principal
from tests.calendar.helpers import make_feed, read, uid
from tests.helpers import queued_mail


def _book(app, world, day: str, start: str = "09:00", end: str = "10:00", **kw):
    with app.app_context():
        return services.book(
            booking_input([world.laser, world.room], at(day, start), at(day, end), **kw),
            principal(world.booker),
        ).id


def _remind(app, *args: str) -> str:
    result = app.test_cli_runner().invoke(args=["notifications", "remind", *args])
    assert result.exit_code == 0, result.output
    return result.output


def _reminders(app, world):
    return [m for m in queued_mail(app, world.booker.email) if m.kind == "reminder.booking"]


def test_tomorrows_booking_is_reminded_once_with_its_calendar_event(app, client, world):
    tomorrow = _book(app, world, "2026-03-03")
    _book(app, world, "2026-03-04")  # the day after: not yet
    cancelled = _book(app, world, "2026-03-03", "13:00", "14:00")
    with app.app_context():
        services.cancel_booking(cancelled, principal(world.booker))
    assert "1 queued" in _remind(app)
    (mail,) = _reminders(app, world)
    assert mail.subject == "Morgen om 09:00: Lasersnijder 1, Lokaal Techniek 1"
    assert "dinsdag 3 maart 2026" in mail.body_text and "09:00–10:00" in mail.body_text
    (attachment,) = mail.attachments
    assert attachment["content_type"] == "text/calendar; method=PUBLISH"
    event = read(attachment["content"])[uid(tomorrow)]
    feed = read(client.get(make_feed(app, world.booker, "mine")).data)
    assert (event.start, event.end, event.sequence) == (
        feed[uid(tomorrow)].start,
        feed[uid(tomorrow)].end,
        feed[uid(tomorrow)].sequence,
    )
    assert event.local_start == "09:00"
    # A second run (or one the next minute, or a cron job that ran twice) sends nothing.
    assert "0 queued" in _remind(app)
    assert "0 queued" in _remind(app, "--day", "2026-03-03")
    assert len(_reminders(app, world)) == 1


def test_a_booking_moved_to_another_time_is_reminded_again(app, world):
    booking_id = _book(app, world, "2026-03-03")
    _remind(app, "--day", "2026-03-03")
    with app.app_context():
        services.change_booking(
            booking_id,
            services.BookingChange(start=at("2026-03-03", "14:00"), end=at("2026-03-03", "15:00")),
            principal(world.booker),
        )
    assert "1 queued" in _remind(app, "--day", "2026-03-03")
    first, second = _reminders(app, world)
    assert "14:00" in second.subject
    event = read(second.attachments[0]["content"])[uid(booking_id)]
    assert event.local_start == "14:00" and event.sequence == 1


def test_a_deactivated_booker_gets_no_reminder(app, world, make):
    from hubs.accounts.services import deactivate_user

    _book(app, world, "2026-03-03")
    with app.app_context():
        deactivate_user(world.booker, make.user("manager"))
    assert "0 queued" in _remind(app, "--day", "2026-03-03")
    assert _reminders(app, world) == []


def test_reminders_follow_local_days_through_the_clock_change(app, world, clock):
    """Sunday 29 March 2026 is 23 hours long: "tomorrow" is still Monday's local day and
    the reminder's event keeps its wall-clock time."""
    from datetime import timedelta

    clock.shift(timedelta(days=27))
    early = _book(app, world, "2026-03-30", "08:00", "09:00")
    assert "1 queued" in _remind(app)  # tomorrow = Monday 30 March
    (mail,) = _reminders(app, world)
    assert read(mail.attachments[0]["content"])[uid(early)].local_start == "08:00"
    assert "0 queued" in _remind(app, "--day", "2026-03-29")


def test_the_record_of_old_reminders_is_purged(app, world, clock):
    from datetime import timedelta

    from sqlalchemy import func, select

    from hubs.calendar.models import SentReminder
    from hubs.extensions import db
    from hubs.privacy.services import purge

    _book(app, world, "2026-03-03")
    _remind(app, "--day", "2026-03-03")
    clock.shift(timedelta(days=59))
    with app.app_context():
        assert purge()["calendar_reminders"] == 0
    clock.shift(timedelta(days=3))  # 60 days after the start it announced
    with app.app_context():
        assert purge()["calendar_reminders"] == 1
        assert db.session.scalar(select(func.count()).select_from(SentReminder)) == 0
