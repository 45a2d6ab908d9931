"""Database plumbing: the UTC column type, SQLite pragmas and the write transaction.

Every use case that writes runs inside :func:`write_transaction` (or a function decorated
with :func:`transactional`). On SQLite that transaction starts with ``BEGIN IMMEDIATE``, so
writers queue for the write lock up front instead of failing halfway with "database is
locked"; read-only requests start a deferred transaction and never wait for a writer (WAL).
On PostgreSQL a serialization failure or deadlock is retried a bounded number of times.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime
from typing import Any, ParamSpec, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import DateTime, Table, bindparam, event, insert
from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeDecorator

from hubs.extensions import db

P = ParamSpec("P")
R = TypeVar("R")

_write_intent: ContextVar[bool] = ContextVar("hubs_write_intent", default=False)

RETRYABLE_SQLSTATES = {"40001", "40P01"}  # serialization failure, deadlock detected
MAX_ATTEMPTS = 4


class UTCDateTime(TypeDecorator[datetime]):
    """An instant: timezone-aware in Python, stored as UTC.

    SQLite keeps it as text in one fixed format, so string comparison is chronological
    (the booking triggers rely on that). A naive datetime is a programming error.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: instants must carry a timezone")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def utcnow() -> datetime:
    """The current instant, timezone-aware (tests move it with time-machine)."""
    return datetime.now(UTC)


def local_today() -> date:
    """Today's date in the Netherlands (Europe/Amsterdam), from the same clock."""
    return utcnow().astimezone(ZoneInfo("Europe/Amsterdam")).date()


def install_engine_hooks(engine: Engine, busy_timeout_ms: int = 30000) -> None:
    """Pragmas and explicit BEGIN handling for SQLite; nothing to do for PostgreSQL."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from pysqlite: we emit BEGIN ourselves.
        dbapi_connection.isolation_level = None
        cur = dbapi_connection.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if _write_intent.get() else "BEGIN")


def in_write_transaction() -> bool:
    """True inside :func:`write_transaction`."""
    return _write_intent.get()


@contextmanager
def write_transaction() -> Iterator[Session]:
    """One unit of work that writes: commit on success, roll back on any error.

    Re-entrant: an inner call joins the outer unit of work, which commits once.
    """
    session = db.session()
    if _write_intent.get():
        yield session
        return
    if session.in_transaction():
        # End the read transaction so the write transaction starts with the write lock
        # (BEGIN IMMEDIATE on SQLite) and sees the latest committed state.
        if session.new or session.dirty or session.deleted:
            raise RuntimeError("pending changes outside a write transaction")
        session.commit()
    token = _write_intent.set(True)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        _write_intent.reset(token)


def execute_core(statement: Any, params: Any = None) -> Any:
    """Run ``statement`` on the session's connection (in its transaction), past the
    session's ORM execution layer (events, ORM compile state, result wrapping): a third
    of the cost of the few statements every booking sends (bench/: row 1). For Core
    statements on tables and selects of columns (rows, not objects); what it writes is
    not in the session. Writes belong inside :func:`write_transaction` here too."""
    if getattr(statement, "is_dml", False) and not _write_intent.get():
        raise RuntimeError(
            "database write outside write_transaction(): wrap the use case in a service"
        )
    return db.session.connection().execute(statement, params)


_together: ContextVar[list[tuple[Table, list[dict[str, Any]]]] | None] = ContextVar(
    "hubs_together", default=None
)


def insert_rows(table: Table, rows: dict[str, Any] | list[dict[str, Any]]) -> None:
    """INSERT ``rows`` into ``table`` (nothing is read back). Inside :func:`together` on
    PostgreSQL the INSERT waits for the end of the block and goes with the others."""
    batch = rows if isinstance(rows, list) else [rows]
    pending = _together.get()
    if pending is not None:
        pending.append((table, batch))
        return
    execute_core(_insert_statement(table), batch)


@contextmanager
def together() -> Iterator[None]:
    """The INSERTs made inside with :func:`insert_rows` reach PostgreSQL in one round trip
    when the block ends: the first as the statement, the others as ``WITH … INSERT``
    (PostgreSQL runs the statement's INSERT first, then the others; unique and exclusion
    constraints are checked as each row goes in, foreign keys at the end of the
    statement; a refusal raises as the separate INSERT would). A booking writes four rows; on
    PostgreSQL each round trip costs more than the rest of the write (bench/: row 1).
    Elsewhere (SQLite runs in the process: no round trips) they run at once, in order.
    Rows inserted inside must not be read inside."""
    if _together.get() is not None or db.engine.dialect.name != "postgresql":
        yield
        return
    pending: list[tuple[Table, list[dict[str, Any]]]] = []
    token = _together.set(pending)
    try:
        yield
    finally:
        _together.reset(token)
    if len(pending) == 1:
        execute_core(_insert_statement(pending[0][0]), pending[0][1])
    elif pending:
        _send_together(pending)


def _send_together(pending: list[tuple[Table, list[dict[str, Any]]]]) -> None:
    shape = []
    params: dict[str, Any] = {}
    for i, (table, rows) in enumerate(pending):
        complete = [_with_defaults(table, row) for row in rows]
        columns = tuple(sorted(complete[0]))
        shape.append((table, columns, len(complete)))
        for j, row in enumerate(complete):
            for column in columns:
                params[f"t{i}r{j}_{column}"] = row[column]
    execute_core(_together_statement(tuple(shape)), params)


def _with_defaults(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    """``row`` with the Python-side defaults of the columns it leaves out (a statement
    with explicit parameters for every row gets none filled in by SQLAlchemy)."""
    complete = dict(row)
    for column in table.columns:
        default = column.default
        if column.key in complete or default is None:
            continue
        if default.is_scalar:
            complete[column.key] = default.arg  # type: ignore[attr-defined]
        elif default.is_callable:
            complete[column.key] = default.arg(None)  # type: ignore[attr-defined]
    return complete


@functools.lru_cache(maxsize=128)
def _together_statement(shape: tuple[tuple[Table, tuple[str, ...], int], ...]) -> Any:
    # One single-row INSERT per row: SQLAlchemy caches the compiled form of those, not of
    # a multi-row VALUES (compiling this statement costs more than sending it).
    inserts = [
        insert(table).values(
            {c: bindparam(f"t{i}r{j}_{c}", type_=table.c[c].type) for c in columns}
        )
        for i, (table, columns, count) in enumerate(shape)
        for j in range(count)
    ]
    first, *others = inserts
    return first.add_cte(*(other.cte(f"together_{i}") for i, other in enumerate(others, 1)))


@functools.cache
def _insert_statement(table: Table) -> Any:
    return insert(table)


def is_retryable(exc: BaseException) -> bool:
    """A PostgreSQL serialization failure or deadlock: safe to run the use case again."""
    orig = getattr(exc, "orig", None)
    return isinstance(exc, DBAPIError) and getattr(orig, "sqlstate", None) in (RETRYABLE_SQLSTATES)


def sqlstate(exc: BaseException) -> str | None:
    """The SQLSTATE of a database error, if the driver gives one."""
    return getattr(getattr(exc, "orig", None), "sqlstate", None)


def transactional(fn: Callable[P, R]) -> Callable[P, R]:
    """Run a service function in one write transaction, retrying transient failures."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        if _write_intent.get():
            return fn(*args, **kwargs)
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                with write_transaction():
                    return fn(*args, **kwargs)
            except DBAPIError as exc:
                if attempt == MAX_ATTEMPTS or not is_retryable(exc):
                    raise
                time.sleep(0.01 * 2**attempt)
        raise AssertionError("unreachable")

    return wrapper


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_writes_outside_services(state: Any) -> None:
    if (state.is_insert or state.is_update or state.is_delete) and not _write_intent.get():
        raise RuntimeError(
            "database write outside write_transaction(): wrap the use case in a service"
        )


@event.listens_for(Session, "before_flush")
def _refuse_writes_outside_services(session: Session, *_: Any) -> None:
    """Writes belong to a service's unit of work; anything else is a bug we want loud."""
    if not _write_intent.get() and (session.new or session.dirty or session.deleted):
        raise RuntimeError(
            "database write outside write_transaction(): wrap the use case in a service"
        )
