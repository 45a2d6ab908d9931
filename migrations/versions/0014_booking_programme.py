"""booking programme: bookings and series may name the hub's programme they serve

Revision ID: 0014
Revises: 0011
Create Date: 2026-11-29 08:20:00

On SQLite not in batch mode: recreating ``bookings`` would drop its no-overlap triggers
and, with foreign keys on (they cannot be switched off inside the migration's
transaction), its DROP TABLE would cascade into every table that refers to bookings.
Instead a plain ADD COLUMN, then the named foreign key is appended to the table's
definition the way the SQLite manual describes for schema changes that leave the stored
data valid ("Making Other Kinds Of Table Schema Changes": writable_schema and a new
schema_version); the new column holds only NULLs, so no row can violate it.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0011'
branch_labels = None
depends_on = None

TABLES = ("bookings", "booking_series")

# Copied from 0005: batch mode (downgrade on SQLite) recreates bookings without them.
SQLITE_OVERLAP = """
SELECT RAISE(ABORT, 'booking overlap')
WHERE EXISTS (
    SELECT 1 FROM bookings AS b
    WHERE b.resource_id = NEW.resource_id
      AND b.status IN ('requested', 'confirmed')
      AND b.start_at < NEW.end_at AND NEW.start_at < b.end_at
      {extra}
);
"""
ACTIVE = "status IN ('requested', 'confirmed')"
SQLITE_TRIGGERS = [
    "CREATE TRIGGER bookings_no_overlap_insert BEFORE INSERT ON bookings "
    f"WHEN NEW.{ACTIVE} BEGIN " + SQLITE_OVERLAP.format(extra="") + " END",
    "CREATE TRIGGER bookings_no_overlap_update "
    "BEFORE UPDATE OF resource_id, start_at, end_at, status ON bookings "
    f"WHEN NEW.{ACTIVE} BEGIN " + SQLITE_OVERLAP.format(extra="AND b.id <> NEW.id") + " END",
]


def _sqlite() -> bool:
    return op.get_context().dialect.name == "sqlite"


def _sqlite_add_column(table: str, name: str) -> None:
    op.execute(f"ALTER TABLE {table} ADD COLUMN programme_id INTEGER")
    constraint = (
        f", CONSTRAINT {name} FOREIGN KEY(programme_id) REFERENCES programmes (id) "
        "ON DELETE SET NULL)"
    )
    version = op.get_bind().exec_driver_sql("PRAGMA schema_version").scalar()
    op.execute("PRAGMA writable_schema=ON")
    op.execute(
        sa.text(
            "UPDATE sqlite_master SET sql = substr(sql, 1, length(sql) - 1) || :constraint "
            "WHERE type = 'table' AND name = :table"
        ).bindparams(constraint=constraint, table=table)
    )
    op.execute(f"PRAGMA schema_version={int(version) + 1}")
    op.execute("PRAGMA writable_schema=OFF")


def upgrade():
    for table in TABLES:
        name = f"fk_{table}_programme_id_programmes"
        if _sqlite():
            _sqlite_add_column(table, name)
        else:
            op.add_column(table, sa.Column('programme_id', sa.Integer(), nullable=True))
            op.create_foreign_key(
                name, table, 'programmes', ['programme_id'], ['id'], ondelete='SET NULL'
            )
    op.create_index(
        'ix_bookings_programme_start', 'bookings', ['programme_id', 'start_at'], unique=False
    )


def downgrade():
    op.drop_index('ix_bookings_programme_start', table_name='bookings')
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            if not _sqlite():
                batch_op.drop_constraint(f"fk_{table}_programme_id_programmes", type_='foreignkey')
            batch_op.drop_column('programme_id')
    if _sqlite():
        op.execute("DROP TRIGGER IF EXISTS bookings_no_overlap_insert")
        op.execute("DROP TRIGGER IF EXISTS bookings_no_overlap_update")
        for trigger in SQLITE_TRIGGERS:
            op.execute(trigger)
