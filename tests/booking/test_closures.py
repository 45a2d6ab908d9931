"""Closures, maintenance windows, holidays, shorter hours and ended memberships: the
bookings they hit, and the coordinator cancelling (mail with a rebook link) or keeping them."""

from __future__ import annotations

from datetime import date, time

import pytest
from sqlalchemy import select, update

from hubs.booking import closures, configuration, services
from hubs.booking.models import Booking, BookingStatus, Closure
from hubs.db import write_transaction
from hubs.errors import InvalidInput, NotAllowed
from hubs.extensions import db
from hubs.locations.models import OpeningHours
from hubs.mail.models import OutboxMessage
from hubs.mail.services import compose_pending, deliver_pending
from hubs.organisations.models import Membership
from tests.booking.helpers import at, booking_input, principal
from tests.helpers import PASSWORD
from tests.smtp import text_body

THU = "2026-03-05"


def _book(world, resources, day=THU, start="09:00", end="10:00", user=None):
    return services.book(
        booking_input(resources, at(day, start), at(day, end), group_size=4),
        principal(user or world.booker),
    )


def test_a_hub_closure_lists_the_bookings_it_hits(ctx, world):
    hit = _book(world, [world.room, world.laser])
    other_day = _book(world, [world.laser], day="2026-03-06")
    closure = closures.add_hub_closure(
        world.hub.id, date(2026, 3, 5), date(2026, 3, 5), "Studiedag", principal(world.coordinator)
    )
    assert closure.starts_at == at(THU, "00:00") and closure.ends_at == at("2026-03-06", "00:00")
    found = closures.hub_conflicts(db.session.get(type(world.hub), world.hub.id))
    assert [c.lead.id for c in found] == [hit.id]
    assert [h.text for h in found[0].hits] == ["Sluiting: Studiedag"]
    assert other_day.id not in [c.lead.id for c in found]


def test_cancelling_hit_bookings_mails_each_booker_a_rebook_link(ctx, world):
    hit = _book(world, [world.laser])
    theirs = _book(world, [world.laser2], user=world.other_booker)
    closure = closures.add_hub_closure(
        world.hub.id,
        date(2026, 3, 5),
        date(2026, 3, 6),
        "Storing verwarming",
        principal(world.coordinator),
    )
    hub = db.session.get(type(world.hub), world.hub.id)
    assert len(closures.hub_conflicts(hub, key=f"closure:{closure.id}")) == 2
    done = closures.resolve(hub, [hit.id, theirs.id], "cancel", "", principal(world.coordinator))
    assert done == 2
    assert {b.status for b in db.session.scalars(select(Booking))} == {BookingStatus.CANCELLED}
    compose_pending()
    mails = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "booking.cancelled")
    ).all()
    assert {m.to_address for m in mails} == {world.booker.email, world.other_booker.email}
    for mail in mails:
        assert "Storing verwarming" in mail.body_text
        assert f"http://hubs.test/hubs/{world.hub.id}/week?date=2026-03-05" in mail.body_text
    assert closures.hub_conflicts(hub) == []


def test_a_kept_booking_stays_and_shows_again_for_a_new_conflict(ctx, world):
    kept = _book(world, [world.laser])
    coordinator = principal(world.coordinator)
    closures.add_hub_closure(
        world.hub.id, date(2026, 3, 5), date(2026, 3, 5), "Open dag", coordinator
    )
    hub = db.session.get(type(world.hub), world.hub.id)
    assert closures.resolve(hub, [kept.id], "keep", "", coordinator) == 1
    assert closures.hub_conflicts(hub) == []
    assert db.session.get(Booking, kept.id).status == BookingStatus.CONFIRMED
    closures.add_maintenance(
        world.hub.id,
        world.laser.id,
        at(THU, "08:00"),
        at(THU, "12:00"),
        "Lens vervangen",
        coordinator,
    )
    (conflict,) = closures.hub_conflicts(hub)
    assert [h.text for h in conflict.hits] == ["Onderhoud van Lasersnijder 1: Lens vervangen"]


def test_maintenance_hits_only_bookings_of_that_resource(ctx, world):
    with_laser = _book(world, [world.room, world.laser])
    _book(world, [world.laser2], user=world.other_booker)
    closures.add_maintenance(
        world.hub.id,
        world.laser.id,
        at(THU, "09:30"),
        at(THU, "11:00"),
        "Onderhoud",
        principal(world.coordinator),
    )
    hub = db.session.get(type(world.hub), world.hub.id)
    assert [c.lead.id for c in closures.hub_conflicts(hub)] == [with_laser.id]


def test_school_holidays_shorter_hours_and_ended_memberships_hit_bookings(ctx, world):
    autumn = _book(world, [world.laser], day="2026-10-20")  # herfstvakantie midden 2026
    late = _book(world, [world.laser], day="2026-03-12", start="16:00", end="17:00")
    theirs = _book(world, [world.laser2], day="2026-04-01", user=world.other_booker)
    hub = db.session.get(type(world.hub), world.hub.id)
    assert closures.hub_conflicts(hub) == []
    configuration.save_settings(
        world.hub.id,
        configuration.SettingsInput(False, False, 24, 72, True, "midden", []),
        principal(world.coordinator),
    )
    with write_transaction():
        db.session.execute(
            update(OpeningHours)
            .where(OpeningHours.hub_id == world.hub.id, OpeningHours.weekday == 3)
            .values(closes_at=time(15, 0))
        )
        db.session.execute(
            update(Membership)
            .where(Membership.organisation_id == world.other_org.id)
            .values(ends_on=date(2026, 3, 31))
        )
    found = {c.lead.id: [h.text for h in c.hits] for c in closures.hub_conflicts(hub)}
    assert found == {
        autumn.id: ["Schoolvakantie: Herfstvakantie"],
        late.id: ["Buiten de openingstijden"],
        theirs.id: ["Het lidmaatschap van de organisatie loopt dan niet"],
    }


def test_only_coordinators_of_the_hub_manage_closures(ctx, world, make):
    with pytest.raises(NotAllowed):
        closures.add_hub_closure(
            world.hub.id, date(2026, 3, 5), date(2026, 3, 5), "x", principal(world.booker)
        )
    with pytest.raises(InvalidInput) as refused:
        closures.add_hub_closure(
            world.hub.id, date(2026, 3, 6), date(2026, 3, 5), "x", principal(world.coordinator)
        )
    assert refused.value.field == "last_day"
    with pytest.raises(InvalidInput, match="reden"):
        closures.add_hub_closure(
            world.hub.id, date(2026, 3, 5), date(2026, 3, 5), " ", principal(world.coordinator)
        )
    assert db.session.scalar(select(Closure.id)) is None


ICS = b"""BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Groene Hart College//Jaarplanning//NL
BEGIN:VEVENT
UID:studiedag-1@school
DTSTAMP:20260101T000000Z
DTSTART;VALUE=DATE:20260305
DTEND;VALUE=DATE:20260306
SUMMARY:Studiedag
END:VEVENT
BEGIN:VEVENT
UID:kerst@school
DTSTAMP:20260101T000000Z
DTSTART;VALUE=DATE:20261221
DTEND;VALUE=DATE:20270102
SUMMARY:Kerstsluiting
END:VEVENT
BEGIN:VEVENT
UID:inspectie@school
DTSTAMP:20260101T000000Z
DTSTART:20260310T120000Z
DTEND:20260310T140000Z
SUMMARY:Inspectie installaties
END:VEVENT
BEGIN:VEVENT
UID:teamoverleg@school
DTSTAMP:20260101T000000Z
DTSTART;TZID=Europe/Amsterdam:20260316T150000
DTEND;TZID=Europe/Amsterdam:20260316T170000
RRULE:FREQ=WEEKLY;COUNT=3
SUMMARY:Teamoverleg
END:VEVENT
END:VCALENDAR
"""


def test_closures_are_imported_from_an_ics_file_once(ctx, world):
    hit = _book(world, [world.laser])
    coordinator = principal(world.coordinator)
    result = closures.import_closures(world.hub.id, ICS, coordinator)
    assert len(result.added) == 6 and result.already_known == 0
    rows = db.session.scalars(select(Closure).order_by(Closure.starts_at)).all()
    assert [(r.reason, r.all_day) for r in rows][:2] == [
        ("Studiedag", True),
        ("Inspectie installaties", False),
    ]
    christmas = next(r for r in rows if r.reason == "Kerstsluiting")
    assert christmas.starts_at == at("2026-12-21", "00:00") and christmas.ends_at == at(
        "2027-01-02", "00:00"
    )
    meetings = [r for r in rows if r.reason == "Teamoverleg"]
    assert [m.starts_at for m in meetings] == [
        at("2026-03-16", "15:00"),
        at("2026-03-23", "15:00"),
        at("2026-03-30", "15:00"),
    ]
    again = closures.import_closures(world.hub.id, ICS, coordinator)
    assert again.added == [] and again.already_known == 6
    hub = db.session.get(type(world.hub), world.hub.id)
    assert [c.lead.id for c in closures.hub_conflicts(hub)] == [hit.id]
    with pytest.raises(InvalidInput) as refused:
        closures.import_closures(world.hub.id, b"this is not a calendar", coordinator)
    assert refused.value.field == "file"


@pytest.fixture
def app_config(smtp_server):
    return dict(smtp_server.config())


def test_a_coordinator_closes_a_day_in_the_browser_and_the_booker_gets_mail(
    app, world, login, smtp_server
):
    with app.app_context():
        booking_id = _book(world, [world.room, world.laser]).id
        deliver_pending()
    client = app.test_client()
    login(client, world.coordinator, PASSWORD)
    page = client.get(f"/hubs/{world.hub.id}/closures")
    assert page.status_code == 200 and "De hub sluiten" in page.get_data(as_text=True)
    added = client.post_form(
        f"/hubs/{world.hub.id}/closures",
        {"first_day": "2026-03-05", "last_day": "2026-03-05", "reason": "Studiedag"},
    )
    assert added.status_code == 302 and "/conflicts?closure=" in added.headers["Location"]
    listing = client.get(added.headers["Location"]).get_data(as_text=True)
    assert "Sluiting: Studiedag" in listing and "Groene Hart College" in listing
    done = client.post_form(
        added.headers["Location"], {"booking_ids": booking_id, "action": "cancel", "reason": ""}
    )
    assert done.status_code == 302
    assert "1 boeking geannuleerd" in client.get(done.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        deliver_pending()
    (mail,) = [m for m in smtp_server.to(world.booker.email) if "geannuleerd" in m["Subject"]]
    body = text_body(mail)
    assert "Studiedag" in body and "Lokaal Techniek 1, Lasersnijder 1" in body
    assert f"http://hubs.test/hubs/{world.hub.id}/week?date=2026-03-05" in body


def _hours_form(day_hours: dict[int, tuple[str, str]]) -> dict[str, str]:
    data = {}
    for day in range(7):
        opens, closes = day_hours.get(day, ("", ""))
        data[f"day{day}_opens1"], data[f"day{day}_closes1"] = opens, closes
        data[f"day{day}_opens2"], data[f"day{day}_closes2"] = "", ""
    return data


def test_shorter_hours_a_retired_machine_and_an_ended_membership_lead_to_the_hits(
    app, world, login
):
    with app.app_context():
        late = _book(world, [world.room], day="2026-03-12", start="16:00", end="17:00")
        theirs = _book(world, [world.laser2], day="2026-04-01", user=world.other_booker)
        on_laser = _book(world, [world.laser], day="2026-03-10")
    client = app.test_client()
    login(client, world.coordinator, PASSWORD)

    # Nothing hit: the page goes where it always goes.
    same = client.post_form(
        f"/hubs/{world.hub.id}/hours", _hours_form({d: ("08:00", "17:00") for d in range(5)})
    )
    assert same.status_code == 302 and "/conflicts" not in same.headers["Location"]

    shorter = client.post_form(
        f"/hubs/{world.hub.id}/hours",
        _hours_form({**{d: ("08:00", "17:00") for d in range(5)}, 3: ("08:00", "15:00")}),
    )
    assert shorter.headers["Location"].endswith(f"/hubs/{world.hub.id}/conflicts")
    page = client.get(shorter.headers["Location"]).get_data(as_text=True)
    assert "1 komende boeking wordt geraakt door deze wijziging" in page
    assert "Buiten de openingstijden" in page and f'value="{late.id}"' in page

    with app.app_context():
        membership = db.session.scalars(
            select(Membership).where(Membership.organisation_id == world.other_org.id)
        ).first()
    ended = client.post_form(
        f"/memberships/{membership.id}/edit", {"starts_on": "2020-08-01", "ends_on": "2026-03-31"}
    )
    assert ended.headers["Location"].endswith("/conflicts")
    page = client.get(ended.headers["Location"]).get_data(as_text=True)
    assert "Het lidmaatschap van de organisatie loopt dan niet" in page
    assert f'value="{theirs.id}"' in page

    retired = client.post_form(f"/resources/{world.laser.id}/retire", {"confirm": "yes"})
    assert retired.headers["Location"].endswith("/conflicts")
    page = client.get(retired.headers["Location"]).get_data(as_text=True)
    assert "Niet meer in gebruik: Lasersnijder 1" in page and f'value="{on_laser.id}"' in page
