"""Charts as server-rendered SVG: no script, a title, a description, and text labels.

Every chart is also shown as a table with the same numbers by the page that uses it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import count
from typing import Any

from flask import render_template
from markupsafe import Markup

_ids = count(1)


@dataclass(frozen=True)
class Bar:
    label: str  # e.g. "2021" or "Lasersnijder 1"
    value: float
    text: str = ""  # the value as shown ("27", "61%"); defaults to the number
    note: str = ""  # extra text after the bar ("+97 · +359%")
    muted: bool = False  # e.g. the earlier year of a pair
    target: float | None = None  # draws a target marker on this bar's row (a trend's year)


@dataclass(frozen=True)
class BarGroup:
    title: str
    bars: Sequence[Bar]
    target: float | None = None  # draws a target marker when given
    target_text: str = ""


def bar_chart(
    title: str,
    description: str,
    groups: Sequence[BarGroup],
    *,
    width: int = 640,
    max_value: float | None = None,
    note_width: int = 170,
) -> Markup:
    """Horizontal bars in labelled groups (a growth pair, a trend per year, a ranking)."""
    peak = max_value or max(
        [b.value for g in groups for b in g.bars]
        + [b.target or 0 for g in groups for b in g.bars]
        + [g.target or 0 for g in groups]
        + [1]
    )
    # Room on the right for the value and its note ("124 · +97 · +359%").
    label_width, bar_area = 150, width - 150 - note_width
    layout: list[dict[str, Any]] = []
    y = 8
    for group in groups:
        entry: dict[str, Any] = {"title": group.title, "y": y + 16, "bars": []}
        y += 26
        for bar in group.bars:
            length = 0 if peak <= 0 else max(bar.value, 0) / peak * bar_area
            entry["bars"].append(
                {
                    "label": bar.label,
                    "y": y,
                    "length": round(length, 1),
                    "text": bar.text or _plain(bar.value),
                    "note": bar.note,
                    "muted": bar.muted,
                    "target_x": None
                    if bar.target is None or peak <= 0
                    else round(label_width + bar.target / peak * bar_area, 1),
                }
            )
            y += 26
        if group.target is not None and peak > 0:
            entry["target_x"] = round(label_width + group.target / peak * bar_area, 1)
            entry["target_text"] = group.target_text
            entry["target_top"] = entry["bars"][0]["y"] - 3 if entry["bars"] else y
            entry["target_bottom"] = y - 4
        layout.append(entry)
        y += 10
    chart_id = f"chart-{next(_ids)}"
    return Markup(
        render_template(
            "exports/bar_chart.svg",
            chart_id=chart_id,
            title=title,
            description=description,
            groups=layout,
            width=width,
            height=y,
            label_width=label_width,
        )
    )


def _plain(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"
