"""Demo funders: the province (every programme) and the ministry EZK (MKB-Deal only)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select, update

from hubs.accounts.models import Role, RoleGrant, User
from hubs.accounts.passwords import hash_password
from hubs.booking.models import Booking
from hubs.booking.programmes import derived_programme
from hubs.demo import DEMO_PASSWORD, DemoContext
from hubs.extensions import db
from hubs.funders.models import FunderScope, Indicator, Target
from hubs.funders.snapshots import SnapshotInput, freeze
from hubs.learners.counting import school_year_of
from hubs.learners.models import FundingSource

MINISTRY = ("funder@ezk.example", "Ministerie van EZK")


def _grant(user: User) -> RoleGrant:
    grant = RoleGrant(user_id=user.id, role=Role.FUNDER)
    db.session.add(grant)
    db.session.flush()
    return grant


def load(ctx: DemoContext) -> None:
    province = ctx.users["funder"]
    province_grant = db.session.scalar(
        select(RoleGrant).where(RoleGrant.user_id == province.id, RoleGrant.role == Role.FUNDER)
    ) or _grant(province)
    db.session.add(FunderScope(grant_id=province_grant.id, all_programmes=True))

    email, name = MINISTRY
    ministry = User(email=email, name=name, locale="nl", password_hash=hash_password(DEMO_PASSWORD))
    db.session.add(ministry)
    db.session.flush()
    mkb_deal = db.session.scalars(
        select(FundingSource).where(FundingSource.name == "MKB-Deal")
    ).one()
    db.session.add(FunderScope(grant_id=_grant(ministry).id, sources=[mkb_deal]))
    ctx.users["funder_ezk"] = ministry
    db.session.flush()
    _targets(ctx)
    _visit_programmes()
    _contact_hour_targets(ctx)
    _snapshot(ctx)


# Per programme: participants, organisations reached, satisfaction (average, share >= 7 %).
TARGETS = {
    "daily": (120, 2, 7.5, 70),
    "mbo": (120, 1, 7.0, 70),
    "cnc": (15, 3, 7.5, 75),
    "maker_vo": (50, 2, 7.0, 70),
    "maker_work": (12, 3, 7.0, 70),
}


def _targets(ctx: DemoContext) -> None:
    """Targets for school year 2022/23, as promised to the funders."""
    programmes = ctx.extra.get("programmes", {})
    for key, (participants, organisations, average, share) in TARGETS.items():
        programme = programmes.get(key)
        if programme is None:
            continue
        for indicator, value in (
            (Indicator.PARTICIPANTS, participants),
            (Indicator.ORGANISATIONS, organisations),
            (Indicator.SATISFACTION_AVG, average),
            (Indicator.SATISFACTION_SHARE, share),
        ):
            db.session.add(
                Target(programme_id=programme.id, year=2022, indicator=indicator, value=value)
            )
    db.session.flush()


def _visit_programmes() -> None:
    """Demo visits without a programme take the one their school or company is enrolled
    in at the hub (as a booking made today would), so contact hours count per programme."""
    leads = db.session.scalars(
        select(Booking)
        .where(Booking.id == Booking.bundle_id, Booking.programme_id.is_(None))
        .limit(5000)
    ).all()
    for lead in leads:
        programme_id = derived_programme(lead.organisation_id, lead.hub_id, lead.start_at)
        if programme_id is not None:
            db.session.execute(
                update(Booking)
                .where(Booking.bundle_id == lead.id)
                .values(programme_id=programme_id)
                .execution_options(synchronize_session=False)
            )
    db.session.flush()


# Contact hours promised for the current school year (people present × hours).
CONTACT_HOURS = {"daily": 1800, "mbo": 1600, "maker_vo": 1600, "cnc": 250, "maker_work": 200}


def _contact_hour_targets(ctx: DemoContext) -> None:
    programmes = ctx.extra.get("programmes", {})
    year = school_year_of(ctx.today)
    for key, value in CONTACT_HOURS.items():
        programme = programmes.get(key)
        if programme is not None:
            db.session.add(
                Target(
                    programme_id=programme.id,
                    year=year,
                    indicator=Indicator.CONTACT_HOURS,
                    value=value,
                )
            )
    db.session.flush()


PRESENTED = datetime(2022, 9, 12, 8, 0, tzinfo=UTC)


def _snapshot(ctx: DemoContext) -> None:
    """ "Rapportage provincie 2022": growth 2021/22 → 2022/23, frozen and shared."""
    query = {"from": "2021", "to": "2022", "basis": "school", "count": "participants"}
    data = SnapshotInput("Rapportage provincie 2022", "growth", query, frozenset(), True)
    snapshot = freeze(data, ctx.users["manager"].id if "manager" in ctx.users else None)
    when = PRESENTED if ctx.today > PRESENTED.date() else None
    snapshot.created_at = when or snapshot.created_at
    snapshot.shared_at = when or snapshot.created_at
    db.session.flush()
