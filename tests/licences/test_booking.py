"""A machine that needs a licence cannot be booked for an unlicensed person: the booking
service refuses (both databases), the API answers 422 naming them, and a school class is
supervised by the hub's instructor instead (confirmed by a coordinator)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from hubs.booking import services
from hubs.booking.models import Booking, BookingStatus
from hubs.errors import InvalidInput
from hubs.extensions import db
from hubs.licences.checks import LicenceMissing
from hubs.licences.models import BookingLicenceHolder, BookingSupervision
from tests.booking.helpers import at, booking_input, principal
from tests.licences.conftest import give

TUE = "2026-03-03"


def _employees(lw, **overrides):
    values = {
        "group_name": "Team frezen",
        "group_size": 2,
        "learner_category": "employee",
        "level": None,
        "organisation_id": lw.base.other_org.id,
    }
    values.update(overrides)
    return booking_input([lw.cnc], at(TUE, "09:00"), at(TUE, "11:00"), **values)


def _bookings():
    return db.session.scalar(select(func.count()).select_from(Booking))


def test_licensed_people_book_the_machine_and_are_recorded(app, lw):
    give(lw.anna, "cnc", date(2025, 6, 1), date(2027, 6, 1), app)
    give(lw.bert, "cnc", date(2025, 6, 1), None, app)
    with app.app_context():
        lead = services.book(
            _employees(lw, learner_ids=[lw.anna.id, lw.bert.id]), principal(lw.base.other_booker)
        )
        assert lead.status == BookingStatus.CONFIRMED
        holders = set(
            db.session.scalars(
                select(BookingLicenceHolder.learner_id).where(
                    BookingLicenceHolder.booking_id == lead.id
                )
            )
        )
        assert holders == {lw.anna.id, lw.bert.id}


def test_an_unlicensed_person_is_refused_by_name_and_nothing_is_written(app, lw):
    give(lw.anna, "cnc", date(2025, 6, 1), None, app)
    give(lw.bert, "laser", date(2025, 6, 1), None, app)  # the wrong kind
    with app.app_context():
        with pytest.raises(LicenceMissing) as error:
            services.book(
                _employees(lw, learner_ids=[lw.anna.id, lw.bert.id]),
                principal(lw.base.other_booker),
            )
        assert error.value.status == 422
        assert error.value.details["learner_ids"] == [lw.bert.id]
        assert "Bert Bos" in str(error.value.fields["learner_ids"][0])
        assert "Anna" not in str(error.value.fields["learner_ids"][0])
        assert _bookings() == 0


def test_a_licence_expiring_before_the_booking_day_does_not_count(app, lw):
    give(lw.anna, "cnc", date(2024, 1, 1), date(2026, 3, 2), app)  # expires the day before
    with app.app_context():
        with pytest.raises(LicenceMissing):
            services.book(_employees(lw, learner_ids=[lw.anna.id]), principal(lw.base.other_booker))
        assert _bookings() == 0


def test_a_licence_that_expires_on_the_booking_day_still_counts(app, lw):
    give(lw.anna, "cnc", date(2024, 1, 1), date(2026, 3, 3), app)
    with app.app_context():
        lead = services.book(
            _employees(lw, learner_ids=[lw.anna.id]), principal(lw.base.other_booker)
        )
        assert lead.status == BookingStatus.CONFIRMED


def test_a_revoked_licence_does_not_count(app, lw):
    from hubs.licences.services import revoke_licence

    licence_id = give(lw.anna, "cnc", date(2025, 1, 1), None, app)
    with app.app_context():
        revoke_licence(licence_id, revoked_by_id=None)
        with pytest.raises(LicenceMissing):
            services.book(_employees(lw, learner_ids=[lw.anna.id]), principal(lw.base.other_booker))


def test_employees_must_name_who_uses_the_machine(app, lw):
    with app.app_context():
        with pytest.raises(InvalidInput) as error:
            services.book(_employees(lw), principal(lw.base.other_booker))
        assert "learner_ids" in error.value.fields
        assert "CNC-frees Haas" in str(error.value.fields["learner_ids"][0])


def test_people_of_another_organisation_are_refused(app, lw):
    give(lw.stranger, "cnc", date(2025, 1, 1), None, app)
    with app.app_context():
        with pytest.raises(InvalidInput) as error:
            services.book(
                _employees(lw, learner_ids=[lw.stranger.id]), principal(lw.base.other_booker)
            )
        assert error.value.details["learner_ids"] == [lw.stranger.id]
        assert _bookings() == 0


def test_people_are_found_by_their_organisations_number(app, lw):
    give(lw.anna, "cnc", date(2025, 1, 1), None, app)
    with app.app_context():
        lead = services.book(
            _employees(lw, learner_references=["K-0001"]), principal(lw.base.other_booker)
        )
        assert lead.status == BookingStatus.CONFIRMED
        with pytest.raises(InvalidInput) as error:
            services.book(
                booking_input(
                    [lw.cnc],
                    at(TUE, "13:00"),
                    at(TUE, "14:00"),
                    group_name="Team",
                    group_size=1,
                    learner_category="employee",
                    level=None,
                    learner_references=["K-9999"],
                ),
                principal(lw.base.other_booker),
            )
        assert "K-9999" in str(error.value.fields["learner_ids"][0])


def test_supervision_is_only_for_school_classes(app, lw):
    with app.app_context():
        with pytest.raises(InvalidInput) as error:
            services.book(_employees(lw, supervised=True), principal(lw.base.other_booker))
        assert "supervised" in error.value.fields


def test_a_school_class_is_supervised_and_a_coordinator_confirms_it(app, lw):
    with app.app_context():
        lead = services.book(
            booking_input([lw.cnc], at(TUE, "09:00"), at(TUE, "11:00"), group_size=2),
            principal(lw.base.booker),
        )
        assert lead.status == BookingStatus.REQUESTED
        supervision = db.session.get(BookingSupervision, lead.id)
        assert supervision is not None and not supervision.is_confirmed
        assert supervision.kinds == "cnc"
        lead_id = lead.id
    with app.app_context():
        services.approve(lead_id, principal(lw.base.coordinator))
        supervision = db.session.get(BookingSupervision, lead_id)
        assert supervision is not None and supervision.is_confirmed
        assert supervision.confirmed_by_id == lw.base.coordinator.id


def test_a_coordinator_booking_a_class_confirms_the_supervision_at_once(app, lw):
    with app.app_context():
        lead = services.book(
            booking_input(
                [lw.cnc],
                at(TUE, "09:00"),
                at(TUE, "11:00"),
                group_size=2,
                organisation_id=lw.base.org.id,
            ),
            principal(lw.base.coordinator),
        )
        assert lead.status == BookingStatus.CONFIRMED
        supervision = db.session.get(BookingSupervision, lead.id)
        assert supervision is not None and supervision.is_confirmed


def test_a_machine_without_licence_needs_nobody_named(app, lw):
    with app.app_context():
        lead = services.book(
            booking_input([lw.base.laser], at(TUE, "09:00"), at(TUE, "10:00")),
            principal(lw.base.booker),
        )
        assert lead.status == BookingStatus.CONFIRMED
        assert db.session.get(BookingSupervision, lead.id) is None


def test_moving_past_the_expiry_is_refused(app, lw):
    give(lw.anna, "cnc", date(2025, 1, 1), date(2026, 3, 4), app)
    with app.app_context():
        lead = services.book(
            _employees(lw, learner_ids=[lw.anna.id]), principal(lw.base.other_booker)
        )
        change = services.BookingChange(
            start=at("2026-03-05", "09:00"), end=at("2026-03-05", "11:00")
        )
        with pytest.raises(LicenceMissing):
            services.change_booking(lead.id, change, principal(lw.base.other_booker))


# --- the API ---------------------------------------------------------------------------


def _body(lw, **overrides):
    body = {
        "resource_ids": [lw.cnc.id],
        "start": "2026-03-03T09:00:00+01:00",
        "end": "2026-03-03T11:00:00+01:00",
        "group_name": "Team frezen",
        "group_size": 2,
        "learner_category": "employee",
    }
    body.update(overrides)
    return body


def test_the_api_refuses_an_unlicensed_person_with_422_naming_them(app, lw, api_headers):
    give(lw.anna, "cnc", date(2025, 6, 1), None, app)
    response = app.test_client().post(
        "/api/v1/bookings",
        json=_body(lw, learner_ids=[lw.anna.id, lw.bert.id]),
        headers=api_headers(lw.base.other_booker),
    )
    assert response.status_code == 422, response.json
    assert response.json["learner_ids"] == [lw.bert.id]
    assert response.json["unlicensed"] == [{"learner_id": lw.bert.id, "kinds": ["cnc"]}]
    assert "Bert Bos" in response.json["fields"]["learner_ids"][0]
    with app.app_context():
        assert _bookings() == 0


def test_the_api_books_for_licensed_people(app, lw, api_headers):
    give(lw.anna, "cnc", date(2025, 6, 1), None, app)
    response = app.test_client().post(
        "/api/v1/bookings",
        json=_body(lw, learner_ids=[lw.anna.id]),
        headers=api_headers(lw.base.other_booker),
    )
    assert response.status_code == 201, response.json
    assert response.json["status"] == "confirmed"


def test_the_booking_form_names_people_by_number(app, lw, login):
    give(lw.anna, "cnc", date(2025, 6, 1), None, app)
    client = app.test_client()
    login(client, lw.base.other_booker)
    page = client.get(f"/hubs/{lw.base.hub.id}/book")
    assert "K-0001" not in page.text and "learner_ids" in page.text
    form = {
        "organisation_id": str(lw.base.other_org.id),
        "resource_ids": [str(lw.cnc.id)],
        "date": TUE,
        "start": "09:00",
        "end": "11:00",
        "group_name": "Team frezen",
        "group_size": "2",
        "learner_category": "employee",
        "level": "",
    }
    refused = client.post_form(
        f"/hubs/{lw.base.hub.id}/book", {**form, "learner_ids": "K-0001, K-0002"}
    )
    assert refused.status_code == 422
    assert "Bert Bos" in refused.text
    booked = client.post_form(f"/hubs/{lw.base.hub.id}/book", {**form, "learner_ids": "K-0001"})
    assert booked.status_code == 302
    detail = client.get(booked.headers["Location"])
    assert "Anna Smit" in detail.text


def test_the_hubs_coordinator_books_a_licensed_machine_for_a_course_supervised(app, lw):
    """A course that teaches the licence reserves the machine through the booking core."""
    with app.app_context():
        lead = services.book(_employees(lw), principal(lw.base.coordinator))
        assert lead.status == BookingStatus.CONFIRMED
        supervision = db.session.get(BookingSupervision, lead.id)
        assert supervision is not None and supervision.is_confirmed
