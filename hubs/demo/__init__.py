"""Demo data: three real hubs, plausible machines, schools, companies and demo accounts.

``flask --app wsgi demo load`` fills an *empty* database. Each feature adds its part in a
``hubs/<feature>/demo.py`` with ``load(ctx)``, run in the order of ``hubs.features``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

DEMO_PASSWORD = "hubs-demo-2022"

DEMO_ACCOUNTS = [
    ("manager@hubs.example", "programme manager"),
    ("coordinator.technohub@hubs.example", "coordinator, TechnoHUB Woerden"),
    ("coordinator.make@hubs.example", "coordinator, MAKE Center Nieuwegein"),
    ("coordinator.makerspace@hubs.example", "coordinator, Makerspace Mijdrecht"),
    ("teacher.a@school-a.example", "teacher, Groene Hart College (member of TechnoHUB)"),
    ("teacher.b@school-b.example", "teacher, Lek en IJssel Lyceum (member of TechnoHUB)"),
    ("teacher@roc.example", "teacher, ROC Midden-Utrecht (member of MAKE Center)"),
    ("hr@company-a.example", "HR, Van Rijn Precisietechniek (MAKE Center and Makerspace)"),
    ("funder@provincie.example", "funder, Provincie Utrecht"),
    ("funder@ezk.example", "funder, Ministerie van EZK (MKB-Deal programmes only)"),
]


@dataclass
class DemoContext:
    """What earlier demo steps created, by short key, for later steps to refer to."""

    today: date
    hubs: dict[str, Any] = field(default_factory=dict)
    resources: dict[str, Any] = field(default_factory=dict)
    organisations: dict[str, Any] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
