"""machine licences: licences, who uses a licensed machine in a booking, supervision

Revision ID: 0011
Revises: 0012
Create Date: 2026-11-29 05:03:00.757685

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0011"
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "licences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column(
            "source",
            sa.Enum(
                "coordinator",
                "course",
                name="licence_source",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("course_id", sa.Integer(), nullable=True),
        sa.Column("issued_by_id", sa.Integer(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_by_id", sa.Integer(), nullable=True),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "expires_on IS NULL OR expires_on >= issued_on", name=op.f("ck_licences_expires_after")
        ),
        sa.ForeignKeyConstraint(
            ["learner_id"],
            ["learners.id"],
            name=op.f("fk_licences_learner_id_learners"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_licences")),
    )
    with op.batch_alter_table("licences", schema=None) as batch_op:
        batch_op.create_index("ix_licences_expires_on", ["expires_on"], unique=False)
        batch_op.create_index("ix_licences_learner_kind", ["learner_id", "kind"], unique=False)

    op.create_table(
        "booking_licence_holders",
        sa.Column("booking_id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["booking_id"],
            ["bookings.id"],
            name=op.f("fk_booking_licence_holders_booking_id_bookings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["learner_id"],
            ["learners.id"],
            name=op.f("fk_booking_licence_holders_learner_id_learners"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "booking_id", "learner_id", name=op.f("pk_booking_licence_holders")
        ),
    )
    with op.batch_alter_table("booking_licence_holders", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_booking_licence_holders_learner_id"), ["learner_id"], unique=False
        )

    op.create_table(
        "booking_supervisions",
        sa.Column("booking_id", sa.Integer(), nullable=False),
        sa.Column("kinds", sa.String(length=200), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("confirmed_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["booking_id"],
            ["bookings.id"],
            name=op.f("fk_booking_supervisions_booking_id_bookings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("booking_id", name=op.f("pk_booking_supervisions")),
    )


def downgrade():
    op.drop_table("booking_supervisions")
    with op.batch_alter_table("booking_licence_holders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_booking_licence_holders_learner_id"))

    op.drop_table("booking_licence_holders")
    with op.batch_alter_table("licences", schema=None) as batch_op:
        batch_op.drop_index("ix_licences_learner_kind")
        batch_op.drop_index("ix_licences_expires_on")

    op.drop_table("licences")
