"""growth shares: which supervisors a supervisee lets read their growth page, per group

Revision ID: 3b8e2f6a9c41
Revises: 0ec6ac518389
Create Date: 2026-12-03 08:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

import supervision.models.types

# revision identifiers, used by Alembic.
revision = "3b8e2f6a9c41"
down_revision = "0ec6ac518389"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "growth_shares",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("supervisee_id", sa.Integer(), nullable=False),
        sa.Column("supervisor_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column(
            "created_at", supervision.models.types.UTCDateTime(timezone=True), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["groups.id"],
            name=op.f("fk_growth_shares_group_id_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["supervisee_id"],
            ["users.id"],
            name=op.f("fk_growth_shares_supervisee_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["supervisor_id"],
            ["users.id"],
            name=op.f("fk_growth_shares_supervisor_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_growth_shares")),
        sa.UniqueConstraint(
            "supervisee_id",
            "supervisor_id",
            "group_id",
            name=op.f("uq_growth_shares_supervisee_id_supervisor_id_group_id"),
        ),
    )
    with op.batch_alter_table("growth_shares", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_growth_shares_group_id"), ["group_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_growth_shares_supervisee_id"), ["supervisee_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_growth_shares_supervisor_id"), ["supervisor_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("growth_shares", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_growth_shares_supervisor_id"))
        batch_op.drop_index(batch_op.f("ix_growth_shares_supervisee_id"))
        batch_op.drop_index(batch_op.f("ix_growth_shares_group_id"))
    op.drop_table("growth_shares")
