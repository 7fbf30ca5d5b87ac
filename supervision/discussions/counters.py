"""The kept counters of threads and posts, recounted from the rows in set-based SQL.

The services keep them as posts are written, removed, hidden and shown again
(``discussions.services``); this recount is for data that arrived around them (a bulk load, a
restore). The migration that added the counters backfills them with the same statements.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

# Every post's position in its thread (removed and hidden ones count, so numbers never shift).
RENUMBER_POSTS = """
UPDATE posts SET number = ranked.position
FROM (
    SELECT id, row_number() OVER (PARTITION BY thread_id ORDER BY id) AS position FROM posts
) AS ranked
WHERE posts.id = ranked.id AND posts.number <> ranked.position
"""

# What the thread pages and the group's list read instead of aggregating posts. A hidden or
# removed post is not activity: last_post_at is the latest visible post's, else the creation.
RECOUNT_THREADS = """
UPDATE threads SET
    post_count = (SELECT count(*) FROM posts WHERE posts.thread_id = threads.id),
    visible_post_count = (
        SELECT count(*) FROM posts
        WHERE posts.thread_id = threads.id
          AND posts.deleted_at IS NULL AND posts.hidden_at IS NULL
    ),
    first_post_id = (SELECT min(posts.id) FROM posts WHERE posts.thread_id = threads.id),
    last_post_at = coalesce(
        (
            SELECT max(posts.created_at) FROM posts
            WHERE posts.thread_id = threads.id
              AND posts.deleted_at IS NULL AND posts.hidden_at IS NULL
        ),
        threads.created_at
    )
"""


def recount_threads(session: Session) -> None:
    """Set every thread's counters and every post's number from the rows (does not commit)."""
    session.execute(text(RENUMBER_POSTS))
    session.execute(text(RECOUNT_THREADS))
