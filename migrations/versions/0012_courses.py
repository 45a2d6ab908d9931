"""courses: sessions booked through the booking core, seats, waiting list, completion

Revision ID: 0012
Revises: 0008
Create Date: 2026-11-29 05:07:35.768369

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('courses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('hub_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('level', sa.String(length=40), nullable=False),
    sa.Column('seats', sa.Integer(), nullable=False),
    sa.Column('min_participants', sa.Integer(), nullable=False),
    sa.Column('decision_on', sa.Date(), nullable=True),
    sa.Column('enrol_deadline', sa.Date(), nullable=False),
    sa.Column('price_cents', sa.Integer(), nullable=False),
    sa.Column('grants_licence_kind', sa.String(length=40), nullable=True),
    sa.Column('licence_valid_months', sa.Integer(), nullable=True),
    sa.Column('audience', sa.Enum('companies', 'schools', 'both', name='course_audience', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('status', sa.Enum('planned', 'cancelled', 'completed', name='course_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('licence_valid_months IS NULL OR licence_valid_months >= 1', name=op.f('ck_courses_validity_positive')),
    sa.CheckConstraint('min_participants >= 0', name=op.f('ck_courses_min_not_negative')),
    sa.CheckConstraint('price_cents >= 0', name=op.f('ck_courses_price_not_negative')),
    sa.CheckConstraint('seats >= 1', name=op.f('ck_courses_seats_positive')),
    sa.ForeignKeyConstraint(['hub_id'], ['hubs.id'], name=op.f('fk_courses_hub_id_hubs'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_courses_organisation_id_organisations'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_courses'))
    )
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.create_index('ix_courses_hub_status', ['hub_id', 'status'], unique=False)

    op.create_table('course_enrolments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('learner_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('enrolled', 'waiting', 'cancelled', 'completed', 'not_completed', name='course_enrolment', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('enrolled_by_id', sa.Integer(), nullable=True),
    sa.Column('queued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('completed_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_course_enrolments_course_id_courses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['learner_id'], ['learners.id'], name=op.f('fk_course_enrolments_learner_id_learners'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_course_enrolments_organisation_id_organisations'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_enrolments'))
    )
    with op.batch_alter_table('course_enrolments', schema=None) as batch_op:
        batch_op.create_index('ix_course_enrolments_course_status', ['course_id', 'status'], unique=False)
        batch_op.create_index('ix_course_enrolments_learner', ['learner_id'], unique=False)
        batch_op.create_index('ix_course_enrolments_organisation', ['organisation_id'], unique=False)
        batch_op.create_index('uq_course_enrolments_active', ['course_id', 'learner_id'], unique=True, sqlite_where=sa.text("status IN ('enrolled', 'waiting', 'completed')"), postgresql_where=sa.text("status IN ('enrolled', 'waiting', 'completed')"))

    op.create_table('course_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('booking_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['booking_id'], ['bookings.id'], name=op.f('fk_course_sessions_booking_id_bookings'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['course_id'], ['courses.id'], name=op.f('fk_course_sessions_course_id_courses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_sessions')),
    sa.UniqueConstraint('booking_id', name=op.f('uq_course_sessions_booking_id'))
    )
    with op.batch_alter_table('course_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_sessions_course_id'), ['course_id'], unique=False)



def downgrade():
    with op.batch_alter_table('course_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_sessions_course_id'))

    op.drop_table('course_sessions')
    with op.batch_alter_table('course_enrolments', schema=None) as batch_op:
        batch_op.drop_index('uq_course_enrolments_active', sqlite_where=sa.text("status IN ('enrolled', 'waiting', 'completed')"), postgresql_where=sa.text("status IN ('enrolled', 'waiting', 'completed')"))
        batch_op.drop_index('ix_course_enrolments_organisation')
        batch_op.drop_index('ix_course_enrolments_learner')
        batch_op.drop_index('ix_course_enrolments_course_status')

    op.drop_table('course_enrolments')
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.drop_index('ix_courses_hub_status')

    op.drop_table('courses')
