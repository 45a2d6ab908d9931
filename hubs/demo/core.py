"""The foundation's demo data: hubs, opening hours, resources, organisations, accounts."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from hubs.accounts.models import Role, RoleGrant, User
from hubs.accounts.passwords import hash_password
from hubs.demo import DEMO_PASSWORD, DemoContext
from hubs.extensions import db
from hubs.locations.models import Hub, OpeningHours, Resource, ResourceKind
from hubs.organisations.models import HolidayRegion, Membership, Organisation, OrganisationKind

M, R, W = ResourceKind.MACHINE, ResourceKind.ROOM, ResourceKind.WORKSPACE

HUBS: dict[str, dict[str, Any]] = {
    "technohub": dict(
        name="TechnoHUB Woerden",
        town="Woerden",
        address="Pompmolenlaan 6, 3447 GK Woerden",
        hours={d: [(time(8, 15), time(16, 45))] for d in range(5)},
        resources=[
            ("Lokaal Techniek 1", R, 28, None),
            ("Lokaal Techniek 2", R, 24, None),
            ("Werkplaats Hout & Metaal", W, 16, None),
            ("Lasersnijder 1", M, 4, "laser"),
            ("Lasersnijder 2", M, 4, "laser"),
            ("CNC-frees Haas", M, 2, "cnc"),
            ("3D-printer Prusa 1", M, 2, None),
            ("3D-printer Prusa 2", M, 2, None),
            ("3D-printer Ultimaker", M, 2, None),
            ("Robotarm UR5", M, 4, "robot"),
            ("PLC-paneel Siemens", M, 3, None),
        ],
    ),
    "make": dict(
        name="MAKE Center Nieuwegein",
        town="Nieuwegein",
        address="Laagraven 20, 3439 LK Nieuwegein",
        hours={
            **{d: [(time(8, 0), time(21, 30))] for d in range(4)},
            4: [(time(8, 0), time(17, 0))],
        },
        resources=[
            ("Theorielokaal", R, 30, None),
            ("Werkplaats Verspaning", W, 16, None),
            ("Lasruimte", W, 12, None),
            ("CNC-draaibank DMG Mori", M, 2, "cnc"),
            ("CNC-frees DMG Mori", M, 2, "cnc"),
            ("CNC-frees Hermle 5-assig", M, 2, "cnc"),
            ("Lasbox 1", M, 1, "lassen"),
            ("Lasbox 2", M, 1, "lassen"),
            ("Lasbox 3", M, 1, "lassen"),
            ("Lasrobot Fanuc", M, 2, "lassen"),
            ("Robotcel ABB", M, 3, "robot"),
            ("PLC-trainingspaneel 1", M, 2, None),
            ("PLC-trainingspaneel 2", M, 2, None),
            ("3D-meetmachine Zeiss", M, 2, None),
        ],
    ),
    "makerspace": dict(
        name="Makerspace Amstel & Venen",
        town="Mijdrecht",
        address="Industrieweg 29, 3641 RK Mijdrecht",
        hours={
            **{d: [(time(8, 30), time(17, 0))] for d in range(5)},
            5: [(time(10, 0), time(14, 0))],
        },
        resources=[
            ("Makerslab", R, 24, None),
            ("Elektronicawerkplaats", W, 12, None),
            ("Lasersnijder Trotec", M, 3, "laser"),
            ("CNC-router", M, 2, "cnc"),
            ("3D-printer Bambu 1", M, 2, None),
            ("3D-printer Bambu 2", M, 2, None),
            ("Vinylsnijder", M, 2, None),
            ("Lasbox", M, 1, "lassen"),
        ],
    ),
}

ORGANISATIONS: dict[str, dict[str, Any]] = {
    "school_a": dict(
        name="Groene Hart College",
        kind=OrganisationKind.VO_SCHOOL,
        brin="14GH",
        brin_branch="00",
        town="Woerden",
        holiday_region=HolidayRegion.MIDDEN,
        hubs=["technohub"],
    ),
    "school_b": dict(
        name="Lek en IJssel Lyceum",
        kind=OrganisationKind.VO_SCHOOL,
        brin="17LY",
        brin_branch="01",
        town="Woerden",
        holiday_region=HolidayRegion.MIDDEN,
        hubs=["technohub"],
    ),
    "school_c": dict(
        name="Veenlanden Scholengroep",
        kind=OrganisationKind.VO_SCHOOL,
        brin="20VS",
        brin_branch="00",
        town="Mijdrecht",
        holiday_region=HolidayRegion.MIDDEN,
        hubs=["makerspace"],
    ),
    "roc": dict(
        name="ROC Midden-Utrecht",
        kind=OrganisationKind.MBO_COLLEGE,
        brin="25RM",
        brin_branch="00",
        town="Nieuwegein",
        holiday_region=HolidayRegion.MIDDEN,
        hubs=["make"],
    ),
    "company_a": dict(
        name="Van Rijn Precisietechniek B.V.",
        kind=OrganisationKind.COMPANY,
        kvk="30123456",
        town="Nieuwegein",
        hubs=["make", "makerspace"],
    ),
    "company_b": dict(
        name="Kromwijk Machinebouw B.V.",
        kind=OrganisationKind.COMPANY,
        kvk="30234567",
        town="Woerden",
        hubs=["technohub", "make"],
    ),
    "company_c": dict(
        name="De Ronde Venen Kunststoffen B.V.",
        kind=OrganisationKind.COMPANY,
        kvk="30345678",
        town="Mijdrecht",
        hubs=["makerspace"],
    ),
}

USERS: list[tuple[str, str, str, list[tuple[Any, ...]]]] = [
    ("manager", "manager@hubs.example", "Marieke Jansen", [(Role.MANAGER, None, None)]),
    (
        "coord_technohub",
        "coordinator.technohub@hubs.example",
        "Ruud Verhoef",
        [(Role.COORDINATOR, "technohub", None)],
    ),
    (
        "coord_make",
        "coordinator.make@hubs.example",
        "Samira El Amrani",
        [(Role.COORDINATOR, "make", None)],
    ),
    (
        "coord_makerspace",
        "coordinator.makerspace@hubs.example",
        "Joost van Dam",
        [(Role.COORDINATOR, "makerspace", None)],
    ),
    (
        "teacher_a",
        "teacher.a@school-a.example",
        "Anouk de Vries",
        [(Role.BOOKER, None, "school_a", True)],
    ),
    (
        "teacher_b",
        "teacher.b@school-b.example",
        "Bram Koster",
        [(Role.BOOKER, None, "school_b", True)],
    ),
    (
        "teacher_roc",
        "teacher@roc.example",
        "Fatima Bouzid",
        [(Role.BOOKER, None, "roc", True)],
    ),
    (
        "hr_a",
        "hr@company-a.example",
        "Henk van Rijn",
        [(Role.BOOKER, None, "company_a", True)],
    ),
    ("funder", "funder@provincie.example", "Provincie Utrecht", [(Role.FUNDER, None, None)]),
]

MEMBERS_SINCE = date(2020, 8, 1)


def load(ctx: DemoContext) -> None:
    for key, spec in HUBS.items():
        hub = Hub(name=spec["name"], town=spec["town"], address=spec["address"])
        for weekday, intervals in spec["hours"].items():
            for opens, closes in intervals:
                hub.opening_hours.append(
                    OpeningHours(weekday=weekday, opens_at=opens, closes_at=closes)
                )
        db.session.add(hub)
        ctx.hubs[key] = hub
        for name, kind, capacity, licence in spec["resources"]:
            resource = Resource(
                hub=hub, name=name, kind=kind, capacity=capacity, licence_type=licence
            )
            db.session.add(resource)
            ctx.resources[f"{key}:{name}"] = resource
    db.session.flush()

    for key, spec in ORGANISATIONS.items():
        fields = {k: v for k, v in spec.items() if k != "hubs"}
        org = Organisation(**fields)
        db.session.add(org)
        ctx.organisations[key] = org
        for hub_key in spec["hubs"]:
            org.memberships.append(Membership(hub=ctx.hubs[hub_key], starts_on=MEMBERS_SINCE))
    db.session.flush()

    password_hash = hash_password(DEMO_PASSWORD)
    for key, email, name, grants in USERS:
        user = User(email=email, name=name, locale="nl", password_hash=password_hash)
        db.session.add(user)
        db.session.flush()
        for grant in grants:
            role, hub_key, org_key = grant[:3]
            admin = len(grant) > 3 and bool(grant[3])
            db.session.add(
                RoleGrant(
                    user_id=user.id,
                    role=role,
                    hub_id=ctx.hubs[hub_key].id if hub_key else None,
                    organisation_id=ctx.organisations[org_key].id if org_key else None,
                    is_org_admin=admin,
                )
            )
        ctx.users[key] = user
    db.session.flush()
