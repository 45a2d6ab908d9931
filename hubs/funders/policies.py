"""Who sees snapshots and targets.

Snapshots: programme managers all, coordinators the ones they made, funders the shared
ones built for what they may see (their funding sources, or every programme).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, exists, false, not_, or_, select, true

from hubs.access import Principal, scope
from hubs.funders.models import Snapshot, Survey, Target, snapshot_sources
from hubs.funders.reporting import funder_reach
from hubs.learners.models import Programme, programme_funding


def _funder_snapshots(p: Principal) -> ColumnElement[bool]:
    reach = funder_reach(p) if p.is_funder else None
    if reach is None:
        return false()
    if reach.all_programmes:
        return Snapshot.shared_at.is_not(None)
    # Every recipient of the snapshot must be one of the funder's sources.
    foreign = exists().where(
        snapshot_sources.c.snapshot_id == Snapshot.id,
        snapshot_sources.c.funding_source_id.not_in(sorted(reach.source_ids)),
    )
    return and_(Snapshot.shared_at.is_not(None), not_(Snapshot.all_programmes), not_(foreign))


@scope(Snapshot)
def _snapshots(p: Principal) -> ColumnElement[bool]:
    if p.is_manager:
        return true()
    return or_(
        and_(Snapshot.created_by_id == p.user_id, true() if p.is_coordinator else false()),
        _funder_snapshots(p),
    )


def can_make_snapshots(p: Principal) -> bool:
    return p.is_manager or p.is_coordinator


@scope(Target)
def _targets(p: Principal) -> ColumnElement[bool]:
    if p.is_manager:
        return true()
    mine = Target.programme_id.in_(
        select(Programme.id).where(Programme.hub_id.in_(p.coordinator_hub_ids))
    )
    reach = funder_reach(p) if p.is_funder else None
    if reach is None:
        return mine
    if reach.all_programmes:
        return true()
    funded = Target.programme_id.in_(
        select(programme_funding.c.programme_id).where(
            programme_funding.c.funding_source_id.in_(sorted(reach.source_ids))
        )
    )
    return or_(mine, funded)


def can_set_targets(p: Principal) -> bool:
    """Programme managers set targets (the brief: "programme managers set targets")."""
    return p.is_manager


@scope(Survey)
def _surveys(p: Principal) -> ColumnElement[bool]:
    # Answers (with comments) are for the people who run the hub, not for funders.
    if p.is_manager:
        return true()
    return Survey.hub_id.in_(sorted(p.coordinator_hub_ids))
