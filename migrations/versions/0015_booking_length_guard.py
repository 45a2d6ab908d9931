"""booking length in the database: at most 14 days; two-sided SQLite overlap triggers

No booking lasts longer than ``hubs.booking.models.MAX_DURATION`` (14 days): the rules
refuse it, and now the database does too (a CHECK constraint on both databases), so the
bound the overlap queries rely on (``start_at > start - 14 days``) is a database fact.

The SQLite overlap triggers of 0005 then get the same bound, so they read the
``(resource_id, start_at)`` index over the new booking's interval only, instead of every
earlier booking of the resource (the cost of an INSERT grew with the years of history).

Instants are fixed-format UTC text on SQLite (``YYYY-MM-DD HH:MM:SS.ffffff``, see
``hubs.db.UTCDateTime``). ``datetime(x, '+14 days')`` gives ``YYYY-MM-DD HH:MM:SS``
(without the fraction), so the fraction of ``x`` (``substr(x, 20)``) is put back: adding
days never changes it, and the result compares exactly as text.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-29 08:20:00

"""

from alembic import op
import sqlalchemy as sa


revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

NAME = "at_most_14_days"  # ck_bookings_at_most_14_days by the naming convention
PG_CHECK = "end_at - start_at <= interval '14 days'"
SQLITE_CHECK = "end_at <= datetime(start_at, '+14 days') || substr(start_at, 20)"

ACTIVE = "status IN ('requested', 'confirmed')"
OVERLAP = """
SELECT RAISE(ABORT, 'booking overlap')
WHERE EXISTS (
    SELECT 1 FROM bookings AS b
    WHERE b.resource_id = NEW.resource_id
      AND b.status IN ('requested', 'confirmed')
      AND b.start_at < NEW.end_at AND NEW.start_at < b.end_at
      {bound}
      {extra}
);
"""
# No booking is longer than 14 days (the CHECK above), so one that overlaps NEW starts
# after NEW.start_at - 14 days: the index range is bounded on both sides.
BOUND = "AND b.start_at > datetime(NEW.start_at, '-14 days') || substr(NEW.start_at, 20)"


def _triggers(bound):
    return [
        "CREATE TRIGGER bookings_no_overlap_insert BEFORE INSERT ON bookings "
        f"WHEN NEW.{ACTIVE} BEGIN " + OVERLAP.format(bound=bound, extra="") + " END",
        "CREATE TRIGGER bookings_no_overlap_update "
        "BEFORE UPDATE OF resource_id, start_at, end_at, status ON bookings "
        f"WHEN NEW.{ACTIVE} BEGIN "
        + OVERLAP.format(bound=bound, extra="AND b.id <> NEW.id")
        + " END",
    ]


def _drop_triggers():
    op.execute("DROP TRIGGER IF EXISTS bookings_no_overlap_insert")
    op.execute("DROP TRIGGER IF EXISTS bookings_no_overlap_update")


def _refuse_long_bookings(condition):
    """Stop with a clear message when existing rows break the new rule."""
    rows = op.get_bind().execute(
        sa.text(f"SELECT id FROM bookings WHERE NOT ({condition}) ORDER BY id LIMIT 20")
    ).all()
    if rows:
        ids = ", ".join(str(r[0]) for r in rows)
        raise RuntimeError(
            f"bookings longer than 14 days exist (ids {ids}{', …' if len(rows) == 20 else ''}):"
            " shorten or split them before this migration"
        )


def _sqlite_table_sql(edit):
    """Change the CREATE TABLE text of bookings in place (no rebuild).

    Rebuilding bookings (batch mode) would drop it with foreign keys on, and its
    DROP TABLE would cascade into, or be refused by, every table that refers to bookings
    (attendance, series, courses, surveys): a populated database would lose rows or fail
    to upgrade. The SQLite manual's "Making Other Kinds Of Table Schema Changes" edits
    the stored definition instead when the stored data stays valid, which
    ``_refuse_long_bookings`` checked first.
    """
    bind = op.get_bind()
    sql = bind.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'bookings'"
    ).scalar()
    version = bind.exec_driver_sql("PRAGMA schema_version").scalar()
    op.execute("PRAGMA writable_schema=ON")
    op.execute(
        sa.text(
            "UPDATE sqlite_master SET sql = :sql WHERE type = 'table' AND name = 'bookings'"
        ).bindparams(sql=edit(sql))
    )
    op.execute(f"PRAGMA schema_version={int(version) + 1}")
    op.execute("PRAGMA writable_schema=OFF")


SQLITE_CONSTRAINT = f", CONSTRAINT ck_bookings_{NAME} CHECK ({SQLITE_CHECK})"


def _add_check(sql):
    body = sql.rstrip()
    assert body.endswith(")"), sql
    return body[:-1].rstrip() + SQLITE_CONSTRAINT + "\n)"


def _drop_check(sql):
    return sql.replace(SQLITE_CONSTRAINT + "\n", "").replace(SQLITE_CONSTRAINT, "")


def upgrade():
    if op.get_context().dialect.name == "postgresql":
        _refuse_long_bookings(PG_CHECK)
        op.create_check_constraint(NAME, "bookings", sa.text(PG_CHECK))
        return
    _refuse_long_bookings(SQLITE_CHECK)
    _sqlite_table_sql(_add_check)
    _drop_triggers()
    for trigger in _triggers(BOUND):
        op.execute(trigger)


def downgrade():
    if op.get_context().dialect.name == "postgresql":
        op.drop_constraint(op.f("ck_bookings_" + NAME), "bookings", type_="check")
        return
    _sqlite_table_sql(_drop_check)
    _drop_triggers()
    for trigger in _triggers(""):
        op.execute(trigger)
