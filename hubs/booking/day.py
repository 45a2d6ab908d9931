"""The coordinator's day: a start page made of panels that features contribute.

Booking contributes today's and tomorrow's visits, the pending requests and the bookings
hit by closures. Later features add theirs (expiring machine licences, courses below
their minimum) with :func:`register_panel`::

    register_panel(DayPanel("licences", _l("Licences expiring"), "licences/_day.html",
                            build=lambda p, hubs, today: {...} or None, order=40))

``build`` returns the template's context, or None to leave the panel out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from hubs.access import Principal
from hubs.locations.models import Hub


@dataclass(frozen=True)
class DayPanel:
    key: str
    title: Any  # lazy gettext string
    template: str
    build: Callable[[Principal, list[Hub], date], dict[str, Any] | None]
    order: int = 50


_panels: dict[str, DayPanel] = {}


def register_panel(panel: DayPanel) -> None:
    """Add (or replace, by key) a panel of the coordinator's day."""
    _panels[panel.key] = panel


def panels_for(p: Principal, hubs: list[Hub], today: date) -> list[tuple[DayPanel, dict[str, Any]]]:
    shown = []
    for panel in sorted(_panels.values(), key=lambda x: (x.order, x.key)):
        context = panel.build(p, hubs, today)
        if context is not None:
            shown.append((panel, context))
    return shown
