"""Kept counters, recounted from scratch.

Pages read counters and rows that the write paths keep up to date (a thread's number of
posts, a revision's discrepancies)
instead of aggregating on every view. Data loaded around the services (a bulk load, a restore
from an older dump) can leave them behind; ``recount_all`` sets each one from the rows again,
in set-based SQL, so it stays fast at any size. Each feature that keeps a counter adds its
recount to ``RECOUNTS``.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from supervision.discussions.counters import recount_threads
from supervision.reviews.discrepancy_rows import recount_discrepancies

RECOUNTS: list[Callable[[Session], None]] = [recount_threads, recount_discrepancies]


def recount_all(session: Session) -> None:
    """Recompute every kept counter from the rows (does not commit)."""
    for recount in RECOUNTS:
        recount(session)
