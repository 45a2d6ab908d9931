"""funders: scopes, snapshots, targets, surveys

Revision ID: 0013
Revises: 0005
Create Date: 2026-11-29 05:42:23.517846

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0010'
branch_labels = None
depends_on = None


# A snapshot's numbers and files never change: the database refuses it, not only the code.
FROZEN_COLUMNS = "query, document, csv_file, xlsx_file, pdf_file, all_programmes"
SQLITE_FROZEN = (
    f"CREATE TRIGGER snapshots_frozen BEFORE UPDATE OF {FROZEN_COLUMNS} ON snapshots "
    "BEGIN SELECT RAISE(ABORT, 'snapshots are frozen'); END"
)
PG_FROZEN_FUNCTION = """
CREATE FUNCTION snapshots_frozen() RETURNS trigger AS $$
BEGIN
  IF NEW.document::text IS DISTINCT FROM OLD.document::text
     OR NEW.query::text IS DISTINCT FROM OLD.query::text
     OR NEW.csv_file IS DISTINCT FROM OLD.csv_file
     OR NEW.xlsx_file IS DISTINCT FROM OLD.xlsx_file
     OR NEW.pdf_file IS DISTINCT FROM OLD.pdf_file
     OR NEW.all_programmes IS DISTINCT FROM OLD.all_programmes THEN
    RAISE EXCEPTION 'snapshots are frozen';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql
"""
PG_FROZEN_TRIGGER = (
    "CREATE TRIGGER snapshots_frozen BEFORE UPDATE ON snapshots "
    "FOR EACH ROW EXECUTE FUNCTION snapshots_frozen()"
)


def _freeze_snapshots():
    if op.get_context().dialect.name == "postgresql":
        op.execute(PG_FROZEN_FUNCTION)
        op.execute(PG_FROZEN_TRIGGER)
    else:
        op.execute(SQLITE_FROZEN)


def upgrade():
    op.create_table('snapshots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('report', sa.String(length=40), nullable=False),
    sa.Column('query', sa.JSON(), nullable=False),
    sa.Column('all_programmes', sa.Boolean(), nullable=False),
    sa.Column('shared_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('document', sa.JSON(), nullable=True),
    sa.Column('csv_file', sa.LargeBinary(), nullable=True),
    sa.Column('xlsx_file', sa.LargeBinary(), nullable=True),
    sa.Column('pdf_file', sa.LargeBinary(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_snapshots_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_snapshots'))
    )
    op.create_table('funder_scopes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('grant_id', sa.Integer(), nullable=False),
    sa.Column('all_programmes', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['grant_id'], ['role_grants.id'], name=op.f('fk_funder_scopes_grant_id_role_grants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_funder_scopes')),
    sa.UniqueConstraint('grant_id', name=op.f('uq_funder_scopes_grant_id'))
    )
    op.create_table('snapshot_sources',
    sa.Column('snapshot_id', sa.Integer(), nullable=False),
    sa.Column('funding_source_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['funding_source_id'], ['funding_sources.id'], name=op.f('fk_snapshot_sources_funding_source_id_funding_sources'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['snapshot_id'], ['snapshots.id'], name=op.f('fk_snapshot_sources_snapshot_id_snapshots'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('snapshot_id', 'funding_source_id', name=op.f('pk_snapshot_sources'))
    )
    op.create_table('targets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('indicator', sa.Enum('participants', 'organisations', 'contact_hours', 'satisfaction_avg', 'satisfaction_share', name='target_indicator', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('value >= 0', name=op.f('ck_targets_value_not_negative')),
    sa.CheckConstraint('year BETWEEN 2000 AND 2100', name=op.f('ck_targets_year_range')),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_targets_programme_id_programmes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_targets')),
    sa.UniqueConstraint('programme_id', 'year', 'indicator', name=op.f('uq_targets_programme_id_year_indicator'))
    )
    op.create_table('funder_scope_sources',
    sa.Column('scope_id', sa.Integer(), nullable=False),
    sa.Column('funding_source_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['funding_source_id'], ['funding_sources.id'], name=op.f('fk_funder_scope_sources_funding_source_id_funding_sources'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['scope_id'], ['funder_scopes.id'], name=op.f('fk_funder_scope_sources_scope_id_funder_scopes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('scope_id', 'funding_source_id', name=op.f('pk_funder_scope_sources'))
    )
    op.create_table('surveys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('visit', 'course', name='survey_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('booking_id', sa.Integer(), nullable=True),
    sa.Column('enrolment_id', sa.Integer(), nullable=True),
    sa.Column('hub_id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.CheckConstraint('(answered_at IS NULL) = (score IS NULL)', name=op.f('ck_surveys_answer_has_score')),
    sa.CheckConstraint('(booking_id IS NOT NULL) <> (enrolment_id IS NOT NULL)', name=op.f('ck_surveys_one_subject')),
    sa.CheckConstraint('score IS NULL OR score BETWEEN 1 AND 10', name=op.f('ck_surveys_score_range')),
    sa.ForeignKeyConstraint(['booking_id'], ['bookings.id'], name=op.f('fk_surveys_booking_id_bookings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['enrolment_id'], ['enrolments.id'], name=op.f('fk_surveys_enrolment_id_enrolments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['hub_id'], ['hubs.id'], name=op.f('fk_surveys_hub_id_hubs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_surveys_programme_id_programmes'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_surveys')),
    sa.UniqueConstraint('booking_id', name=op.f('uq_surveys_booking_id')),
    sa.UniqueConstraint('enrolment_id', name=op.f('uq_surveys_enrolment_id')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_surveys_token_hash'))
    )
    with op.batch_alter_table('surveys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_surveys_hub_id'), ['hub_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_surveys_programme_id'), ['programme_id'], unique=False)


    _freeze_snapshots()

def downgrade():
    if op.get_context().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS snapshots_frozen ON snapshots")
        op.execute("DROP FUNCTION IF EXISTS snapshots_frozen()")
    else:
        op.execute("DROP TRIGGER IF EXISTS snapshots_frozen")
    with op.batch_alter_table('surveys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_surveys_programme_id'))
        batch_op.drop_index(batch_op.f('ix_surveys_hub_id'))

    op.drop_table('surveys')
    op.drop_table('funder_scope_sources')
    op.drop_table('targets')
    op.drop_table('snapshot_sources')
    op.drop_table('funder_scopes')
    op.drop_table('snapshots')
