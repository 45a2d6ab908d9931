"""Demo: a retired machine (its history stays) and opening-hour exceptions around today."""

from __future__ import annotations

from datetime import time, timedelta

from hubs.demo import DemoContext
from hubs.extensions import db
from hubs.locations.models import OpeningException, Resource, ResourceKind


def load(ctx: DemoContext) -> None:
    technohub, make, makerspace = (ctx.hubs[k] for k in ("technohub", "make", "makerspace"))
    old_laser = Resource(
        hub=technohub,
        name="Lasersnijder Epilog (oud)",
        kind=ResourceKind.MACHINE,
        capacity=2,
        licence_type="laser",
        description="Vervangen door Lasersnijder 1 en 2; blijft zichtbaar in oude boekingen.",
        active=False,
    )
    db.session.add(old_laser)
    ctx.resources["technohub:Lasersnijder Epilog (oud)"] = old_laser
    # The next weekdays after today, so the exceptions are always upcoming.
    days = [ctx.today + timedelta(days=n) for n in range(1, 30)]
    weekdays = [d for d in days if d.weekday() < 5]
    study_day, open_evening, short_day = weekdays[6], weekdays[3], weekdays[10]
    saturday = next(d for d in days if d.weekday() == 5)
    db.session.add_all(
        [
            OpeningException(hub=technohub, on_date=study_day, note="Studiedag team"),
            OpeningException(
                hub=make,
                on_date=open_evening,
                opens_at=time(8, 0),
                closes_at=time(17, 0),
            ),
            OpeningException(
                hub=make,
                on_date=open_evening,
                opens_at=time(18, 30),
                closes_at=time(22, 0),
                note="Open avond voor ouders en bedrijven",
            ),
            OpeningException(
                hub=makerspace,
                on_date=short_day,
                opens_at=time(8, 30),
                closes_at=time(12, 30),
                note="Middag onderhoud machines",
            ),
            OpeningException(
                hub=technohub,
                on_date=saturday,
                opens_at=time(10, 0),
                closes_at=time(15, 0),
                note="Open dag",
            ),
        ]
    )
    db.session.flush()
