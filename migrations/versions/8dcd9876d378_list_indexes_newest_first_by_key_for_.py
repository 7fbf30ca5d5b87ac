"""List indexes: each list's WHERE then its keyset order (updated_at/created_at, id)

The case lists (a group's, by status, an author's), one's notifications and one's reviews by
state are read a page at a time newest first; each composite index serves both the filter and
the order, so a page reads one index range. The single-column indexes they start with are
dropped: the composite serves those lookups too.

Revision ID: 8dcd9876d378
Revises: 3a682a60b410
Create Date: 2026-12-03 17:53:10.509571

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "8dcd9876d378"
down_revision = "3a682a60b410"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_cases_group_updated", "cases", ["group_id", "updated_at", "id"])
    op.create_index(
        "ix_cases_group_status_updated", "cases", ["group_id", "status", "updated_at", "id"]
    )
    op.create_index("ix_cases_author_updated", "cases", ["author_id", "updated_at", "id"])
    op.drop_index("ix_cases_group_id", table_name="cases")
    op.drop_index("ix_cases_author_id", table_name="cases")

    op.create_index(
        "ix_notifications_user_created", "notifications", ["user_id", "created_at", "id"]
    )
    op.drop_index("ix_notifications_user_id", table_name="notifications")

    op.create_index(
        "ix_reviews_reviewer_status_updated",
        "reviews",
        ["reviewer_id", "status", "updated_at", "id"],
    )
    op.drop_index("ix_reviews_reviewer_id", table_name="reviews")


def downgrade():
    op.create_index("ix_reviews_reviewer_id", "reviews", ["reviewer_id"])
    op.drop_index("ix_reviews_reviewer_status_updated", table_name="reviews")

    op.create_index("ix_notifications_user_id", "notifications", ["user_id"])
    op.drop_index("ix_notifications_user_created", table_name="notifications")

    op.create_index("ix_cases_author_id", "cases", ["author_id"])
    op.create_index("ix_cases_group_id", "cases", ["group_id"])
    op.drop_index("ix_cases_author_updated", table_name="cases")
    op.drop_index("ix_cases_group_status_updated", table_name="cases")
    op.drop_index("ix_cases_group_updated", table_name="cases")
