"""series: weekly series of bookings, with a row per date of their rule

The bookings table is untouched: each date is an ordinary booking (the no-overlap
guarantee of 0005 applies to it), linked through booking_series_occurrences.

Revision ID: 0007
Revises: 0005
Create Date: 2026-11-29 04:44:12.309298

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('booking_series',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('hub_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('booked_by_id', sa.Integer(), nullable=True),
    sa.Column('resource_ids', sa.JSON(), nullable=False),
    sa.Column('rule', sa.String(length=200), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('first_day', sa.Date(), nullable=False),
    sa.Column('until', sa.Date(), nullable=False),
    sa.Column('start_time', sa.Time(), nullable=False),
    sa.Column('end_time', sa.Time(), nullable=False),
    sa.Column('interval_weeks', sa.Integer(), nullable=False),
    sa.Column('weekdays', sa.String(length=27), nullable=False),
    sa.Column('group_name', sa.String(length=60), nullable=False),
    sa.Column('group_size', sa.Integer(), nullable=False),
    sa.Column('learner_category', sa.Enum('vo', 'mbo', 'employee', 'other', name='learner_category', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('level', sa.Enum('vmbo-bb', 'vmbo-kb', 'vmbo-gl', 'vmbo-tl', 'havo', 'vwo', 'mbo-1', 'mbo-2', 'mbo-3', 'mbo-4', name='learner_level', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('purpose', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('end_time > start_time', name=op.f('ck_booking_series_ends_after_start')),
    sa.CheckConstraint('group_size >= 1', name=op.f('ck_booking_series_group_size_positive')),
    sa.CheckConstraint('interval_weeks BETWEEN 1 AND 52', name=op.f('ck_booking_series_interval_range')),
    sa.CheckConstraint('until >= first_day', name=op.f('ck_booking_series_until_after_first_day')),
    sa.ForeignKeyConstraint(['booked_by_id'], ['users.id'], name=op.f('fk_booking_series_booked_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['hub_id'], ['hubs.id'], name=op.f('fk_booking_series_hub_id_hubs'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_booking_series_organisation_id_organisations'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_booking_series'))
    )
    with op.batch_alter_table('booking_series', schema=None) as batch_op:
        batch_op.create_index('ix_booking_series_hub_first_day', ['hub_id', 'first_day'], unique=False)
        batch_op.create_index('ix_booking_series_organisation_first_day', ['organisation_id', 'first_day'], unique=False)

    op.create_table('booking_series_occurrences',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('series_id', sa.Integer(), nullable=False),
    sa.Column('on_date', sa.Date(), nullable=False),
    sa.Column('state', sa.Enum('booked', 'skipped', 'conflict', name='occurrence_state', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('booking_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['booking_id'], ['bookings.id'], name=op.f('fk_booking_series_occurrences_booking_id_bookings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['series_id'], ['booking_series.id'], name=op.f('fk_booking_series_occurrences_series_id_booking_series'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_booking_series_occurrences')),
    sa.UniqueConstraint('booking_id', name=op.f('uq_booking_series_occurrences_booking_id')),
    sa.UniqueConstraint('series_id', 'on_date', name=op.f('uq_booking_series_occurrences_series_id_on_date'))
    )


def downgrade():
    op.drop_table('booking_series_occurrences')
    with op.batch_alter_table('booking_series', schema=None) as batch_op:
        batch_op.drop_index('ix_booking_series_organisation_first_day')
        batch_op.drop_index('ix_booking_series_hub_first_day')

    op.drop_table('booking_series')
