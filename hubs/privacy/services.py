"""Running every registered purger (retention) in one unit of work."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from hubs.db import transactional, utcnow
from hubs.privacy import purgers


@transactional
def purge() -> dict[str, int]:
    """Run every purger for today (Amsterdam); returns rows touched per purger."""
    today = utcnow().astimezone(ZoneInfo("Europe/Amsterdam")).date()
    return {name: fn(today) for name, fn in sorted(purgers().items())}
