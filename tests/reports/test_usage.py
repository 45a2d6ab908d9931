"""The use report against hours worked out by hand on a small hub (Mon–Fri 08:00–17:00)."""

from __future__ import annotations

from datetime import date, timedelta

from tests.booking.helpers import at, principal

# School year 2025/26; "now" is Monday 2 March 2026, 09:00 (the booking tests' clock).
QUERY = {"from": "2025", "to": "2025"}


def _weekdays(first: date, last: date) -> int:
    days = (last - first).days + 1
    return sum(1 for n in range(days) if (first + timedelta(days=n)).weekday() < 5)


OPEN_HOURS = 9.0 * _weekdays(date(2025, 8, 1), date(2026, 7, 31))


def _report(app, **args):
    from hubs.reports.options import parse_options
    from hubs.reports.scope import EVERYTHING
    from hubs.reports.usage import usage_report

    with app.test_request_context():
        return usage_report(parse_options({**QUERY, **args}), EVERYTHING)


def _by_resource(report):
    return {r.resource: r.use for r in report.resources}


def test_booked_and_realised_hours_per_resource_against_opening_hours(app, used):
    report = _report(app)
    uses = _by_resource(report)
    assert (uses["Lasersnijder 1"].booked, uses["Lasersnijder 1"].realised) == (5.0, 5.0)
    assert (uses["Lasersnijder 2"].booked, uses["Lasersnijder 2"].realised) == (4.0, 0.0)
    assert (uses["Lokaal Techniek 1"].booked, uses["Lokaal Techniek 1"].realised) == (3.0, 3.0)
    assert uses["Lasersnijder 1"].available == OPEN_HOURS
    assert uses["Lasersnijder 1"].booked_pct == round(5 / OPEN_HOURS * 100, 1)
    # Nothing recorded yet: every visit that took place counts as realised, no no-shows.
    assert uses["Lasersnijder 1"].no_shows == 0


def test_hub_totals_add_resource_hours_and_count_visits_once(app, used):
    report = _report(app)
    ((name, hub),) = report.hubs
    assert hub.booked == 12.0 and hub.realised == 8.0
    assert hub.available == 3 * OPEN_HOURS
    assert hub.visits == 3 and hub.participants == 20 + 2 + 20
    assert hub.booked_pct == round(12 / (3 * OPEN_HOURS) * 100, 1)
    assert report.total.booked == 12.0


def test_hours_by_kind_of_organisation_and_by_month(app, used):
    report = _report(app)
    kinds = {kind.value: use for kind, use in report.kinds}
    assert kinds["vo_school"].booked == 6.0 and kinds["vo_school"].visits == 2
    assert kinds["company"].booked == 6.0 and kinds["company"].visits == 1
    months = {f"{y}-{m:02d}": use for (y, m), use in report.months}
    assert len(months) == 12 and months["2026-02"].booked == 8.0
    assert months["2026-03"].booked == 4.0 and months["2026-03"].realised == 0.0
    assert months["2025-09"].booked == 0.0
    feb = 9.0 * _weekdays(date(2026, 2, 1), date(2026, 2, 28)) * 3
    assert months["2026-02"].available == feb


def test_most_and_least_used_machines(app, used):
    report = _report(app)
    assert [r.resource for r in report.most_used] == ["Lasersnijder 1", "Lasersnijder 2"]
    assert report.least_used == []  # two machines: both are in the first list


def test_a_hub_closure_and_maintenance_lower_the_hours_available(app, used):
    from hubs.booking.models import Closure
    from hubs.db import write_transaction
    from hubs.extensions import db

    world = used[0]
    with app.app_context(), write_transaction():
        db.session.add_all(
            [
                Closure(
                    hub_id=world.hub.id,
                    starts_at=at("2026-02-02", "00:00"),
                    ends_at=at("2026-02-03", "00:00"),
                    reason="Studiedag",
                ),
                Closure(
                    hub_id=world.hub.id,
                    resource_id=world.laser2.id,
                    starts_at=at("2026-02-04", "08:00"),
                    ends_at=at("2026-02-04", "12:00"),
                    all_day=False,
                    reason="Onderhoud",
                ),
            ]
        )
    uses = _by_resource(_report(app))
    assert uses["Lasersnijder 1"].available == OPEN_HOURS - 9
    assert uses["Lasersnijder 2"].available == OPEN_HOURS - 9 - 4


def test_a_coordinator_sees_only_their_hubs(app, used, make):
    from hubs.reports.options import parse_options
    from hubs.reports.scope import ReportScope
    from hubs.reports.usage import usage_report

    other = make.hub(name="Andere hub")
    with app.test_request_context():
        report = usage_report(parse_options(QUERY), ReportScope(hub_ids=frozenset({other.id})))
    assert [name for name, _use in report.hubs] == ["Andere hub"]
    assert all(r.hub == "Andere hub" for r in report.resources)
    assert report.total.booked == 0.0


def _record(app, world, booking_id, **data):
    from hubs.attendance.services import AttendanceInput, record_attendance

    with app.app_context():
        record_attendance(principal(world.coordinator), booking_id, AttendanceInput(**data))


def test_recorded_attendance_makes_no_shows_and_lowers_realised_hours(app, used):
    world, school, company = used
    _record(app, world, school, present=18)
    _record(app, world, company, present=0)
    report = _report(app)
    uses = _by_resource(report)
    assert (uses["Lasersnijder 1"].realised, uses["Lasersnijder 1"].no_shows) == (2.0, 1)
    assert (uses["Lokaal Techniek 1"].realised, uses["Lokaal Techniek 1"].no_shows) == (0.0, 1)
    assert uses["Lasersnijder 2"].no_shows == 0
    ((_name, hub),) = report.hubs
    assert hub.no_shows == 1 and hub.realised == 2.0
    assert report.total.no_shows == 1
    kinds = {kind.value: use for kind, use in report.kinds}
    assert kinds["company"].no_shows == 1 and kinds["vo_school"].no_shows == 0


def test_a_corrected_register_is_no_longer_a_no_show(app, used):
    world, _school, company = used
    _record(app, world, company, present=0)
    _record(app, world, company, present=2)
    ((_name, hub),) = _report(app).hubs
    assert hub.no_shows == 0 and hub.realised == 8.0
