"""A weekly series on a machine that needs a licence follows the single booking's rule on
every date: a licence expiring mid-term makes the later dates conflicts (preview), all or
nothing refuses with a 422 naming the people, a school class is a supervised request the
coordinator confirms, and moving the dates re-checks the licences (both databases)."""

from __future__ import annotations

from datetime import date, time

import pytest
from sqlalchemy import func, select

from hubs.booking.models import Booking, BookingStatus
from hubs.errors import InvalidInput
from hubs.extensions import db
from hubs.licences.checks import LicenceMissing
from hubs.licences.models import BookingLicenceHolder, BookingSupervision
from hubs.licences.services import revoke_licence
from hubs.series import services
from hubs.series.errors import SeriesChangeRefused
from tests.booking.helpers import principal
from tests.licences.conftest import give, lw
from tests.series.helpers import series_input

__all__ = ["lw"]

# Tuesdays 3 to 31 March 2026; Anna's licence ends on Friday 20 March.
FIRST, UNTIL, EXPIRES = "2026-03-03", "2026-03-31", date(2026, 3, 20)


def _employees(lw, **kw):
    values = {
        "group_name": "Team frezen",
        "group_size": 2,
        "learner_category": "employee",
        "level": None,
        "organisation_id": lw.base.other_org.id,
    }
    values.update(kw)
    return series_input([lw.cnc], FIRST, "09:00", "11:00", UNTIL, **values)


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_preview_marks_the_dates_after_the_expiry_with_the_reason(app, lw):
    give(lw.anna, "cnc", date(2025, 6, 1), EXPIRES, app)
    with app.app_context():
        plan = services.preview_series(
            _employees(lw, learner_ids=[lw.anna.id]), principal(lw.base.other_booker)
        )
        states = {o.day.isoformat(): o.state for o in plan.occurrences}
        assert states == {
            "2026-03-03": "free",
            "2026-03-10": "free",
            "2026-03-17": "free",
            "2026-03-24": "conflict",
            "2026-03-31": "conflict",
        }
        assert "Anna Smit" in plan.occurrences[-1].reason
        assert plan.occurrences[0].reason == ""


def test_all_or_nothing_is_refused_naming_the_people_and_nothing_is_written(app, lw):
    give(lw.anna, "cnc", date(2025, 6, 1), EXPIRES, app)
    give(lw.bert, "cnc", date(2025, 6, 1), None, app)
    with app.app_context():
        with pytest.raises(LicenceMissing) as error:
            services.book_series(
                _employees(lw, learner_ids=[lw.anna.id, lw.bert.id]),
                principal(lw.base.other_booker),
            )
        assert error.value.status == 422
        assert error.value.details["learner_ids"] == [lw.anna.id]
        assert "Anna Smit" in str(error.value.fields["learner_ids"][0])
        assert "Bert" not in str(error.value.fields["learner_ids"][0])
        assert _count(Booking) == 0


def test_the_free_dates_are_booked_for_the_licensed_dates_only(app, lw):
    give(lw.anna, "cnc", date(2025, 6, 1), EXPIRES, app)
    with app.app_context():
        series = services.book_series(
            _employees(lw, learner_ids=[lw.anna.id], skip_conflicts=True),
            principal(lw.base.other_booker),
        )
        booked = [o for o in series.occurrences if o.booking_id is not None]
        assert [o.on_date.day for o in booked] == [3, 10, 17]
        refused = [o for o in series.occurrences if o.booking_id is None]
        assert all("Anna Smit" in o.reason for o in refused)
        holders = db.session.scalars(select(BookingLicenceHolder.booking_id)).all()
        assert sorted(holders) == sorted(o.booking_id for o in booked)


def test_naming_nobody_for_a_company_is_refused(app, lw):
    with app.app_context():
        with pytest.raises(InvalidInput) as error:
            services.book_series(_employees(lw), principal(lw.base.other_booker))
        assert "learner_ids" in error.value.fields
        assert _count(Booking) == 0


def test_a_school_class_series_is_a_supervised_request_the_coordinator_confirms(app, lw, login):
    with app.app_context():
        series = services.book_series(
            series_input([lw.cnc], FIRST, "09:00", "11:00", "2026-03-17", group_size=2),
            principal(lw.base.booker),
        )
        leads = [o.booking_id for o in series.occurrences if o.booking_id is not None]
        assert len(leads) == 3
        statuses = set(db.session.scalars(select(Booking.status).where(Booking.id.in_(leads))))
        assert statuses == {BookingStatus.REQUESTED}
        series_id = series.id
    client = app.test_client()
    login(client, lw.base.coordinator)
    day = client.get("/day").get_data(as_text=True)
    assert "instructeur van de hub begeleidt" in day and "wekelijkse reeks" in day
    with app.app_context():
        services.approve_series(series_id, principal(lw.base.coordinator))
        rows = db.session.scalars(
            select(BookingSupervision).where(BookingSupervision.booking_id.in_(leads))
        ).all()
        assert len(rows) == 3 and all(r.is_confirmed for r in rows)


def test_moving_the_times_rechecks_the_licences(app, lw):
    licence_id = give(lw.anna, "cnc", date(2025, 6, 1), None, app)
    with app.app_context():
        series = services.book_series(
            _employees(lw, learner_ids=[lw.anna.id]), principal(lw.base.other_booker)
        )
        series_id = series.id
        # The licence is replaced by one that ends mid-term.
        revoke_licence(licence_id, revoked_by_id=None)
    give(lw.anna, "cnc", date(2025, 6, 1), EXPIRES, app)
    with app.app_context():
        with pytest.raises(SeriesChangeRefused) as error:
            services.change_series(
                series_id,
                "all",
                None,
                services.SeriesChange(start_time=time(10, 0), end_time=time(12, 0)),
                principal(lw.base.other_booker),
            )
        refused = [o for o in error.value.plan.occurrences if o.state == "conflict"]
        assert [o.day.day for o in refused] == [24, 31]
        assert "Anna Smit" in refused[0].reason


def test_the_api_answers_422_naming_the_people(app, lw, api_headers):
    give(lw.anna, "cnc", date(2025, 6, 1), EXPIRES, app)
    body = {
        "resource_ids": [lw.cnc.id],
        "first_start": "2026-03-03T09:00:00+01:00",
        "first_end": "2026-03-03T11:00:00+01:00",
        "until": UNTIL,
        "group_name": "Team frezen",
        "group_size": 2,
        "learner_category": "employee",
        "organisation_id": lw.base.other_org.id,
        "learner_ids": [lw.anna.id],
    }
    client = app.test_client()
    headers = api_headers(lw.base.other_booker)
    preview = client.post("/api/v1/series?dry_run=true", json=body, headers=headers)
    assert preview.status_code == 200, preview.json
    states = [o["state"] for o in preview.json["occurrences"]]
    assert states == ["free", "free", "free", "conflict", "conflict"]
    response = client.post("/api/v1/series", json=body, headers=headers)
    assert response.status_code == 422, response.json
    assert response.json["learner_ids"] == [lw.anna.id]
    assert response.json["unlicensed"] == [{"learner_id": lw.anna.id, "kinds": ["cnc"]}]
    assert "Anna Smit" in response.json["fields"]["learner_ids"][0]
    with app.app_context():
        assert _count(Booking) == 0


def test_the_form_carries_the_people_into_the_preview_and_the_refusal(app, lw, login):
    give(lw.anna, "cnc", date(2025, 6, 1), EXPIRES, app)
    client = app.test_client()
    login(client, lw.base.other_booker)
    url = f"/hubs/{lw.base.hub.id}/book"
    form = {
        "organisation_id": str(lw.base.other_org.id),
        "resource_ids": [str(lw.cnc.id)],
        "date": FIRST,
        "start": "09:00",
        "end": "11:00",
        "group_name": "Team frezen",
        "group_size": "2",
        "learner_category": "employee",
        "level": "",
        "repeat": "weekly",
        "until": UNTIL,
        "interval_weeks": "1",
        "learner_ids": "K-0001",
    }
    preview = client.post_form(url, form)
    assert preview.status_code == 200
    assert "Anna Smit" in preview.text
    refused = client.post_form(url, {**form, "commit": "all"})
    assert refused.status_code == 422
    assert "Anna Smit" in refused.text
    booked = client.post_form(url, {**form, "commit": "free"})
    assert booked.status_code == 302
    with app.app_context():
        assert _count(Booking) == 3


def test_the_series_page_lists_the_people_named_for_the_machines(app, lw, login):
    give(lw.anna, "cnc", date(2025, 6, 1), None, app)
    give(lw.bert, "cnc", date(2025, 6, 1), None, app)
    with app.app_context():
        series_id = services.book_series(
            _employees(lw, learner_ids=[lw.anna.id, lw.bert.id]),
            principal(lw.base.other_booker),
        ).id
    client = app.test_client()
    login(client, lw.base.other_booker)
    page = client.get(f"/series/{series_id}").get_data(as_text=True)
    assert "Machines gebruikt door" in page
    assert "Anna Smit" in page and lw.bert.display_name in page
