"""outbox sealed link: a token-bearing link is stored encrypted until delivery, then dropped

Revision ID: 9c1e4b7a2f30
Revises: 2d36d60153bc
Create Date: 2026-12-03 07:10:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "9c1e4b7a2f30"
down_revision = "2d36d60153bc"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sealed_link", sa.Text(), nullable=True))
    # Messages queued before this revision carry their link in the body; once delivered it is
    # dead weight with a possibly live token, so delivered bodies of token mail are dropped.
    op.execute(
        "UPDATE outbox_messages SET body = '[sent before links were sealed; body removed]' "
        "WHERE sent_at IS NOT NULL AND (body LIKE '%/password/reset/%' "
        "OR body LIKE '%/groups/invitations/%')"
    )


def downgrade():
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_column("sealed_link")
