"""opening hours exceptions per date

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 01:54:35.924722

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('opening_exceptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('hub_id', sa.Integer(), nullable=False),
    sa.Column('on_date', sa.Date(), nullable=False),
    sa.Column('opens_at', sa.Time(), nullable=True),
    sa.Column('closes_at', sa.Time(), nullable=True),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.CheckConstraint('(opens_at IS NULL AND closes_at IS NULL) OR (opens_at IS NOT NULL AND closes_at IS NOT NULL AND closes_at > opens_at)', name=op.f('ck_opening_exceptions_interval_or_closed')),
    sa.ForeignKeyConstraint(['hub_id'], ['hubs.id'], name=op.f('fk_opening_exceptions_hub_id_hubs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_opening_exceptions')),
    sa.UniqueConstraint('hub_id', 'on_date', 'opens_at', name=op.f('uq_opening_exceptions_hub_id_on_date_opens_at'))
    )
    with op.batch_alter_table('opening_exceptions', schema=None) as batch_op:
        batch_op.create_index('ix_opening_exceptions_hub_date', ['hub_id', 'on_date'], unique=False)



def downgrade():
    with op.batch_alter_table('opening_exceptions', schema=None) as batch_op:
        batch_op.drop_index('ix_opening_exceptions_hub_date')

    op.drop_table('opening_exceptions')
