"""booking: bookings that never overlap, closures, slots, settings, audit trail

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 02:11:26.334708

"""
from alembic import op
import sqlalchemy as sa

# "No two active bookings of one resource overlap", stated in the schema. Alembic cannot
# autogenerate either form, so it is explicit DDL (tests/booking/test_guarantee.py checks
# that it exists and refuses overlapping rows written with raw SQL).
ACTIVE = "status IN ('requested', 'confirmed')"

PG_EXCLUSION = f"""
ALTER TABLE bookings ADD CONSTRAINT bookings_no_overlap
EXCLUDE USING gist (resource_id WITH =, tstzrange(start_at, end_at, '[)') WITH &&)
WHERE ({ACTIVE})
"""

# Instants are stored as fixed-format UTC text on SQLite, so text order is time order.
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

SQLITE_TRIGGERS = [
    "CREATE TRIGGER bookings_no_overlap_insert BEFORE INSERT ON bookings "
    f"WHEN NEW.{ACTIVE} BEGIN " + SQLITE_OVERLAP.format(extra="") + " END",
    "CREATE TRIGGER bookings_no_overlap_update "
    "BEFORE UPDATE OF resource_id, start_at, end_at, status ON bookings "
    f"WHEN NEW.{ACTIVE} BEGIN " + SQLITE_OVERLAP.format(extra="AND b.id <> NEW.id") + " END",
]


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('booking_slots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('hub_id', sa.Integer(), nullable=False),
    sa.Column('weekday', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('starts_at', sa.Time(), nullable=False),
    sa.Column('ends_at', sa.Time(), nullable=False),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_booking_slots_ends_after_start')),
    sa.CheckConstraint('weekday BETWEEN 0 AND 6', name=op.f('ck_booking_slots_weekday_range')),
    sa.ForeignKeyConstraint(['hub_id'], ['hubs.id'], name=op.f('fk_booking_slots_hub_id_hubs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_booking_slots')),
    sa.UniqueConstraint('hub_id', 'weekday', 'starts_at', name=op.f('uq_booking_slots_hub_id_weekday_starts_at'))
    )
    op.create_table('hub_booking_settings',
    sa.Column('hub_id', sa.Integer(), nullable=False),
    sa.Column('uses_slots', sa.Boolean(), nullable=False),
    sa.Column('approval_required', sa.Boolean(), nullable=False),
    sa.Column('cancel_deadline_hours', sa.Integer(), nullable=False),
    sa.Column('request_expiry_hours', sa.Integer(), nullable=False),
    sa.Column('close_on_school_holidays', sa.Boolean(), nullable=False),
    sa.Column('holiday_region', sa.Enum('noord', 'midden', 'zuid', name='hub_holiday_region', native_enum=False, create_constraint=True), nullable=False),
    sa.CheckConstraint('cancel_deadline_hours BETWEEN 0 AND 720', name=op.f('ck_hub_booking_settings_deadline_range')),
    sa.CheckConstraint('request_expiry_hours BETWEEN 1 AND 720', name=op.f('ck_hub_booking_settings_expiry_range')),
    sa.ForeignKeyConstraint(['hub_id'], ['hubs.id'], name=op.f('fk_hub_booking_settings_hub_id_hubs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('hub_id', name=op.f('pk_hub_booking_settings'))
    )
    op.create_table('idempotency_keys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('request_hash', sa.String(length=64), nullable=False),
    sa.Column('status_code', sa.Integer(), nullable=False),
    sa.Column('response', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_idempotency_keys_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_idempotency_keys')),
    sa.UniqueConstraint('user_id', 'key', name=op.f('uq_idempotency_keys_user_id_key'))
    )
    with op.batch_alter_table('idempotency_keys', schema=None) as batch_op:
        batch_op.create_index('ix_idempotency_keys_created', ['created_at'], unique=False)

    op.create_table('bookings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bundle_id', sa.Integer(), nullable=True),
    sa.Column('hub_id', sa.Integer(), nullable=False),
    sa.Column('resource_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('booked_by_id', sa.Integer(), nullable=True),
    sa.Column('start_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('end_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.Enum('requested', 'confirmed', 'cancelled', 'rejected', 'expired', name='booking_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('group_name', sa.String(length=60), nullable=False),
    sa.Column('group_size', sa.Integer(), nullable=False),
    sa.Column('learner_category', sa.Enum('vo', 'mbo', 'employee', 'other', name='learner_category', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('level', sa.Enum('vmbo-bb', 'vmbo-kb', 'vmbo-gl', 'vmbo-tl', 'havo', 'vwo', 'mbo-1', 'mbo-2', 'mbo-3', 'mbo-4', name='learner_level', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('purpose', sa.String(length=200), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancel_reason', sa.String(length=300), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('end_at > start_at', name=op.f('ck_bookings_ends_after_start')),
    sa.CheckConstraint('group_size >= 1', name=op.f('ck_bookings_group_size_positive')),
    sa.ForeignKeyConstraint(['booked_by_id'], ['users.id'], name=op.f('fk_bookings_booked_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['bundle_id'], ['bookings.id'], name=op.f('fk_bookings_bundle_id_bookings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['hub_id'], ['hubs.id'], name=op.f('fk_bookings_hub_id_hubs'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_bookings_organisation_id_organisations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['resource_id'], ['resources.id'], name=op.f('fk_bookings_resource_id_resources'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bookings'))
    )
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.create_index('ix_bookings_bundle', ['bundle_id'], unique=False)
        batch_op.create_index('ix_bookings_hub_start', ['hub_id', 'start_at'], unique=False)
        batch_op.create_index('ix_bookings_organisation_start', ['organisation_id', 'start_at'], unique=False)
        batch_op.create_index('ix_bookings_resource_start', ['resource_id', 'start_at'], unique=False)
        batch_op.create_index('ix_bookings_status_expires', ['status', 'expires_at'], unique=False)

    if op.get_context().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        op.execute(PG_EXCLUSION)
    else:
        for trigger in SQLITE_TRIGGERS:
            op.execute(trigger)

    op.create_table('closures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('hub_id', sa.Integer(), nullable=False),
    sa.Column('resource_id', sa.Integer(), nullable=True),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('all_day', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('external_uid', sa.String(length=255), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_closures_ends_after_start')),
    sa.ForeignKeyConstraint(['hub_id'], ['hubs.id'], name=op.f('fk_closures_hub_id_hubs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['resource_id'], ['resources.id'], name=op.f('fk_closures_resource_id_resources'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_closures')),
    sa.UniqueConstraint('hub_id', 'external_uid', name=op.f('uq_closures_hub_id_external_uid'))
    )
    with op.batch_alter_table('closures', schema=None) as batch_op:
        batch_op.create_index('ix_closures_hub_start', ['hub_id', 'starts_at'], unique=False)

    op.create_table('resource_approvals',
    sa.Column('resource_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['resource_id'], ['resources.id'], name=op.f('fk_resource_approvals_resource_id_resources'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('resource_id', name=op.f('pk_resource_approvals'))
    )
    op.create_table('booking_conflict_acks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('booking_id', sa.Integer(), nullable=False),
    sa.Column('reason_key', sa.String(length=60), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['booking_id'], ['bookings.id'], name=op.f('fk_booking_conflict_acks_booking_id_bookings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_booking_conflict_acks')),
    sa.UniqueConstraint('booking_id', 'reason_key', name=op.f('uq_booking_conflict_acks_booking_id_reason_key'))
    )
    op.create_table('booking_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('booking_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=30), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['booking_id'], ['bookings.id'], name=op.f('fk_booking_events_booking_id_bookings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_booking_events'))
    )
    with op.batch_alter_table('booking_events', schema=None) as batch_op:
        batch_op.create_index('ix_booking_events_booking_at', ['booking_id', 'at'], unique=False)



def downgrade():
    with op.batch_alter_table('booking_events', schema=None) as batch_op:
        batch_op.drop_index('ix_booking_events_booking_at')

    op.drop_table('booking_events')
    op.drop_table('booking_conflict_acks')
    op.drop_table('resource_approvals')
    with op.batch_alter_table('closures', schema=None) as batch_op:
        batch_op.drop_index('ix_closures_hub_start')

    op.drop_table('closures')
    if op.get_context().dialect.name == "postgresql":
        op.execute("ALTER TABLE bookings DROP CONSTRAINT bookings_no_overlap")
    else:
        op.execute("DROP TRIGGER IF EXISTS bookings_no_overlap_insert")
        op.execute("DROP TRIGGER IF EXISTS bookings_no_overlap_update")
    with op.batch_alter_table('bookings', schema=None) as batch_op:
        batch_op.drop_index('ix_bookings_status_expires')
        batch_op.drop_index('ix_bookings_resource_start')
        batch_op.drop_index('ix_bookings_organisation_start')
        batch_op.drop_index('ix_bookings_hub_start')
        batch_op.drop_index('ix_bookings_bundle')

    op.drop_table('bookings')
    with op.batch_alter_table('idempotency_keys', schema=None) as batch_op:
        batch_op.drop_index('ix_idempotency_keys_created')

    op.drop_table('idempotency_keys')
    op.drop_table('hub_booking_settings')
    op.drop_table('booking_slots')
