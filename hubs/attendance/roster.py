"""Lists of names for visits whose participants are known in advance (course sessions).

A feature that knows who is expected at a booking registers a provider::

    register_roster("courses", lambda booking_ids: {booking_id: [RosterEntry(...)], ...})

``booking_ids`` are bundle ids (the first row of each bundle). The register then asks
"who came?" with a checkbox per person instead of a number, and the record keeps the
learners present. A visit without a roster is recorded as a number.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class RosterEntry:
    """A learner expected at a visit, with the text the register shows for them."""

    learner_id: int
    name: str
    detail: str = ""  # e.g. the organisation


Provider = Callable[[list[int]], dict[int, list[RosterEntry]]]

_providers: dict[str, Provider] = {}


def register_roster(name: str, provider: Provider) -> None:
    """Add (or replace, by name) a provider of expected learners per bundle id."""
    _providers[name] = provider


def rosters_for(booking_ids: Iterable[int]) -> dict[int, list[RosterEntry]]:
    """The expected learners of each bundle that has a list of names (a fixed number of
    queries: one per provider)."""
    ids = sorted(set(booking_ids))
    found: dict[int, list[RosterEntry]] = {}
    if not ids:
        return found
    for provider in _providers.values():
        for booking_id, entries in provider(ids).items():
            found.setdefault(booking_id, []).extend(entries)
    return found
