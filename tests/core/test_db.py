"""SQLite discipline (WAL, BEGIN IMMEDIATE for writers only), UTC instants, retries."""

from __future__ import annotations

import sqlite3
import threading
import time
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import event, select, text, update
from sqlalchemy.exc import IntegrityError

from hubs.db import UTCDateTime, insert_rows, together, transactional, write_transaction
from hubs.extensions import db
from hubs.locations.models import Hub


def _sqlite_path(app) -> str:
    return app.config["DATABASE_URL"].removeprefix("sqlite:///")


def test_sqlite_pragmas(ctx, backend_name):
    if backend_name != "sqlite":
        pytest.skip("SQLite only")
    conn = db.session.connection()
    assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000


def test_writers_begin_immediate_and_readers_deferred(ctx, backend_name, make):
    if backend_name != "sqlite":
        pytest.skip("SQLite only")
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        db.session.scalars(select(Hub)).all()
        db.session.commit()
        with write_transaction():
            db.session.add(Hub(name="Nieuw", town="Woerden"))
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    begins = [s for s in statements if s.startswith("BEGIN")]
    assert begins == ["BEGIN", "BEGIN IMMEDIATE"]


def test_reads_do_not_wait_for_a_writer_but_writes_queue(app, backend_name, make):
    """A held write lock: a page still loads at once; a write waits for the lock."""
    if backend_name != "sqlite":
        pytest.skip("SQLite only")
    make.hub(name="Bestaand")
    blocker = sqlite3.connect(_sqlite_path(app), isolation_level=None, check_same_thread=False)
    blocker.execute("BEGIN IMMEDIATE")
    blocker.execute("UPDATE hubs SET town = 'Utrecht'")
    release = threading.Timer(0.6, blocker.execute, args=("COMMIT",))
    release.start()
    try:
        client = app.test_client()
        started = time.monotonic()
        response = client.get("/healthz")
        with app.app_context():
            names = db.session.scalars(select(Hub.name)).all()
            read_took = time.monotonic() - started
            assert names == ["Bestaand"]
            assert read_took < 0.4
            assert response.status_code == 200
            started = time.monotonic()
            with write_transaction():
                db.session.execute(update(Hub).values(town="Woerden"))
            write_took = time.monotonic() - started
        assert write_took >= 0.3  # it queued behind the held lock instead of failing
    finally:
        release.join()
        blocker.close()


def test_a_write_outside_a_service_transaction_is_refused(ctx):
    db.session.add(Hub(name="Stiekem", town="Woerden"))
    with pytest.raises(RuntimeError, match="write_transaction"):
        db.session.flush()
    db.session.rollback()
    with pytest.raises(RuntimeError, match="write_transaction"):
        db.session.execute(update(Hub).values(town="X"))


def test_failed_unit_of_work_rolls_back_everything(ctx):
    with pytest.raises(ValueError), write_transaction():
        db.session.add(Hub(name="Half", town="Woerden"))
        db.session.flush()
        raise ValueError("boom")
    assert db.session.scalar(select(Hub).where(Hub.name == "Half")) is None


def test_instants_are_stored_in_utc_and_come_back_aware(ctx, backend_name):
    amsterdam = timezone(timedelta(hours=2))
    moment = datetime(2026, 7, 1, 9, 30, tzinfo=amsterdam)
    with write_transaction():
        hub = Hub(name="Tijd", town="Woerden", created_at=moment)
        db.session.add(hub)
    db.session.expire_all()
    loaded = db.session.scalar(select(Hub).where(Hub.name == "Tijd"))
    assert loaded.created_at == moment
    assert loaded.created_at.tzinfo is not None and loaded.created_at.utcoffset() == timedelta(0)
    raw = db.session.execute(text("SELECT created_at FROM hubs WHERE name = 'Tijd'")).scalar()
    if backend_name == "sqlite":
        assert raw == "2026-07-01 07:30:00.000000"  # fixed format: text order is time order


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="naive"):
        UTCDateTime().process_bind_param(datetime(2026, 1, 1, 9), _Dialect())  # type: ignore[arg-type]


class _Dialect:
    name = "sqlite"


def test_serialization_failure_is_retried_on_postgresql(app, backend_name, make):
    if backend_name != "postgresql":
        pytest.skip("PostgreSQL only")
    hub = make.hub(name="Race", town="A")
    attempts = []
    url = app.config["DATABASE_URL"]

    @transactional
    def rename() -> None:
        attempts.append(1)
        db.session.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"))
        db.session.execute(select(Hub.town).where(Hub.id == hub.id)).scalar()
        if len(attempts) == 1:
            # A concurrent writer commits after our snapshot was taken.
            from sqlalchemy import create_engine

            other = create_engine(url)
            with other.begin() as conn:
                conn.execute(text("UPDATE hubs SET town = 'B' WHERE id = :id"), {"id": hub.id})
            other.dispose()
        db.session.execute(update(Hub).where(Hub.id == hub.id).values(town="C"))

    with app.app_context():
        rename()
        assert len(attempts) == 2
        assert db.session.scalar(select(Hub.town).where(Hub.id == hub.id)) == "C"


def test_utcnow_is_aware():
    from hubs.db import utcnow

    assert utcnow().tzinfo is UTC


def _statements(fn):
    seen: list[str] = []

    def record(conn, cursor, statement, *args):
        seen.append(" ".join(statement.split()))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        fn()
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return [s for s in seen if not s.startswith(("BEGIN", "SELECT 1"))]


def test_inserts_made_together_reach_postgresql_in_one_statement(ctx, backend_name, make):
    from hubs.mail.models import OutboxMessage

    user = make.user("manager")
    hubs, outbox = Hub.__table__, OutboxMessage.__table__
    message = {"kind": "probe.x", "to_address": "a@b.example", "subject": "S", "body_text": "B"}

    def write():
        with write_transaction(), together():
            insert_rows(hubs, [{"name": "Een", "town": "Woerden"}, {"name": "Twee", "town": "Ede"}])
            insert_rows(outbox, {**message, "to_user_id": user.id})

    sent = _statements(write)
    assert len(sent) == (1 if backend_name == "postgresql" else 2), sent
    assert sorted(db.session.scalars(select(Hub.name).where(Hub.name.in_(["Een", "Twee"])))) == [
        "Een",
        "Twee",
    ]
    # Python-side defaults are filled in as for a plain INSERT.
    stored = db.session.scalars(select(OutboxMessage)).one()
    assert stored.status.value == "pending" and stored.attempts == 0 and stored.created_at


def test_a_refused_insert_made_together_fails_the_unit_of_work(ctx, make):
    user = make.user("manager")
    hubs = Hub.__table__
    with pytest.raises(IntegrityError), write_transaction(), together():
        insert_rows(hubs, {"name": "Drie", "town": "Woerden"})
        # No such user: the foreign key refuses it, and nothing of the unit stays.
        insert_rows(
            db.metadata.tables["role_grants"],
            {"user_id": user.id + 999, "role": "manager", "is_org_admin": False},
        )
    db.session.rollback()
    assert db.session.scalar(select(Hub.id).where(Hub.name == "Drie")) is None
