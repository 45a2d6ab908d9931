"""The world the access matrix runs in: two hubs, two organisations, one user per role.

Hub A has member organisation X; hub B has member organisation Y. Every feature adds the
objects its routes need in ``tests/<feature>/access_cases.py`` (see ``build``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ROLES = ["anonymous", "manager", "coord_a", "coord_b", "booker_x", "admin_x", "booker_y", "funder"]

# Handy groups for the cases' ``allowed`` sets.
STAFF_A = {"manager", "coord_a"}
ORG_X = {"booker_x", "admin_x"}
SIGNED_IN = set(ROLES) - {"anonymous"}


@dataclass
class World:
    objects: dict[str, Any] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Any:
        return self.objects[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.objects[key] = value


def build_core(make: Any) -> World:
    world = World()
    hub_a = make.hub(name="Hub A")
    hub_b = make.hub(name="Hub B")
    org_x = make.organisation("vo_school", hubs=(hub_a,), name="School X")
    org_y = make.organisation("company", hubs=(hub_b,), name="Company Y")
    world["hub_a"], world["hub_b"] = hub_a, hub_b
    world["org_x"], world["org_y"] = org_x, org_y
    world["resource_a"] = make.resource(hub_a, name="Laser A", licence_type="laser")
    world["resource_b"] = make.resource(hub_b, name="Laser B")
    world["membership_x"] = make.membership(org_x, hub_a, ends_on=None)
    world.users = {
        "manager": make.user("manager"),
        "coord_a": make.user(("coordinator", hub_a)),
        "coord_b": make.user(("coordinator", hub_b)),
        "booker_x": make.user(("booker", org_x)),
        "admin_x": make.user(("booker", org_x, True)),
        "booker_y": make.user(("booker", org_y, True)),
        "funder": make.user("funder"),
    }
    return world
