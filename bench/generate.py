"""Fill a fresh, migrated database at scale, fast.

Small tables go in with SQLAlchemy Core; the three big ones (bookings, learners,
enrolments) with ``executemany`` on SQLite and ``COPY`` on PostgreSQL. During the load the
overlap guard is lifted and the secondary indexes are dropped, then everything is put back
exactly as the migrations made it: on PostgreSQL re-adding the exclusion constraint checks
every row, on SQLite a window query proves no two active occurrences of a resource overlap
before the triggers return. Occurrences never overlap by construction: each resource gets
distinct periods of distinct days.
"""

from __future__ import annotations

import random
import time as clock
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Engine, create_engine, insert, text

from bench.scale import Scale

TZ = ZoneInfo("Europe/Amsterdam")
# Periods of a day that generated occurrences use (local time). The evening (17:00-22:00)
# stays free: the throughput case books there.
PERIODS = [(time(8, 30), time(10, 30)), (time(11), time(12, 30)), (time(13), time(15))]
PERIODS += [(time(15, 15), time(16, 45))]
OPENS, CLOSES = time(8), time(22)
VO_LEVELS = ["vmbo-bb", "vmbo-kb", "vmbo-gl", "vmbo-tl", "havo", "vwo"]
MBO_LEVELS = ["mbo-1", "mbo-2", "mbo-3", "mbo-4"]
CATEGORIES = ["vo", "vo", "vo", "mbo", "mbo", "employee", "other"]
BATCH = 20_000
BOOKER_EMAIL = "booker@bench.example"
COORDINATOR_EMAIL = "coordinator@bench.example"


@dataclass
class World:
    """What the cases need to know about a generated database."""

    url: str
    scale: Scale
    today: date
    first_day: date
    last_day: date
    hub_ids: list[int] = field(default_factory=list)
    resources: dict[int, list[int]] = field(default_factory=dict)  # hub id -> resource ids
    booker_org_id: int = 1
    seconds: float = 0.0

    @property
    def big_hub(self) -> int:
        return self.hub_ids[0]


def week_monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def plan(url: str, scale: Scale, today: date) -> World:
    """Ids and dates the generator uses (deterministic: the same for every backend)."""
    first = week_monday(date(today.year - scale.years + 1, today.month, 1))
    world = World(url, scale, today, first, week_monday(today) + timedelta(days=365))
    world.hub_ids = list(range(1, scale.hubs + 1))
    rest = scale.resources - scale.big_hub_resources
    per_hub = [scale.big_hub_resources] + [
        rest // (scale.hubs - 1) + (1 if i < rest % (scale.hubs - 1) else 0)
        for i in range(scale.hubs - 1)
    ]
    next_id = 1
    for hub_id, count in zip(world.hub_ids, per_hub, strict=True):
        world.resources[hub_id] = list(range(next_id, next_id + count))
        next_id += count
    return world


def generate(url: str, scale: Scale, today: date, seed: int = 20261129) -> World:
    """Fill the (migrated, empty) database at ``url``; returns what was made."""
    started = clock.perf_counter()
    world = plan(url, scale, today)
    rng = random.Random(seed)
    engine = create_engine(url)
    with engine.begin() as conn:
        _small_tables(conn, world, rng)
    loader = _loader(engine)
    with loader.unguarded():
        loader.load("bookings", BOOKING_COLUMNS, _bookings(world, rng))
        loader.load("learners", LEARNER_COLUMNS, _learners(world, rng))
        loader.load("enrolments", ENROLMENT_COLUMNS, _enrolments(world, rng))
    loader.analyze()
    engine.dispose()
    world.seconds = clock.perf_counter() - started
    return world


# --- small tables ----------------------------------------------------------------------


def _small_tables(conn: Connection, world: World, rng: random.Random) -> None:
    from hubs.extensions import db

    t = db.metadata.tables
    now = datetime.now(UTC)
    conn.execute(
        insert(t["hubs"]),
        [
            {"id": h, "name": f"Hub {h:02d}", "town": "Woerden", "address": "", "created_at": now}
            for h in world.hub_ids
        ],
    )
    conn.execute(
        insert(t["opening_hours"]),
        [
            {"hub_id": h, "weekday": d, "opens_at": OPENS, "closes_at": CLOSES}
            for h in world.hub_ids
            for d in range(5)
        ],
    )
    kinds = ["room", "workspace", "machine", "machine", "machine"]
    conn.execute(
        insert(t["resources"]),
        [
            {
                "id": r,
                "hub_id": h,
                "name": f"{kinds[r % 5].title()} {r}",
                "kind": kinds[r % 5],
                "capacity": 30 if kinds[r % 5] != "machine" else 4,
                "description": "",
                "active": True,
                "created_at": now,
            }
            for h, ids in world.resources.items()
            for r in ids
        ],
    )
    _organisations(conn, world, rng, now)
    _people(conn, world, now)
    conn.execute(
        insert(t["programmes"]),
        [
            {
                "id": p,
                "hub_id": world.hub_ids[(p - 1) // world.scale.programmes_per_hub],
                "name": f"Programme {p}",
                "description": "",
                **{f"serves_{c}": True for c in ("vo", "mbo", "employee", "other")},
                "records_pupil_names": False,
                "active": True,
                "created_at": now,
            }
            for p in range(1, _programmes(world) + 1)
        ],
    )


def _programmes(world: World) -> int:
    return world.scale.hubs * world.scale.programmes_per_hub


def _organisations(conn: Connection, world: World, rng: random.Random, now: datetime) -> None:
    from hubs.extensions import db

    t = db.metadata.tables
    orgs = [
        {
            "id": o,
            "name": f"Organisation {o}",
            "kind": "company" if o % 3 == 0 else "vo_school",
            "brin": None if o % 3 == 0 else f"{o:04d}"[-4:],
            "brin_branch": None if o % 3 == 0 else "00",
            "kvk": f"{10000000 + o}" if o % 3 == 0 else None,
            "town": "Woerden",
            "created_at": now,
        }
        for o in range(1, world.scale.organisations + 1)
    ]
    conn.execute(insert(t["organisations"]), orgs)
    start = world.first_day - timedelta(days=365)
    memberships = [
        {"organisation_id": world.booker_org_id, "hub_id": h, "starts_on": start, "ends_on": None}
        for h in world.hub_ids
    ]
    for o in range(2, world.scale.organisations + 1):
        for h in rng.sample(world.hub_ids, 2):
            memberships.append(
                {"organisation_id": o, "hub_id": h, "starts_on": start, "ends_on": None}
            )
    conn.execute(insert(t["memberships"]), [{**m, "created_at": now} for m in memberships])


def _people(conn: Connection, world: World, now: datetime) -> None:
    from hubs.extensions import db

    t = db.metadata.tables
    conn.execute(
        insert(t["users"]),
        [
            {
                "id": i,
                "email": email,
                "name": name,
                "locale": "nl",
                "active": True,
                "created_at": now,
                "password_hash": None,
            }
            for i, email, name in (
                (1, BOOKER_EMAIL, "Bench booker"),
                (2, COORDINATOR_EMAIL, "Bench coordinator"),
            )
        ],
    )
    conn.execute(
        insert(t["role_grants"]),
        [
            {
                "user_id": 1,
                "role": "booker",
                "organisation_id": world.booker_org_id,
                "hub_id": None,
                "is_org_admin": False,
                "created_at": now,
            },
            {
                "user_id": 2,
                "role": "coordinator",
                "organisation_id": None,
                "hub_id": world.big_hub,
                "is_org_admin": False,
                "created_at": now,
            },
        ],
    )


# --- bookings --------------------------------------------------------------------------

BOOKING_COLUMNS = (
    "id",
    "bundle_id",
    "hub_id",
    "resource_id",
    "organisation_id",
    "booked_by_id",
    "start_at",
    "end_at",
    "status",
    "group_name",
    "group_size",
    "learner_category",
    "level",
    "purpose",
    "notes",
    "expires_at",
    "cancel_reason",
    "version",
    "created_at",
    "updated_at",
)


def _working_days(world: World) -> list[date]:
    days = (
        world.first_day + timedelta(days=i) for i in range((world.last_day - world.first_day).days)
    )
    return [d for d in days if d.weekday() < 5]


def _period_instants(days: list[date]) -> list[tuple[datetime, datetime]]:
    """Every (day, period) of the window as UTC instants, in time order."""
    return [
        (
            datetime.combine(d, s, TZ).astimezone(UTC),
            datetime.combine(d, e, TZ).astimezone(UTC),
        )
        for d in days
        for s, e in PERIODS
    ]


def _bookings(world: World, rng: random.Random) -> Iterator[tuple[Any, ...]]:
    """``scale.bookings`` occurrences spread over the resources; each resource gets
    distinct (day, period) pairs, so no two of its occurrences overlap."""
    instants = _period_instants(_working_days(world))
    all_resources = [(h, r) for h, ids in world.resources.items() for r in ids]
    per, extra = divmod(world.scale.bookings, len(all_resources))
    if per + 1 > len(instants):
        raise ValueError("more occurrences than periods in the window")
    now = datetime.now(UTC)
    orgs = list(range(1, world.scale.organisations + 1))
    next_id = 1
    for i, (hub_id, resource_id) in enumerate(all_resources):
        count = per + (1 if i < extra else 0)
        for index in sorted(rng.sample(range(len(instants)), count)):
            start, end = instants[index]
            future = start > now
            status = _status(rng, future)
            yield (
                next_id,
                next_id,
                hub_id,
                resource_id,
                rng.choice(orgs),
                None,
                start,
                end,
                status,
                f"Groep {next_id % 97}",
                rng.randint(1, 4),
                "vo",
                "vmbo-kb",
                "",
                "",
                now + timedelta(hours=72) if status == "requested" else None,
                "",
                1,
                start - timedelta(days=14),
                start - timedelta(days=14),
            )
            next_id += 1


def _status(rng: random.Random, future: bool) -> str:
    roll = rng.random()
    if roll < 0.06:
        return "cancelled"
    if future and roll < 0.10:
        return "requested"
    return "confirmed"


# --- learners and enrolments -----------------------------------------------------------

LEARNER_COLUMNS = (
    "id",
    "organisation_id",
    "reference",
    "category",
    "level",
    "leerjaar",
    "pathway",
    "created_at",
)

ENROLMENT_COLUMNS = (
    "id",
    "kind",
    "programme_id",
    "organisation_id",
    "school_year",
    "group_name",
    "headcount",
    "learner_id",
    "group_id",
    "category",
    "level",
    "leerjaar",
    "pathway",
    "starts_on",
    "ends_on",
    "status",
    "note",
    "created_at",
    "updated_at",
)


def _learner_shape(learner_id: int) -> tuple[str, str | None, int | None, str | None]:
    category = CATEGORIES[learner_id % len(CATEGORIES)]
    if category == "vo":
        return category, VO_LEVELS[learner_id % 6], 1 + learner_id % 4, None
    if category == "mbo":
        return category, MBO_LEVELS[learner_id % 4], None, "bol" if learner_id % 3 else "bbl"
    return category, None, None, None


def _learner_org(world: World, learner_id: int) -> int:
    return 2 + learner_id % (world.scale.organisations - 1)


def _learners(world: World, rng: random.Random) -> Iterator[tuple[Any, ...]]:
    now = datetime.now(UTC)
    for i in range(1, world.scale.learners + 1):
        category, level, leerjaar, pathway = _learner_shape(i)
        yield (i, _learner_org(world, i), f"L{i:07d}", category, level, leerjaar, pathway, now)


def _school_years(world: World) -> list[int]:
    last = world.today.year if world.today.month >= 8 else world.today.year - 1
    return list(range(last - world.scale.years + 1, last + 1))


def _enrolments(world: World, rng: random.Random) -> Iterator[tuple[Any, ...]]:
    """One group per (programme, organisation slot, year) first, then individuals: each
    learner follows one programme for consecutive school years; one in four individuals
    belongs to a group of their programme and year."""
    now = datetime.now(UTC)
    years = _school_years(world)
    programmes = _programmes(world)
    groups_total = world.scale.enrolments // 10
    individuals_total = world.scale.enrolments - groups_total
    group_of: dict[tuple[int, int], list[int]] = {}
    next_id = 1
    for g in range(groups_total):
        programme = 1 + g % programmes
        year = years[(g // programmes) % len(years)]
        org = 2 + (g // (programmes * len(years))) % (world.scale.organisations - 1)
        group_of.setdefault((programme, year), []).append(next_id)
        yield (
            next_id,
            "group",
            programme,
            org,
            year,
            f"Klas {g}",
            rng.randint(8, 30),
            None,
            None,
            "vo",
            "vmbo-kb",
            2,
            None,
            date(year, 8, 1),
            date(year + 1, 7, 31),
            "enrolled",
            "",
            now,
            now,
        )
        next_id += 1
    per_year = individuals_total // len(years)
    for year_index, year in enumerate(years):
        quota = per_year + (individuals_total % len(years) if year_index == 0 else 0)
        offset = year_index * world.scale.learners // len(years)
        for k in range(min(quota, world.scale.learners)):
            learner = 1 + (offset + k) % world.scale.learners
            programme = 1 + learner % programmes
            groups = group_of.get((programme, year), [])
            group_id = groups[learner % len(groups)] if groups and learner % 4 == 0 else None
            category, level, leerjaar, pathway = _learner_shape(learner)
            yield (
                next_id,
                "individual",
                programme,
                _learner_org(world, learner),
                year,
                None,
                None,
                learner,
                group_id,
                category,
                level,
                leerjaar,
                pathway,
                date(year, 8, 1),
                date(year + 1, 7, 31) if learner % 9 else date(year + 1, 3, 1),
                "enrolled",
                "",
                now,
                now,
            )
            next_id += 1


# --- bulk loading ----------------------------------------------------------------------


class Loader:
    """Bulk insert with the overlap guard and secondary indexes off, then back on."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.saved: list[str] = []

    def unguarded(self) -> Any:
        return _Unguarded(self)

    def lift(self) -> None:
        raise NotImplementedError

    def restore(self) -> None:
        raise NotImplementedError

    def load(self, table: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> None:
        raise NotImplementedError

    def analyze(self) -> None:
        with self.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")


class _Unguarded:
    def __init__(self, loader: Loader) -> None:
        self.loader = loader

    def __enter__(self) -> Loader:
        self.loader.lift()
        return self.loader

    def __exit__(self, *exc: Any) -> None:
        if exc[0] is None:
            self.loader.restore()


BIG_TABLES = ("bookings", "learners", "enrolments")
OVERLAPS = """
SELECT count(*) FROM (
    SELECT start_at, lag(end_at) OVER (PARTITION BY resource_id ORDER BY start_at) AS prev_end
    FROM bookings WHERE status IN ('requested', 'confirmed')
) AS ordered WHERE prev_end > start_at
"""


def _chunks(rows: Iterable[tuple[Any, ...]], size: int = BATCH) -> Iterator[list[tuple[Any, ...]]]:
    chunk: list[tuple[Any, ...]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _sqlite_value(value: Any) -> Any:
    # The text format SQLAlchemy's SQLite DateTime writes (UTCDateTime stores UTC).
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    return value


class SQLiteLoader(Loader):
    def lift(self) -> None:
        names = ", ".join(f"'{t}'" for t in BIG_TABLES)
        with self.engine.begin() as conn:
            rows = conn.exec_driver_sql(
                "SELECT type, name, sql FROM sqlite_master WHERE tbl_name IN "
                f"({names}) AND type IN ('index', 'trigger') AND sql IS NOT NULL"
            ).all()
            self.saved = [sql for _type, _name, sql in rows]
            for kind, name, _sql in rows:
                conn.exec_driver_sql(f'DROP {kind.upper()} "{name}"')

    def restore(self) -> None:
        with self.engine.begin() as conn:
            overlapping = conn.exec_driver_sql(OVERLAPS).scalar_one()
            if overlapping:
                raise AssertionError(f"{overlapping} generated occurrences overlap")
            for sql in self.saved:
                conn.exec_driver_sql(sql)

    def load(self, table: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> None:
        marks = ", ".join("?" for _ in columns)
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
        raw = self.engine.raw_connection()
        try:
            raw.execute("PRAGMA synchronous=OFF")  # type: ignore[attr-defined]
            cursor = raw.cursor()
            for chunk in _chunks(rows):
                cursor.executemany(sql, [tuple(map(_sqlite_value, row)) for row in chunk])
            raw.commit()
        finally:
            raw.close()


class PostgresLoader(Loader):
    def lift(self) -> None:
        with self.engine.begin() as conn:
            found = conn.execute(
                text(
                    "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(:t) "
                    "AND indexname NOT LIKE 'pk_%' AND indexname NOT LIKE 'uq_%' "
                    "AND indexname <> 'bookings_no_overlap'"
                ),
                {"t": list(BIG_TABLES)},
            ).all()
            self.saved = [definition for _name, definition in found]
            for name, _definition in found:
                conn.exec_driver_sql(f'DROP INDEX "{name}"')
            conn.exec_driver_sql("ALTER TABLE bookings DROP CONSTRAINT bookings_no_overlap")

    def restore(self) -> None:
        with self.engine.begin() as conn:
            for sql in self.saved:
                conn.exec_driver_sql(sql)
            # Re-adding the constraint checks every generated row.
            conn.exec_driver_sql(
                "ALTER TABLE bookings ADD CONSTRAINT bookings_no_overlap EXCLUDE USING gist "
                "(resource_id WITH =, tstzrange(start_at, end_at, '[)') WITH &&) "
                "WHERE (status IN ('requested', 'confirmed'))"
            )
            for table in ("hubs", "resources", "organisations", "users", "programmes", *BIG_TABLES):
                conn.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
                )

    def load(self, table: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> None:
        raw = self.engine.raw_connection()
        try:
            cursor = raw.cursor()
            with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:  # type: ignore[attr-defined]
                for row in rows:
                    copy.write_row(row)
            raw.commit()
        finally:
            raw.close()


def _loader(engine: Engine) -> Loader:
    if engine.dialect.name == "postgresql":
        return PostgresLoader(engine)
    return SQLiteLoader(engine)
