"""Privacy (AVG) built in: erasure and access requests, retention purges, the security log.

Features register what they hold on a person, so a request reaches every table, including
tables added later:

- ``register_eraser(name, fn)``: ``fn(subject)`` removes or anonymises the person's data
  (and any free text naming them); runs inside the erasure's unit of work.
- ``register_exporter(name, fn)``: ``fn(subject)`` returns JSON-ready data for the
  person's access request (one section of the export).
- ``register_purger(name, fn)``: ``fn(today)`` anonymises or deletes what is past its
  retention period (``flask privacy purge``) and returns how many rows it touched.

Aggregate counts must survive all three: erasers and purgers anonymise learners instead of
deleting them, so every report number stays the same.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Subject:
    """The person a request is about: their learner id and the strings that identify them
    in free text (name, reference, e-mail address), longest first."""

    learner_id: int
    needles: tuple[str, ...]


Eraser = Callable[[Subject], int]
Exporter = Callable[[Subject], Any]
Purger = Callable[[date], int]

_erasers: dict[str, Eraser] = {}
_exporters: dict[str, Exporter] = {}
_purgers: dict[str, Purger] = {}


def register_eraser(name: str, fn: Eraser) -> None:
    _erasers[name] = fn


def register_exporter(name: str, fn: Exporter) -> None:
    _exporters[name] = fn


def register_purger(name: str, fn: Purger) -> None:
    _purgers[name] = fn


def erasers() -> dict[str, Eraser]:
    return dict(_erasers)


def exporters() -> dict[str, Exporter]:
    return dict(_exporters)


def purgers() -> dict[str, Purger]:
    return dict(_purgers)


def needles_for(*values: str | None, minimum: int = 3) -> tuple[str, ...]:
    """Identifying strings worth searching free text for (short ones would match anything)."""
    found = {" ".join(v.split()) for v in values if v and len(v.strip()) >= minimum}
    return tuple(sorted(found, key=lambda s: (-len(s), s)))
