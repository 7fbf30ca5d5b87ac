"""review unblindings: a reviewer chose to read other reviews of a revision before scoring it

Revision ID: 9c1e5b7a4d20
Revises: 7c1e5a9d4b20
Create Date: 2026-12-03 07:40:00.000000

"""

import sqlalchemy as sa
from alembic import op

import supervision.models.types

# revision identifiers, used by Alembic.
revision = "9c1e5b7a4d20"
down_revision = "7c1e5a9d4b20"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "review_unblindings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("revision_number", sa.Integer(), nullable=False),
        sa.Column(
            "created_at", supervision.models.types.UTCDateTime(timezone=True), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_review_unblindings_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_review_unblindings_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_unblindings")),
        sa.UniqueConstraint(
            "user_id",
            "case_id",
            "revision_number",
            name=op.f("uq_review_unblindings_user_id_case_id_revision_number"),
        ),
    )
    with op.batch_alter_table("review_unblindings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_review_unblindings_case_id"), ["case_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_review_unblindings_user_id"), ["user_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("review_unblindings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_unblindings_user_id"))
        batch_op.drop_index(batch_op.f("ix_review_unblindings_case_id"))
    op.drop_table("review_unblindings")
