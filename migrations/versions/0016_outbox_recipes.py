"""outbox recipes: a message composed by the worker instead of in the request

A booking's confirmation was rendered (two templates and a calendar attachment) inside the
booking's transaction. It is now queued as a recipe (a composer's name and the ids it
needs) and composed by the outbox worker before sending (bench/: row 1).

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-29 11:30:00

"""

from alembic import op
import sqlalchemy as sa


revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("outbox_messages", sa.Column("recipe", sa.JSON(none_as_null=True), nullable=True))


def downgrade():
    # A recipe not yet composed cannot be sent by the older code: it is dropped as failed.
    op.execute(
        "UPDATE outbox_messages SET status = 'failed', "
        "last_error = 'not composed before a downgrade' WHERE recipe IS NOT NULL"
    )
    # SQLite 3.35+ drops a column in place (nothing refers to this table).
    op.drop_column("outbox_messages", "recipe")
