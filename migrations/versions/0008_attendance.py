"""attendance: who came to a booked visit (a number, or the learners present)

Revision ID: 0008
Revises: 0005
Create Date: 2026-11-29 04:41:17.664049

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('attendance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('booking_id', sa.Integer(), nullable=False),
    sa.Column('present', sa.Integer(), nullable=False),
    sa.Column('listed', sa.Boolean(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('present >= 0', name=op.f('ck_attendance_present_not_negative')),
    sa.ForeignKeyConstraint(['booking_id'], ['bookings.id'], name=op.f('fk_attendance_booking_id_bookings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance')),
    sa.UniqueConstraint('booking_id', name=op.f('uq_attendance_booking_id'))
    )
    op.create_table('attendance_learners',
    sa.Column('attendance_id', sa.Integer(), nullable=False),
    sa.Column('learner_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['attendance_id'], ['attendance.id'], name=op.f('fk_attendance_learners_attendance_id_attendance'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['learner_id'], ['learners.id'], name=op.f('fk_attendance_learners_learner_id_learners'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('attendance_id', 'learner_id', name=op.f('pk_attendance_learners'))
    )
    with op.batch_alter_table('attendance_learners', schema=None) as batch_op:
        batch_op.create_index('ix_attendance_learners_learner', ['learner_id'], unique=False)


def downgrade():
    with op.batch_alter_table('attendance_learners', schema=None) as batch_op:
        batch_op.drop_index('ix_attendance_learners_learner')

    op.drop_table('attendance_learners')
    op.drop_table('attendance')
