"""Demo enrolment history, school years 2020/21 up to the current one, at all three hubs.

By the counting rule (:mod:`hubs.learners.counting`), participants in school years
2021 → 2022 are exactly the figures of the province's letter of 12 September 2022:

- TechnoHUB Woerden, "Dagelijks techniekonderwijs": 27 → 124 VO pupils (group enrolments
  of Groene Hart College and Lek en IJssel Lyceum; a few pupils of one class are also
  recorded individually for a machine instruction, and are not counted twice);
- MAKE Center Nieuwegein, "MBO Techniek": 77 → 124 MBO students (individual enrolments of
  ROC Midden-Utrecht students, some continuing over several years, some stopping early,
  some starting in February);

plus employees of member companies upskilled at the MAKE Center and the Makerspace.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from typing import Any

from hubs.demo import DemoContext
from hubs.extensions import db
from hubs.learners.counting import school_year_bounds, school_year_of
from hubs.learners.models import (
    Enrolment,
    EnrolmentKind,
    EnrolmentStatus,
    FundingSource,
    Learner,
    LearnerCategory,
    Level,
    Pathway,
    Programme,
)

FIRST_YEAR = 2020
FUNDING = [
    "MKB-Deal",
    "Provincie Utrecht",
    "Gemeente Woerden",
    "Sterk Techniekonderwijs",
    "Bedrijven",
]

PROGRAMMES: dict[str, dict[str, Any]] = {
    "daily": dict(
        hub="technohub",
        name="Dagelijks techniekonderwijs",
        description="Leerlingen van aangesloten vo-scholen krijgen elke dag techniekles in de hub.",
        categories=("vo",),
        funding=("MKB-Deal", "Sterk Techniekonderwijs", "Gemeente Woerden"),
    ),
    "mbo": dict(
        hub="make",
        name="MBO Techniek",
        description="Praktijkonderwijs voor mbo-studenten werktuigbouwkunde en mechatronica.",
        categories=("mbo",),
        crebo="25284",
        funding=("MKB-Deal", "Provincie Utrecht"),
    ),
    "cnc": dict(
        hub="make",
        name="CNC bijscholing",
        description="Omscholing en bijscholing van werkenden op CNC-draaien en -frezen.",
        categories=("employee",),
        funding=("MKB-Deal", "Bedrijven"),
    ),
    "maker_vo": dict(
        hub="makerspace",
        name="Maakonderwijs Amstel & Venen",
        description="Ontwerpen en maken voor leerlingen uit De Ronde Venen.",
        categories=("vo",),
        funding=("MKB-Deal", "Sterk Techniekonderwijs"),
    ),
    "maker_work": dict(
        hub="makerspace",
        name="Bijscholing werkenden",
        description="Korte trainingen lasersnijden, 3D-printen en lassen voor medewerkers.",
        categories=("employee",),
        funding=("Provincie Utrecht", "Bedrijven"),
    ),
}

KB, BB, GL, HAVO = Level.VMBO_KB, Level.VMBO_BB, Level.VMBO_GL, Level.HAVO
# (school, class, level, leerjaar, headcount) per school year of "Dagelijks techniekonderwijs".
DAILY_GROUPS: dict[int, list[tuple[str, str, Level, int, int]]] = {
    2020: [("school_a", "3K-PIE", KB, 3, 12)],
    2021: [("school_a", "3K-PIE", KB, 3, 15), ("school_b", "3B-BWI", BB, 3, 12)],  # 27
    2022: [  # 124
        ("school_a", "3K-PIE", KB, 3, 24),
        ("school_a", "3B-PIE", BB, 3, 20),
        ("school_a", "4K-PIE", KB, 4, 22),
        ("school_b", "3B-BWI", BB, 3, 18),
        ("school_b", "4H-NT", HAVO, 4, 16),
        ("school_b", "3G-MVI", GL, 3, 24),
    ],
}
DAILY_LATER = [
    ("school_a", "3K-PIE", KB, 3),
    ("school_a", "3B-PIE", BB, 3),
    ("school_a", "4K-PIE", KB, 4),
    ("school_b", "3B-BWI", BB, 3),
    ("school_b", "4H-NT", HAVO, 4),
    ("school_b", "3G-MVI", GL, 3),
]
DAILY_TOTALS = {2023: 131, 2024: 140, 2025: 148}
MBO_TOTALS = {2020: 58, 2021: 77, 2022: 124, 2023: 118, 2024: 126, 2025: 131}
MAKER_VO_TOTALS = {2020: 0, 2021: 38, 2022: 52, 2023: 61, 2024: 66, 2025: 70}

GIVEN = [
    "Daan",
    "Sanne",
    "Mohamed",
    "Lotte",
    "Bram",
    "Fleur",
    "Youssef",
    "Eva",
    "Thijs",
    "Noor",
    "Ricardo",
    "Anouk",
    "Kevin",
    "Daniëlle",
    "Jeroen",
    "Mila",
    "Stefan",
    "Iris",
    "Mehmet",
    "Roos",
]
FAMILY = [
    ("", "Jansen"),
    ("de", "Vries"),
    ("van", "Dijk"),
    ("", "Bakker"),
    ("", "Visser"),
    ("", "Smit"),
    ("", "Meijer"),
    ("de", "Boer"),
    ("", "Mulder"),
    ("de", "Groot"),
    ("", "Bos"),
    ("van", "Leeuwen"),
    ("", "Yilmaz"),
    ("", "El Idrissi"),
    ("van der", "Linden"),
]


def load(ctx: DemoContext) -> None:
    rng = random.Random(2022)
    years = list(range(FIRST_YEAR, max(2025, school_year_of(ctx.today)) + 1))
    current = school_year_of(ctx.today)
    programmes = _programmes(ctx)
    _daily(ctx, programmes["daily"], years, current)
    _groups(ctx, programmes["maker_vo"], "school_c", years, current, rng)
    _mbo(ctx, programmes["mbo"], years, current, rng)
    staff: dict[str, list[Learner]] = {}  # one pool per company, shared by programmes
    _employees(ctx, programmes["cnc"], ("company_a", "company_b"), years, current, rng, staff)
    _employees(
        ctx, programmes["maker_work"], ("company_a", "company_c"), years, current, rng, staff
    )
    db.session.flush()


def _programmes(ctx: DemoContext) -> dict[str, Programme]:
    sources = {name: FundingSource(name=name) for name in FUNDING}
    db.session.add_all(sources.values())
    programmes = {}
    for key, spec in PROGRAMMES.items():
        programme = Programme(
            hub=ctx.hubs[spec["hub"]],
            name=spec["name"],
            description=spec["description"],
            crebo=spec.get("crebo"),
            **{f"serves_{c}": True for c in spec["categories"]},
        )
        programme.funding_sources = [sources[name] for name in spec["funding"]]
        db.session.add(programme)
        programmes[key] = programme
    db.session.flush()
    ctx.extra["programmes"] = programmes
    return programmes


def _status(year: int, current: int) -> EnrolmentStatus:
    return EnrolmentStatus.ENROLLED if year >= current else EnrolmentStatus.COMPLETED


def _group(
    ctx: DemoContext,
    programme: Programme,
    org: str,
    name: str,
    level: Level,
    leerjaar: int | None,
    headcount: int,
    year: int,
    current: int,
) -> Enrolment:
    start, end = school_year_bounds(year)
    enrolment = Enrolment(
        kind=EnrolmentKind.GROUP,
        programme_id=programme.id,
        organisation_id=ctx.organisations[org].id,
        school_year=year,
        group_name=name,
        headcount=headcount,
        category=LearnerCategory.VO,
        level=level,
        leerjaar=leerjaar,
        starts_on=start,
        ends_on=end,
        status=_status(year, current),
    )
    db.session.add(enrolment)
    return enrolment


def _split(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def _daily(ctx: DemoContext, programme: Programme, years: list[int], current: int) -> None:
    for year in years:
        if year in DAILY_GROUPS:
            groups = DAILY_GROUPS[year]
        else:
            total = DAILY_TOTALS.get(year, 150)
            groups = [
                (*g, n) for g, n in zip(DAILY_LATER, _split(total, len(DAILY_LATER)), strict=True)
            ]
        made = [_group(ctx, programme, *g, year, current) for g in groups]
        if year == 2022:
            _instructed_pupils(ctx, programme, made[0], year, current)


def _instructed_pupils(
    ctx: DemoContext, programme: Programme, group: Enrolment, year: int, current: int
) -> None:
    """Three pupils of a class with a laser cutter instruction: recorded individually (no
    names), belonging to their class, so the class's headcount already counts them."""
    db.session.flush()
    start, end = school_year_bounds(year)
    for number in ("0201345", "0201377", "0201398"):
        learner = Learner(
            organisation_id=group.organisation_id,
            reference=number,
            category=LearnerCategory.VO,
            level=group.level,
            leerjaar=group.leerjaar,
        )
        db.session.add(learner)
        db.session.flush()
        db.session.add(
            Enrolment(
                kind=EnrolmentKind.INDIVIDUAL,
                programme_id=programme.id,
                organisation_id=group.organisation_id,
                school_year=year,
                learner_id=learner.id,
                group_id=group.id,
                category=LearnerCategory.VO,
                level=group.level,
                leerjaar=group.leerjaar,
                starts_on=start,
                ends_on=end,
                status=_status(year, current),
                note="Instructie lasersnijder gevolgd",
            )
        )


def _groups(
    ctx: DemoContext,
    programme: Programme,
    org: str,
    years: list[int],
    current: int,
    rng: random.Random,
) -> None:
    classes = [("2A-maak", GL, 2), ("2B-maak", KB, 2), ("3H-O&O", HAVO, 3)]
    for year in years:
        total = MAKER_VO_TOTALS.get(year, 72)
        if not total:
            continue
        for (name, level, leerjaar), n in zip(classes, _split(total, 3), strict=True):
            _group(ctx, programme, org, name, level, leerjaar, n, year, current)


@dataclass
class _Student:
    reference: str
    level: Level
    pathway: Pathway
    learner: Learner | None = None


def _mbo(
    ctx: DemoContext, programme: Programme, years: list[int], current: int, rng: random.Random
) -> None:
    """Individual enrolments: each student once per school year they take part in."""
    roc = ctx.organisations["roc"]
    continuing: list[_Student] = []
    serial = 500100
    for year in years:
        target = MBO_TOTALS.get(year, 135)
        this_year = continuing[: int(target * 0.6)]
        while len(this_year) < target:
            serial += 1
            level = rng.choice([Level.MBO_2, Level.MBO_3, Level.MBO_3, Level.MBO_4])
            this_year.append(_Student(str(serial), level, rng.choice([Pathway.BOL, Pathway.BBL])))
        for student in this_year:
            _enrol_student(roc.id, programme, student, year, current, rng)
        continuing = [s for s in this_year if rng.random() < 0.7]


def _enrol_student(
    org_id: int,
    programme: Programme,
    student: _Student,
    year: int,
    current: int,
    rng: random.Random,
) -> None:
    if student.learner is None:
        student.learner = Learner(
            organisation_id=org_id,
            reference=student.reference,
            category=LearnerCategory.MBO,
            level=student.level,
            pathway=student.pathway,
        )
        db.session.add(student.learner)
        db.session.flush()
    start, end = school_year_bounds(year)
    status = _status(year, current)
    roll = rng.random()
    if roll < 0.06:
        start = date(year + 1, 2, 1)  # joined in February
    elif roll < 0.11 and year < current:
        end, status = date(year + 1, 3, 15), EnrolmentStatus.STOPPED
    db.session.add(
        Enrolment(
            kind=EnrolmentKind.INDIVIDUAL,
            programme_id=programme.id,
            organisation_id=org_id,
            school_year=year,
            learner_id=student.learner.id,
            category=LearnerCategory.MBO,
            level=student.level,
            pathway=student.pathway,
            starts_on=start,
            ends_on=end,
            status=status,
        )
    )


def _employees(
    ctx: DemoContext,
    programme: Programme,
    companies: tuple[str, ...],
    years: list[int],
    current: int,
    rng: random.Random,
    staff: dict[str, list[Learner]],
) -> None:
    """Named employees (training evidence for subsidy claims) on short courses."""
    for year in years:
        for key in companies:
            org = ctx.organisations[key]
            people = staff.setdefault(key, [])
            wanted = rng.randint(3, 7)
            while len(people) < wanted + year - FIRST_YEAR:
                people.append(_employee(org.id, key, len(people) + 1, rng))
            db.session.flush()
            for person in rng.sample(people, wanted):
                _course(programme, org.id, person, year, current, rng)


def _employee(org_id: int, key: str, n: int, rng: random.Random) -> Learner:
    prefix, family = rng.choice(FAMILY)
    learner = Learner(
        organisation_id=org_id,
        reference=f"{key[-1].upper()}-{n:04d}",
        category=LearnerCategory.EMPLOYEE,
        given_name=rng.choice(GIVEN),
        name_prefix=prefix or None,
        family_name=family,
    )
    db.session.add(learner)
    return learner


def _course(
    programme: Programme, org_id: int, person: Learner, year: int, current: int, rng: random.Random
) -> None:
    autumn = rng.random() < 0.5
    start = date(year, 10, 1) if autumn else date(year + 1, 2, 2)
    end = date(year, 12, 18) if autumn else date(year + 1, 4, 17)
    status = EnrolmentStatus.COMPLETED if year < current else EnrolmentStatus.ENROLLED
    db.session.add(
        Enrolment(
            kind=EnrolmentKind.INDIVIDUAL,
            programme_id=programme.id,
            organisation_id=org_id,
            school_year=year,
            learner_id=person.id,
            category=LearnerCategory.EMPLOYEE,
            starts_on=start,
            ends_on=end,
            status=status,
        )
    )
