"""meetings: a supervisor's by day (the hours they gave, a page at a time, newest first)

Revision ID: 8ef7846aa3f1
Revises: 39b82f7f32a3
Create Date: 2026-12-04 20:17:28.380959

"""

from alembic import op


# revision identifiers, used by Alembic.
revision = "8ef7846aa3f1"
down_revision = "39b82f7f32a3"
branch_labels = None
depends_on = None


def upgrade():
    # The composite index serves every lookup the single-column one did.
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meetings_supervisor_id"))
        batch_op.create_index(
            "ix_meetings_supervisor_held", ["supervisor_id", "held_on", "id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_index("ix_meetings_supervisor_held")
        batch_op.create_index(
            batch_op.f("ix_meetings_supervisor_id"), ["supervisor_id"], unique=False
        )
