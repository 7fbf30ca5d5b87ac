"""notifications: a partial index of the unread ones, for the navigation's count on every page

Revision ID: 39b82f7f32a3
Revises: 8dcd9876d378
Create Date: 2026-12-03 17:48:04.896595

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "39b82f7f32a3"
down_revision = "8dcd9876d378"
branch_labels = None
depends_on = None

UNREAD = sa.text("read_at IS NULL")


def upgrade():
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.create_index(
            "ix_notifications_unread",
            ["user_id"],
            unique=False,
            postgresql_where=UNREAD,
            sqlite_where=UNREAD,
        )


def downgrade():
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_index("ix_notifications_unread")
