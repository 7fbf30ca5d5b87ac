"""outbox message group: a redaction in a group reaches the mail that group sent

Revision ID: 79b976b8bc9c
Revises: 9c1e4b7a2f30
Create Date: 2026-12-03 07:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "79b976b8bc9c"
down_revision = "9c1e4b7a2f30"
branch_labels = None
depends_on = None


def upgrade():
    # Mail queued before this revision has no group: it is left as it is.
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("group_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_outbox_messages_group_id"), ["group_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_outbox_messages_group_id_groups"),
            "groups",
            ["group_id"],
            ["id"],
            ondelete="CASCADE",
        )


def downgrade():
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_outbox_messages_group_id_groups"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_outbox_messages_group_id"))
        batch_op.drop_column("group_id")
