"""Fixtures for funders: the demo data (from the reports' fixtures), a small funded hub."""

from __future__ import annotations

import pytest

from tests.reports.conftest import demo, frozen, learn  # noqa: F401


def give_scope(make, funder, programmes, all_programmes=False, source_name=None):
    """A funding source on ``programmes`` and a funder scope on it: returns the source id."""
    from sqlalchemy import select

    from hubs.accounts.models import RoleGrant
    from hubs.funders.models import FunderScope
    from hubs.learners.models import FundingSource, programme_funding

    with make._unit() as s:
        source = FundingSource(name=source_name or f"Fonds {make.n()}")
        s.add(source)
        s.flush()
        for programme in programmes:
            s.execute(
                programme_funding.insert().values(
                    programme_id=programme.id, funding_source_id=source.id
                )
            )
        grant = s.scalar(select(RoleGrant).where(RoleGrant.user_id == funder.id))
        s.add(FunderScope(grant_id=grant.id, sources=[source], all_programmes=all_programmes))
        s.flush()
        return source.id


@pytest.fixture
def small(make, learn):  # noqa: F811
    """A hub with one small programme (4 pupils) next to bigger ones: numbers to hide."""
    hub = make.hub(name="Hub Klein")
    org = make.organisation()
    big = learn.programme(hub, "Groot programma")
    tiny = learn.programme(hub, "Klein programma")
    third = learn.programme(hub, "Derde programma")
    learn.group(big, org, 120)
    learn.group(tiny, org, 4)
    learn.group(third, org, 30)
    funder = make.user("funder")
    source_id = give_scope(make, funder, [big, tiny, third])
    coordinator = make.user(("coordinator", hub))
    manager = make.user("manager")
    other = make.user("funder")  # a funder of another source: sees none of this
    give_scope(make, other, [])
    return {
        "funder": funder,
        "coordinator": coordinator,
        "manager": manager,
        "other_funder": other,
        "hub": hub,
        "org": org,
        "source_id": source_id,
        "programmes": {"big": big, "tiny": tiny, "third": third},
    }
