"""Administering hubs: hubs (managers), opening hours, exceptions and resources (coordinators)."""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import select

from hubs.extensions import db
from hubs.locations.models import Hub, OpeningException, OpeningHours, Resource
from hubs.locations.services import opening_intervals
from tests.helpers import login_through_form, main_of


def _hours_form(**overrides):
    data = {f"day{d}_{w}{p}": "" for d in range(7) for w in ("opens", "closes") for p in (1, 2)}
    data.update(overrides)
    return data


def test_manager_adds_a_hub_with_its_opening_hours(app, client, make):
    login_through_form(client, make.user("manager"))
    response = client.post_form(
        "/hubs/new",
        _hours_form(
            name="Techniekhuis Bodegraven",
            town="Bodegraven",
            address="Spoorlaan 1",
            day0_opens1="08:30",
            day0_closes1="16:30",
            day0_opens2="18:00",
            day0_closes2="21:30",
            day5_opens1="10:00",
            day5_closes1="14:00",
        ),
    )
    assert response.status_code == 302
    with app.app_context():
        hub = db.session.scalar(select(Hub).where(Hub.name == "Techniekhuis Bodegraven"))
        hours = [(h.weekday, h.opens_at, h.closes_at) for h in hub.opening_hours]
    assert hours == [
        (0, time(8, 30), time(16, 30)),
        (0, time(18, 0), time(21, 30)),
        (5, time(10, 0), time(14, 0)),
    ]
    page = client.get(response.headers["Location"]).text
    assert "Techniekhuis Bodegraven" in page and "18:00–21:30" in page


def test_a_coordinator_may_not_add_or_rename_hubs(client, make):
    hub = make.hub()
    login_through_form(client, make.user(("coordinator", hub)))
    assert client.get("/hubs/new").status_code == 403
    assert client.post_form(f"/hubs/{hub.id}/edit", {"name": "X", "town": "Y"}).status_code == 403
    assert "Nieuwe hub" not in client.get("/hubs").text


def test_duplicate_hub_name_is_refused_at_the_field(app, client, make):
    make.hub(name="MAKE Center")
    other = make.hub(name="Makerspace")
    login_through_form(client, make.user("manager"))
    response = client.post_form(
        f"/hubs/{other.id}/edit", {"name": "make center", "town": "Mijdrecht", "address": ""}
    )
    assert response.status_code == 422
    assert "Er is al een hub met deze naam." in response.text
    with app.app_context():
        assert db.session.get(Hub, other.id).name == "Makerspace"


def test_hub_list_is_searchable_and_sorted(client, make):
    make.hub(name="TechnoHUB Woerden", town="Woerden")
    make.hub(name="MAKE Center Nieuwegein", town="Nieuwegein")
    make.hub(name="Makerspace Mijdrecht", town="Mijdrecht")
    login_through_form(client, make.user("funder"))
    page = main_of(client.get("/hubs?q=nieuw"))
    assert "MAKE Center Nieuwegein" in page and "TechnoHUB" not in page
    by_town = main_of(client.get("/hubs?sort=town&dir=desc"))
    assert by_town.index("Woerden") < by_town.index("Nieuwegein") < by_town.index("Mijdrecht")
    assert 'aria-sort="descending"' in by_town


def test_coordinator_sets_weekly_hours_and_bad_times_are_explained(app, client, make):
    hub = make.hub()
    login_through_form(client, make.user(("coordinator", hub)))
    form = client.get(f"/hubs/{hub.id}/hours").text
    assert 'value="08:00"' in form  # the current hours are filled in
    bad = client.post_form(
        f"/hubs/{hub.id}/hours",
        _hours_form(day1_opens1="17:00", day1_closes1="09:00", day2_opens1="09:00"),
    )
    assert bad.status_code == 422
    assert "Moet later zijn dan de openingstijd." in bad.text
    assert "Vul beide tijden in, of geen van beide." in bad.text
    with app.app_context():
        assert db.session.scalar(
            select(OpeningHours).where(OpeningHours.hub_id == hub.id, OpeningHours.weekday == 1)
        ).opens_at == time(8, 0)
    good = client.post_form(
        f"/hubs/{hub.id}/hours", _hours_form(day1_opens1="09:00", day1_closes1="12:00")
    )
    assert good.status_code == 302
    with app.app_context():
        week = opening_intervals(hub.id, date(2025, 10, 13), date(2025, 10, 19))
    assert week[date(2025, 10, 14)] == [(time(9, 0), time(12, 0))]
    assert week[date(2025, 10, 13)] == []  # Monday is now closed


def test_overlapping_periods_of_one_day_are_refused(client, make):
    hub = make.hub()
    login_through_form(client, make.user(("coordinator", hub)))
    response = client.post_form(
        f"/hubs/{hub.id}/hours",
        _hours_form(
            day0_opens1="08:00", day0_closes1="17:00", day0_opens2="16:00", day0_closes2="21:00"
        ),
    )
    assert response.status_code == 422 and "Overlapt met de eerste periode." in response.text


def test_exceptions_per_date(app, client, make):
    hub = make.hub()
    login_through_form(client, make.user(("coordinator", hub)))
    url = f"/hubs/{hub.id}/exceptions"
    closed = client.post_form(
        url, {"on_date": "2030-10-24", "state": "closed", "note": "studiedag"}
    )
    assert closed.status_code == 302
    evening = client.post_form(
        url, {"on_date": "25-10-2030", "state": "open", "opens_at": "18:00", "closes_at": "21:00"}
    )
    assert evening.status_code == 302
    # Closed all day and open at the same time cannot both be true.
    clash = client.post_form(
        url, {"on_date": "2030-10-24", "state": "open", "opens_at": "09:00", "closes_at": "12:00"}
    )
    assert clash.status_code == 422 and "al gesloten" in clash.text
    missing = client.post_form(url, {"on_date": "2030-10-26", "state": "open"})
    assert missing.status_code == 422 and "Vul de tijd in" in missing.text
    with app.app_context():
        days = opening_intervals(hub.id, date(2030, 10, 24), date(2030, 10, 25))
    assert days == {date(2030, 10, 24): [], date(2030, 10, 25): [(time(18, 0), time(21, 0))]}
    page = client.get(url).text
    assert "de hele dag gesloten" in page and "18:00–21:00" in page and "studiedag" in page
    with app.app_context():
        row = db.session.scalar(
            select(OpeningException).where(OpeningException.note == "studiedag")
        )
    assert client.post_form(f"/opening-exceptions/{row.id}/delete").status_code == 400
    done = client.post_form(f"/opening-exceptions/{row.id}/delete", {"confirm": "yes"})
    assert done.status_code == 302
    with app.app_context():
        assert db.session.get(OpeningException, row.id) is None


def test_past_exceptions_are_shown_on_request(client, make, app):
    hub = make.hub()
    from hubs.locations.services import add_opening_exception

    with app.app_context():
        add_opening_exception(db.session.get(Hub, hub.id), date(2001, 1, 2), note="lang geleden")
    login_through_form(client, make.user("funder"))
    assert "lang geleden" not in client.get(f"/hubs/{hub.id}/exceptions").text
    page = client.get(f"/hubs/{hub.id}/exceptions?when=past").text
    assert "lang geleden" in page and "Een uitzondering toevoegen" not in page


def _resource(**overrides):
    data = {"name": "Lasersnijder 3", "kind": "machine", "capacity": "4", "licence_type": "Laser"}
    data.update(overrides)
    return data


def test_coordinator_sets_up_a_resource_and_retires_it(app, client, make):
    hub = make.hub()
    login_through_form(client, make.user(("coordinator", hub)))
    response = client.post_form(f"/hubs/{hub.id}/resources/new", _resource())
    assert response.status_code == 302
    with app.app_context():
        resource = db.session.scalar(select(Resource).where(Resource.name == "Lasersnijder 3"))
    assert resource.licence_type == "laser" and resource.capacity == 4
    duplicate = client.post_form(f"/hubs/{hub.id}/resources/new", _resource(name="lasersnijder 3"))
    assert duplicate.status_code == 422
    assert "Deze hub heeft al een machine of ruimte met deze naam." in duplicate.text
    zero = client.post_form(f"/hubs/{hub.id}/resources/new", _resource(name="X", capacity="0"))
    assert zero.status_code == 422
    edited = client.post_form(f"/resources/{resource.id}/edit", _resource(capacity="6"))
    assert edited.status_code == 302
    client.post_form(f"/resources/{resource.id}/retire")
    with app.app_context():
        stored = db.session.get(Resource, resource.id)
    assert stored.capacity == 6 and not stored.active
    page = client.get(f"/resources/{resource.id}").text
    assert "buiten gebruik" in page and "Weer in gebruik nemen" in page
    # The retired resource is still listed (history), and filters find it.
    assert "Lasersnijder 3" in client.get(f"/hubs/{hub.id}?state=retired").text
    assert "Lasersnijder 3" not in client.get(f"/hubs/{hub.id}?state=active").text
    client.post_form(f"/resources/{resource.id}/reactivate")
    with app.app_context():
        assert db.session.get(Resource, resource.id).active


def test_resources_of_a_hub_are_searchable_and_sorted(client, make):
    hub = make.hub()
    make.resource(hub, name="CNC-frees", licence_type="cnc", capacity=2)
    make.resource(hub, name="Lokaal 1", kind="room", capacity=28)
    make.resource(hub, name="Lasbox", licence_type="lassen", capacity=1)
    login_through_form(client, make.user(("coordinator", hub)))
    page = client.get(f"/hubs/{hub.id}?q=cnc").text
    assert "CNC-frees" in page and "Lokaal 1" not in page
    rooms = client.get(f"/hubs/{hub.id}?kind=room").text
    assert "Lokaal 1" in rooms and "Lasbox" not in rooms
    by_capacity = client.get(f"/hubs/{hub.id}?sort=capacity&dir=desc").text
    assert (
        by_capacity.index("Lokaal 1") < by_capacity.index("CNC-frees") < by_capacity.index("Lasbox")
    )


def test_resource_api_for_coordinators(app, client, make, api_headers):
    hub, other = make.hub(), make.hub()
    coordinator = make.user(("coordinator", hub))
    headers = api_headers(coordinator)
    body = {"hub_id": hub.id, "name": "Robotarm", "kind": "machine", "capacity": 3}
    created = client.post("/api/v1/resources", json=body, headers=headers)
    assert created.status_code == 201
    assert created.json["requires_licence"] is None and created.json["active"] is True
    resource_id = created.json["id"]
    foreign = client.post("/api/v1/resources", json={**body, "hub_id": other.id}, headers=headers)
    assert foreign.status_code == 403
    bad = client.post(
        "/api/v1/resources",
        json={**body, "kind": "spaceship", "capacity": 0, "colour": "red"},
        headers=headers,
    )
    assert bad.status_code == 422 and set(bad.json["fields"]) == {"kind", "capacity", "colour"}
    duplicate = client.post("/api/v1/resources", json=body, headers=headers)
    assert duplicate.status_code == 422 and "name" in duplicate.json["fields"]
    licence = client.patch(
        f"/api/v1/resources/{resource_id}", json={"requires_licence": "Robot arm!"}, headers=headers
    )
    assert licence.status_code == 422 and list(licence.json["fields"]) == ["requires_licence"]
    retired = client.patch(
        f"/api/v1/resources/{resource_id}",
        json={"active": False, "requires_licence": "Robot"},
        headers=headers,
    )
    assert retired.status_code == 200
    assert retired.json["active"] is False and retired.json["requires_licence"] == "robot"
    assert retired.json["capacity"] == 3  # untouched fields keep their value
