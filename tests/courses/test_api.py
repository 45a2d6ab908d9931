"""The courses API through the test client: catalogue, one course, enrol (201 or 409
naming who waits or was refused), cancel a place; scoping (HR sees only its company)."""

from __future__ import annotations

from sqlalchemy import select

from hubs.courses.models import CourseEnrolment, EnrolmentStatus
from hubs.extensions import db


def test_the_catalogue_lists_upcoming_courses_with_seats_left(client, cw, course, api_headers):
    course_id = course(seats=3)
    answer = client.get("/api/v1/courses", headers=api_headers(cw.teacher))
    assert answer.status_code == 200
    items = answer.json["items"]
    assert [(i["id"], i["title"], i["seats_left"]) for i in items] == [
        (course_id, "CNC-frezen basis", 3)
    ]
    assert items[0]["hub"] == "MAKE Center Nieuwegein"
    assert items[0]["price_cents"] == 45000
    assert items[0]["sessions"][0]["start"] == "2026-03-10T09:00:00+01:00"
    one = client.get(f"/api/v1/courses/{course_id}", headers=api_headers(cw.hr))
    assert one.status_code == 200 and one.json["hours"] == 6.0


def test_enrolling_everyone_answers_201(client, cw, course, api_headers):
    course_id = course(seats=3)
    ids = [e.id for e in cw.employees[:2]]
    answer = client.post(
        f"/api/v1/courses/{course_id}/enrolments",
        json={"learner_ids": ids},
        headers=api_headers(cw.hr),
    )
    assert answer.status_code == 201, answer.json
    assert [e["learner_id"] for e in answer.json["enrolled"]] == ids
    assert answer.json["waiting"] == [] and answer.json["refused"] == []


def test_a_full_course_answers_409_naming_the_waiting_and_refused(client, cw, course, api_headers):
    course_id = course(seats=1)
    a, b, _ = (e.id for e in cw.employees)
    stranger = cw.other_employees[0].id
    answer = client.post(
        f"/api/v1/courses/{course_id}/enrolments",
        json={"learner_ids": [a, b, stranger]},
        headers=api_headers(cw.hr),
    )
    assert answer.status_code == 409
    body = answer.json
    assert [e["learner_id"] for e in body["enrolled"]] == [a]
    assert [(e["learner_id"], e["status"]) for e in body["waiting"]] == [(b, "waiting")]
    assert [r["learner_id"] for r in body["refused"]] == [stranger]
    assert "eigen organisatie" in body["refused"][0]["reason"]


def test_bad_enrol_input_is_a_422_naming_the_field(client, cw, course, api_headers):
    course_id = course()
    for payload in ({}, {"learner_ids": []}, {"learner_ids": ["x"]}, {"learner_ids": [1], "x": 1}):
        answer = client.post(
            f"/api/v1/courses/{course_id}/enrolments", json=payload, headers=api_headers(cw.hr)
        )
        assert answer.status_code == 422, payload
    listed = client.get(f"/api/v1/courses/{course_id}/enrolments", headers=api_headers(cw.hr))
    assert listed.json == []


def test_deleting_a_place_promotes_the_first_waiting(app, client, cw, course, api_headers):
    course_id = course(seats=1)
    a, b, _ = (e.id for e in cw.employees)
    headers = api_headers(cw.hr)
    body = client.post(
        f"/api/v1/courses/{course_id}/enrolments", json={"learner_ids": [a, b]}, headers=headers
    ).json
    seat = body["enrolled"][0]["id"]
    assert client.delete(
        f"/api/v1/courses/{course_id}/enrolments/{seat}", headers=api_headers(cw.other_hr)
    ).status_code in (403, 404)
    answer = client.delete(f"/api/v1/courses/{course_id}/enrolments/{seat}", headers=headers)
    assert answer.status_code == 204
    listed = client.get(f"/api/v1/courses/{course_id}/enrolments", headers=headers).json
    assert {(e["learner_id"], e["status"]) for e in listed} == {
        (a, "cancelled"),
        (b, "enrolled"),
    }
    with app.app_context():
        statuses = set(db.session.scalars(select(CourseEnrolment.status)))
    assert statuses == {EnrolmentStatus.CANCELLED, EnrolmentStatus.ENROLLED}


def test_hr_sees_only_its_own_companys_enrolments(client, cw, course, api_headers):
    course_id = course(seats=4)
    client.post(
        f"/api/v1/courses/{course_id}/enrolments",
        json={"learner_ids": [cw.employees[0].id]},
        headers=api_headers(cw.hr),
    )
    client.post(
        f"/api/v1/courses/{course_id}/enrolments",
        json={"learner_ids": [cw.other_employees[0].id]},
        headers=api_headers(cw.other_hr),
    )
    mine = client.get(f"/api/v1/courses/{course_id}/enrolments", headers=api_headers(cw.hr))
    assert [e["learner_id"] for e in mine.json] == [cw.employees[0].id]
    staff = client.get(
        f"/api/v1/courses/{course_id}/enrolments", headers=api_headers(cw.coordinator)
    )
    assert len(staff.json) == 2
