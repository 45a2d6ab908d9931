"""Snapshots: frozen for a period and recipient, never changing, shared, compared."""

from __future__ import annotations

from tests.helpers import login_through_form


def _freeze(client, small, title="Rapportage Fonds 2021"):
    login_through_form(client, small["manager"])
    response = client.post_form(
        "/funders/snapshots/new",
        {
            "title": title,
            "from_year": "2020",
            "to_year": "2021",
            "basis": "school",
            "count": "participants",
            "sources": [str(small["source_id"])],
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def _correct_headcount(app, small, programme, headcount):
    from sqlalchemy import update

    from hubs.db import write_transaction
    from hubs.extensions import db
    from hubs.learners.models import Enrolment

    with app.app_context(), write_transaction():
        db.session.execute(
            update(Enrolment)
            .where(Enrolment.programme_id == small["programmes"][programme].id)
            .values(headcount=headcount)
        )


def test_a_snapshot_does_not_change_when_a_record_is_corrected(app, client, small, api_headers):
    snapshot_id = _freeze(client, small)
    page = client.get(f"/funders/snapshots/{snapshot_id}").get_data(as_text=True)
    assert "Rapportage Fonds 2021" in page and "&lt;10" in page and ">120<" in page
    csv_response = client.get(f"/funders/snapshots/{snapshot_id}.csv")
    assert csv_response.headers["Content-Type"] == "text/csv; charset=utf-8"
    csv_before = csv_response.get_data()
    assert b"<10" in csv_before and b",4," not in csv_before

    _correct_headcount(app, small, "big", 150)

    assert client.get(f"/funders/snapshots/{snapshot_id}.csv").get_data() == csv_before
    again = client.get(f"/funders/snapshots/{snapshot_id}").get_data(as_text=True)
    assert ">120<" in again and ">150<" not in again
    changes = client.get(f"/funders/snapshots/{snapshot_id}/changes").get_data(as_text=True)
    assert "Groot programma" in changes
    assert '120 <span aria-hidden="true">→</span><span class="visually-hidden">werd</span> 150' in (
        changes
    )
    # In English the frozen (Dutch) rows still match today's: only the corrected row shows.
    client.post_form("/language", {"lang": "en"})
    english = client.get(f"/funders/snapshots/{snapshot_id}/changes").get_data(as_text=True)
    assert '<html lang="en">' in english
    assert (
        '120 <span aria-hidden="true">→</span><span class="visually-hidden">became</span> 150'
        in (english)
    ), english[english.index("<main") :][:3000]
    assert english.count('aria-hidden="true">→</span>') == changes.count(
        'aria-hidden="true">→</span>'
    )
    client.post_form("/language", {"lang": "nl"})
    body = client.get(
        f"/api/v1/snapshots/{snapshot_id}", headers=api_headers(small["manager"])
    ).get_json()
    rows = body["sections"][0]["rows"]
    big = next(r for r in rows if r[1] == "Groot programma")
    assert 120 in big and 150 not in big
    for fmt in ("xlsx", "pdf"):
        response = client.get(f"/funders/snapshots/{snapshot_id}.{fmt}")
        assert response.status_code == 200 and len(response.get_data()) > 100


def test_funders_see_a_snapshot_only_once_shared_and_only_their_own(
    app, client, small, api_headers
):
    snapshot_id = _freeze(client, small)
    funder = api_headers(small["funder"])
    assert client.get("/api/v1/snapshots", headers=funder).get_json()["items"] == []
    assert client.get(f"/api/v1/snapshots/{snapshot_id}", headers=funder).status_code == 404

    response = client.post_form(f"/funders/snapshots/{snapshot_id}/share", {})
    assert response.status_code == 302
    assert _exports(app, snapshot_id) == ["shared"]

    listed = client.get("/api/v1/snapshots", headers=funder).get_json()["items"]
    assert [s["title"] for s in listed] == ["Rapportage Fonds 2021"]
    assert listed[0]["shared_at"] is not None
    detail = client.get(f"/api/v1/snapshots/{snapshot_id}", headers=funder).get_json()
    tiny = next(r for r in detail["sections"][0]["rows"] if r[1] == "Klein programma")
    assert "<10" in tiny and 4 not in tiny
    other = api_headers(small["other_funder"])
    assert client.get(f"/api/v1/snapshots/{snapshot_id}", headers=other).status_code == 404
    assert client.get("/api/v1/snapshots", headers=other).get_json()["items"] == []


def test_freezing_without_recipients_or_title_says_so(client, small):
    login_through_form(client, small["manager"])
    response = client.post_form(
        "/funders/snapshots/new",
        {
            "title": "",
            "from_year": "2020",
            "to_year": "2021",
            "basis": "school",
            "count": "participants",
        },
    )
    assert response.status_code == 422
    response = client.post_form(
        "/funders/snapshots/new",
        {
            "title": "X",
            "from_year": "2020",
            "to_year": "2021",
            "basis": "school",
            "count": "participants",
        },
    )
    assert response.status_code == 422
    assert "Kies de geldstromen waarvoor de momentopname is" in response.get_data(as_text=True)
    response = client.post_form(
        "/funders/snapshots/new",
        {
            "title": "X",
            "from_year": "2022",
            "to_year": "2021",
            "all_programmes": "y",
            "basis": "school",
            "count": "participants",
        },
    )
    assert response.status_code == 422


def test_the_demo_has_the_province_snapshot(client, demo, frozen, api_headers):
    province = api_headers(demo["users"]["funder@provincie.example"])
    items = client.get("/api/v1/snapshots", headers=province).get_json()["items"]
    assert [s["title"] for s in items] == ["Rapportage provincie 2022"]
    ministry = api_headers(demo["users"]["funder@ezk.example"])
    assert client.get("/api/v1/snapshots", headers=ministry).get_json()["items"] == []


def test_the_database_refuses_to_change_a_snapshot(app, client, small):
    import sqlalchemy as sa
    from sqlalchemy import update

    from hubs.db import write_transaction
    from hubs.extensions import db
    from hubs.funders.models import Snapshot

    snapshot_id = _freeze(client, small)
    with app.app_context():
        for values in ({"csv_file": b"x"}, {"document": {"sections": []}}):
            try:
                with write_transaction():
                    db.session.execute(
                        update(Snapshot).where(Snapshot.id == snapshot_id).values(**values)
                    )
            except sa.exc.DBAPIError as error:
                assert "frozen" in str(error)
            else:
                raise AssertionError(f"{values} was changed")
            db.session.rollback()
        with write_transaction():  # sharing is not a change of the numbers
            db.session.execute(
                update(Snapshot).where(Snapshot.id == snapshot_id).values(title="Nieuw")
            )


def _exports(app, snapshot_id):
    from sqlalchemy import select

    from hubs.audit.models import SecurityEvent
    from hubs.extensions import db

    with app.app_context():
        events = db.session.scalars(
            select(SecurityEvent).where(
                SecurityEvent.target_type == "snapshot", SecurityEvent.target_id == snapshot_id
            )
        )
        return [e.details["format"] for e in events]
