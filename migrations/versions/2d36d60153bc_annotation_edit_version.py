"""annotation edit version: editing an annotation from a stale form is a conflict

Revision ID: 2d36d60153bc
Revises: 3738be8cf830
Create Date: 2026-11-26 02:36:46.507555

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "2d36d60153bc"
down_revision = "3738be8cf830"
branch_labels = None
depends_on = None


def upgrade():
    # Existing annotations start at version 1; the server default only fills them in.
    with op.batch_alter_table("annotations", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("edit_version", sa.Integer(), nullable=False, server_default="1")
        )
    with op.batch_alter_table("annotations", schema=None) as batch_op:
        batch_op.alter_column("edit_version", server_default=None)


def downgrade():
    with op.batch_alter_table("annotations", schema=None) as batch_op:
        batch_op.drop_column("edit_version")
