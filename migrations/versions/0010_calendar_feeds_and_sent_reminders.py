"""calendar feeds and sent reminders

Revision ID: 0010
Revises: 0005
Create Date: 2026-11-29 04:42:12.797619

"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('calendar_sent_reminders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=30), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recipient', sa.String(length=40), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_sent_reminders')),
    sa.UniqueConstraint('source', 'item_id', 'starts_at', 'recipient', name=op.f('uq_calendar_sent_reminders_source_item_id_starts_at_recipient'))
    )
    with op.batch_alter_table('calendar_sent_reminders', schema=None) as batch_op:
        batch_op.create_index('ix_calendar_sent_reminders_starts_at', ['starts_at'], unique=False)

    op.create_table('calendar_feeds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('mine', 'organisation', 'hub', 'resource', name='calendar_feed_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('hub_id', sa.Integer(), nullable=True),
    sa.Column('resource_id', sa.Integer(), nullable=True),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('renewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("(kind = 'mine' AND organisation_id IS NULL AND hub_id IS NULL AND resource_id IS NULL) OR (kind = 'organisation' AND organisation_id IS NOT NULL AND hub_id IS NULL AND resource_id IS NULL) OR (kind = 'hub' AND hub_id IS NOT NULL AND organisation_id IS NULL AND resource_id IS NULL) OR (kind = 'resource' AND resource_id IS NOT NULL AND organisation_id IS NULL AND hub_id IS NULL)", name=op.f('ck_calendar_feeds_target_fits_kind')),
    sa.ForeignKeyConstraint(['hub_id'], ['hubs.id'], name=op.f('fk_calendar_feeds_hub_id_hubs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_calendar_feeds_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['resource_id'], ['resources.id'], name=op.f('fk_calendar_feeds_resource_id_resources'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_calendar_feeds_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_feeds')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_calendar_feeds_token_hash'))
    )
    with op.batch_alter_table('calendar_feeds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calendar_feeds_user_id'), ['user_id'], unique=False)
    # Autogenerate cannot see expression indexes: one feed per user and calendar.
    op.create_index(
        'uq_calendar_feeds_target',
        'calendar_feeds',
        [
            'user_id',
            'kind',
            sa.text('coalesce(organisation_id, 0)'),
            sa.text('coalesce(hub_id, 0)'),
            sa.text('coalesce(resource_id, 0)'),
        ],
        unique=True,
    )

    # "My bookings" feeds read by booker. A plain CREATE INDEX (no batch): on SQLite a
    # batch could recreate the table and drop the booking triggers of 0005.
    op.create_index('ix_bookings_booked_by_start', 'bookings', ['booked_by_id', 'start_at'], unique=False)


def downgrade():
    op.drop_index('ix_bookings_booked_by_start', table_name='bookings')
    op.drop_index('uq_calendar_feeds_target', table_name='calendar_feeds')
    with op.batch_alter_table('calendar_feeds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calendar_feeds_user_id'))

    op.drop_table('calendar_feeds')
    with op.batch_alter_table('calendar_sent_reminders', schema=None) as batch_op:
        batch_op.drop_index('ix_calendar_sent_reminders_starts_at')

    op.drop_table('calendar_sent_reminders')
