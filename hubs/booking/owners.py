"""Bookings that belong to something larger (a course's sessions) and are cancelled
through it.

A course session is a booking the course points at: cancelling it on its own from the
booking pages or the API would leave the course (and its enrolled people) pointing at a
cancelled date. A feature that owns bookings registers an owner::

    register_owner(Owner("courses", refusal=..., moved=...))

``refusal(lead)`` says why the bundle is not cancelled on its own (None: it may be);
``moved(lead)`` lets the owner keep its copy of the times after a move.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hubs.booking.models import Booking


@dataclass(frozen=True)
class Owner:
    """A feature whose records point at bookings."""

    name: str
    refusal: Callable[[Booking], Any | None]
    moved: Callable[[Booking], None] | None = None


_owners: dict[str, Owner] = {}


def register_owner(owner: Owner) -> None:
    """Add (or replace, by name) an owner of bookings."""
    _owners[owner.name] = owner


def cancel_refusal(lead: Booking) -> Any | None:
    """Why this bundle is cancelled through its owner only (None: it may be cancelled)."""
    for owner in _owners.values():
        why = owner.refusal(lead)
        if why is not None:
            return why
    return None


def moved(lead: Booking) -> None:
    """Tell the owners a bundle moved (inside the move's unit of work)."""
    for owner in _owners.values():
        if owner.moved is not None:
            owner.moved(lead)
