"""funders: scopes, snapshots, targets

Revision ID: 0013
Revises: 0005
Create Date: 2026-11-29 05:22:57.119663

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0005'
branch_labels = None
depends_on = None


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


def downgrade():
    op.drop_table('funder_scope_sources')
    op.drop_table('targets')
    op.drop_table('snapshot_sources')
    op.drop_table('funder_scopes')
    op.drop_table('snapshots')
