"""review_discrepancies: the wide criteria of each revision, kept for the desk

The criteria on which the blind submitted reviews of a revision lie two levels or more apart,
kept by supervision/reviews/discrepancy_rows.py as reviews are submitted and reviewers
unblinded; filled here from the reviews with that module's rule (copied: a migration does not
import the application).

Revision ID: 8063e642e4c8
Revises: 8ef7846aa3f1
Create Date: 2026-12-07 23:59:04.437047

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8063e642e4c8'
down_revision = '8ef7846aa3f1'
branch_labels = None
depends_on = None

FILL = """
INSERT INTO review_discrepancies (case_id, revision_number, criterion_key, criterion_title, spread)
SELECT reviews.case_id, reviews.revision_number, review_scores.criterion_key,
       max(rubric_criteria.title), max(review_scores.level) - min(review_scores.level)
FROM reviews
JOIN review_scores ON review_scores.review_id = reviews.id
JOIN rubric_criteria ON rubric_criteria.id = review_scores.criterion_id
WHERE reviews.status <> 'draft'
  AND review_scores.level IS NOT NULL
  AND NOT EXISTS (
      SELECT 1 FROM review_unblindings
      WHERE review_unblindings.user_id = reviews.reviewer_id
        AND review_unblindings.case_id = reviews.case_id
        AND review_unblindings.revision_number = reviews.revision_number
  )
GROUP BY reviews.case_id, reviews.revision_number, review_scores.criterion_key
HAVING count(*) >= 2 AND max(review_scores.level) - min(review_scores.level) >= 2
"""


def upgrade():
    op.create_table('review_discrepancies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('revision_number', sa.Integer(), nullable=False),
    sa.Column('criterion_key', sa.String(length=40), nullable=False),
    sa.Column('criterion_title', sa.String(length=120), nullable=False),
    sa.Column('spread', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_review_discrepancies_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_discrepancies')),
    sa.UniqueConstraint('case_id', 'revision_number', 'criterion_key', name=op.f('uq_review_discrepancies_case_id_revision_number_criterion_key'))
    )
    op.execute(FILL)


def downgrade():
    op.drop_table('review_discrepancies')
