"""learners, programmes, funding sources, enrolments and import uploads

Revision ID: 0006
Revises: 0003
Create Date: 2026-11-29 02:09:38.537180

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('funding_sources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_funding_sources')),
    sa.UniqueConstraint('name', name=op.f('uq_funding_sources_name'))
    )
    op.create_table('learners',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=40), nullable=False),
    sa.Column('category', sa.Enum('vo', 'mbo', 'employee', 'other', name='learner_category', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('level', sa.Enum('vmbo-bb', 'vmbo-kb', 'vmbo-gl', 'vmbo-tl', 'havo', 'vwo', 'mbo-1', 'mbo-2', 'mbo-3', 'mbo-4', name='learner_level', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('leerjaar', sa.Integer(), nullable=True),
    sa.Column('pathway', sa.Enum('bol', 'bbl', name='mbo_pathway', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('given_name', sa.String(length=80), nullable=True),
    sa.Column('name_prefix', sa.String(length=20), nullable=True),
    sa.Column('family_name', sa.String(length=80), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('anonymised_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(category = 'vo' AND (level IS NULL OR level IN ('vmbo-bb', 'vmbo-kb', 'vmbo-gl', 'vmbo-tl', 'havo', 'vwo')) AND pathway IS NULL) OR (category = 'mbo' AND (level IS NULL OR level IN ('mbo-1', 'mbo-2', 'mbo-3', 'mbo-4')) AND leerjaar IS NULL) OR (category IN ('employee', 'other') AND level IS NULL AND leerjaar IS NULL AND pathway IS NULL)", name=op.f('ck_learners_level_fits_category')),
    sa.CheckConstraint("email IS NULL OR category = 'employee'", name=op.f('ck_learners_email_only_employees')),
    sa.CheckConstraint('leerjaar IS NULL OR leerjaar BETWEEN 1 AND 6', name=op.f('ck_learners_leerjaar_range')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_learners_organisation_id_organisations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_learners_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_learners')),
    sa.UniqueConstraint('organisation_id', 'reference', name=op.f('uq_learners_organisation_id_reference'))
    )
    with op.batch_alter_table('learners', schema=None) as batch_op:
        batch_op.create_index('ix_learners_category', ['category'], unique=False)
        batch_op.create_index(batch_op.f('ix_learners_user_id'), ['user_id'], unique=False)

    op.create_table('programmes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('hub_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('serves_vo', sa.Boolean(), nullable=False),
    sa.Column('serves_mbo', sa.Boolean(), nullable=False),
    sa.Column('serves_employee', sa.Boolean(), nullable=False),
    sa.Column('serves_other', sa.Boolean(), nullable=False),
    sa.Column('crebo', sa.String(length=5), nullable=True),
    sa.Column('records_pupil_names', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('crebo IS NULL OR length(crebo) = 5', name=op.f('ck_programmes_crebo_five_digits')),
    sa.CheckConstraint('serves_vo OR serves_mbo OR serves_employee OR serves_other', name=op.f('ck_programmes_serves_someone')),
    sa.ForeignKeyConstraint(['hub_id'], ['hubs.id'], name=op.f('fk_programmes_hub_id_hubs'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programmes')),
    sa.UniqueConstraint('hub_id', 'name', name=op.f('uq_programmes_hub_id_name'))
    )
    op.create_table('enrolments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('group', 'individual', name='enrolment_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('school_year', sa.Integer(), nullable=False),
    sa.Column('group_name', sa.String(length=60), nullable=True),
    sa.Column('headcount', sa.Integer(), nullable=True),
    sa.Column('learner_id', sa.Integer(), nullable=True),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('category', sa.Enum('vo', 'mbo', 'employee', 'other', name='learner_category', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('level', sa.Enum('vmbo-bb', 'vmbo-kb', 'vmbo-gl', 'vmbo-tl', 'havo', 'vwo', 'mbo-1', 'mbo-2', 'mbo-3', 'mbo-4', name='learner_level', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('leerjaar', sa.Integer(), nullable=True),
    sa.Column('pathway', sa.Enum('bol', 'bbl', name='mbo_pathway', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('status', sa.Enum('enrolled', 'completed', 'stopped', name='enrolment_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(category = 'vo' AND (level IS NULL OR level IN ('vmbo-bb', 'vmbo-kb', 'vmbo-gl', 'vmbo-tl', 'havo', 'vwo')) AND pathway IS NULL) OR (category = 'mbo' AND (level IS NULL OR level IN ('mbo-1', 'mbo-2', 'mbo-3', 'mbo-4')) AND leerjaar IS NULL) OR (category IN ('employee', 'other') AND level IS NULL AND leerjaar IS NULL AND pathway IS NULL)", name=op.f('ck_enrolments_level_fits_category')),
    sa.CheckConstraint("(kind = 'group' AND learner_id IS NULL AND group_id IS NULL AND group_name IS NOT NULL AND headcount IS NOT NULL AND headcount >= 1) OR (kind = 'individual' AND learner_id IS NOT NULL AND group_name IS NULL AND headcount IS NULL)", name=op.f('ck_enrolments_shape_fits_kind')),
    sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_enrolments_ends_after_start')),
    sa.CheckConstraint('leerjaar IS NULL OR leerjaar BETWEEN 1 AND 6', name=op.f('ck_enrolments_leerjaar_range')),
    sa.ForeignKeyConstraint(['group_id'], ['enrolments.id'], name=op.f('fk_enrolments_group_id_enrolments'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['learner_id'], ['learners.id'], name=op.f('fk_enrolments_learner_id_learners'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_enrolments_organisation_id_organisations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_enrolments_programme_id_programmes'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enrolments')),
    sa.UniqueConstraint('programme_id', 'learner_id', 'school_year', name='uq_enrolments_learner_key'),
    sa.UniqueConstraint('programme_id', 'organisation_id', 'group_name', 'school_year', name='uq_enrolments_group_key')
    )
    with op.batch_alter_table('enrolments', schema=None) as batch_op:
        batch_op.create_index('ix_enrolments_group', ['group_id'], unique=False)
        batch_op.create_index('ix_enrolments_learner', ['learner_id'], unique=False)
        batch_op.create_index('ix_enrolments_organisation_year', ['organisation_id', 'school_year'], unique=False)
        batch_op.create_index('ix_enrolments_period', ['programme_id', 'starts_on', 'ends_on'], unique=False)

    op.create_table('import_uploads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('group', 'individual', name='enrolment_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('school_year', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('table_json', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_import_uploads_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_import_uploads_programme_id_programmes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_import_uploads_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_uploads'))
    )
    with op.batch_alter_table('import_uploads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_uploads_user_id'), ['user_id'], unique=False)

    op.create_table('programme_funding',
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('funding_source_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['funding_source_id'], ['funding_sources.id'], name=op.f('fk_programme_funding_funding_source_id_funding_sources'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['programme_id'], ['programmes.id'], name=op.f('fk_programme_funding_programme_id_programmes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('programme_id', 'funding_source_id', name=op.f('pk_programme_funding'))
    )


def downgrade():
    op.drop_table('programme_funding')
    with op.batch_alter_table('import_uploads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_uploads_user_id'))

    op.drop_table('import_uploads')
    with op.batch_alter_table('enrolments', schema=None) as batch_op:
        batch_op.drop_index('ix_enrolments_period')
        batch_op.drop_index('ix_enrolments_organisation_year')
        batch_op.drop_index('ix_enrolments_learner')
        batch_op.drop_index('ix_enrolments_group')

    op.drop_table('enrolments')
    op.drop_table('programmes')
    with op.batch_alter_table('learners', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_learners_user_id'))
        batch_op.drop_index('ix_learners_category')

    op.drop_table('learners')
    op.drop_table('funding_sources')
