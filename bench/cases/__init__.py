"""One module per row of the table; each ``run(ctx)`` returns its rows."""

from __future__ import annotations

from dataclasses import dataclass

from bench.generate import World


@dataclass
class Context:
    """A backend's two databases: ``small`` (10k occurrences) and ``large`` (1M)."""

    backend: str
    small: World
    large: World
    quick: bool
