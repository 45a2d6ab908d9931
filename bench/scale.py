"""How much data a run generates: the full scale of the issue, or a quick one for CI."""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Scale:
    """Sizes of one generated database. ``big_hub_resources`` go to the first hub (the
    week page is measured there); the other resources are spread over the other hubs."""

    name: str
    hubs: int = 30
    resources: int = 600
    big_hub_resources: int = 40
    bookings: int = 1_000_000
    years: int = 5
    organisations: int = 300
    learners: int = 200_000
    enrolments: int = 1_000_000
    programmes_per_hub: int = 4


FULL = Scale("large")
# The same hubs and resources with 10,000 occurrences: "does it grow with the table?"
FULL_SMALL = replace(FULL, name="small", bookings=10_000, learners=2_000, enrolments=10_000)

QUICK = replace(FULL, name="large", bookings=60_000, learners=10_000, enrolments=50_000)
QUICK_SMALL = replace(QUICK, name="small", bookings=2_000, learners=500, enrolments=2_000)
