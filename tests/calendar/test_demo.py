"""The demo's calendar feeds: some people already follow a calendar, and renewing such a
feed gives a working link."""

from __future__ import annotations

from sqlalchemy import select

from hubs.extensions import db


def test_demo_people_follow_calendars_and_a_renewed_link_works(app, client):
    from hubs.accounts.models import User
    from hubs.calendar import services
    from hubs.calendar.models import CalendarFeed, FeedKind
    from hubs.demo.cli import load_demo

    with app.app_context():
        load_demo()
        feeds = list(db.session.scalars(select(CalendarFeed)))
        assert {f.kind for f in feeds} == set(FeedKind)
        teacher = db.session.scalar(select(User).where(User.email == "teacher.a@school-a.example"))
        hub_feed = next(f for f in feeds if f.user_id == teacher.id and f.kind == FeedKind.HUB)
        token, _feed = services.renew_feed(hub_feed.id, teacher.id)
    response = client.get(f"/feeds/{token}.ics")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "BEGIN:VEVENT" in text and "Bezet" in text  # another school's class visit
