"""Who may see hubs and resources (registered with :mod:`hubs.access`)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, true

from hubs.access import Principal, scope
from hubs.locations.models import Hub, OpeningException, Resource


@scope(Hub)
def _hubs(p: Principal) -> ColumnElement[bool]:
    # Names, towns and opening hours of hubs are not sensitive: every signed-in user,
    # funders included (reports name the hubs).
    return true()


@scope(Resource)
def _resources(p: Principal) -> ColumnElement[bool]:
    # Machines and rooms are for the people who run or book them, not for funders.
    return true() if (p.is_staff or p.is_booker) else false()


@scope(OpeningException)
def _opening_exceptions(p: Principal) -> ColumnElement[bool]:
    # Like the hub's weekly hours: public to everyone signed in.
    return true()
