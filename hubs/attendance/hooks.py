"""Features that derive results from the register react when it is recorded again.

A course, once completed, records who completed it from the register; correcting the
register afterwards must correct that result too. Such a feature registers a listener::

    register_recorded("courses", lambda booking_id, actor_id: ...)

Listeners run inside the recording's unit of work (after the record is flushed), so the
correction and its consequences commit together or not at all.
"""

from __future__ import annotations

from collections.abc import Callable

Listener = Callable[[int, int | None], None]

_listeners: dict[str, Listener] = {}


def register_recorded(name: str, listener: Listener) -> None:
    """Add (or replace, by name) ``listener(booking_id, actor_id)``, called after a visit's
    register is recorded (``booking_id`` is the bundle's first row)."""
    _listeners[name] = listener


def recorded(booking_id: int, actor_id: int | None) -> None:
    """Tell every listener that the register of ``booking_id`` was recorded."""
    for listener in _listeners.values():
        listener(booking_id, actor_id)
