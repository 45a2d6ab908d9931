"""``/api/v1/bookings/{id}/attendance``: read and record, with the usual errors."""

from __future__ import annotations


def test_a_coordinator_records_and_reads_attendance(client, world, visit, api_headers):
    booking_id = visit(group_size=24)
    headers = api_headers(world.coordinator)
    before = client.get(f"/api/v1/bookings/{booking_id}/attendance", headers=headers)
    assert before.status_code == 200
    assert before.json["recorded"] is False and before.json["present"] is None
    response = client.put(
        f"/api/v1/bookings/{booking_id}/attendance", json={"present": 21}, headers=headers
    )
    assert response.status_code == 200, response.json
    assert response.json["present"] == 21 and response.json["no_show"] is False
    assert response.json["recorded_by_id"] == world.coordinator.id
    booker = client.get(
        f"/api/v1/bookings/{booking_id}/attendance", headers=api_headers(world.booker)
    )
    assert booker.json["present"] == 21


def test_errors_name_the_field_and_write_nothing(client, world, visit, api_headers):
    headers = api_headers(world.coordinator)
    booking_id = visit(group_size=24)
    too_many = client.put(
        f"/api/v1/bookings/{booking_id}/attendance", json={"present": 99}, headers=headers
    )
    assert too_many.status_code == 422 and "present" in too_many.json["fields"]
    junk = client.put(
        f"/api/v1/bookings/{booking_id}/attendance", json={"present": "x"}, headers=headers
    )
    assert junk.status_code == 422 and "present" in junk.json["fields"]
    tomorrow = visit(day="2026-03-03")
    early = client.put(
        f"/api/v1/bookings/{tomorrow}/attendance", json={"present": 2}, headers=headers
    )
    assert early.status_code == 409
    assert (
        client.get(f"/api/v1/bookings/{booking_id}/attendance", headers=headers).json["recorded"]
        is False
    )


def test_a_booker_cannot_record(client, world, visit, api_headers):
    booking_id = visit()
    response = client.put(
        f"/api/v1/bookings/{booking_id}/attendance",
        json={"present": 2},
        headers=api_headers(world.booker),
    )
    assert response.status_code == 403
