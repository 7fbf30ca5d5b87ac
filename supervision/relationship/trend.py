"""What a supervisor sees of the relationship checks about them: pooled, undated, coarse.

The rules, so that a supervisee can be honest:

- Answers are pooled in consecutive blocks of ``MIN_POOLED_ANSWERS`` (3), oldest first, across
  all the supervisor's supervisees. Only complete blocks are shown; the answers of a block that
  is not yet complete are not shown or counted anywhere. A block, once complete, never changes
  (new answers always fall in later blocks), so comparing the page over time reveals no single
  answer.
- A block is shown by its place in the sequence ("Period 3"), its mean per item and overall:
  never a date, a count of answers below the threshold, or an individual answer.
- Free-text notes are shown only from complete blocks, only once there are at least three,
  pooled together and sorted alphabetically (not by time or by block).
- The drop rule: when the latest block's overall mean is at least ``DROP`` (1 point) below the
  block before it, the page suggests naming a possible rupture.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from supervision.extensions import db
from supervision.models import RelationshipCheck, User
from supervision.permissions.predicates import MIN_POOLED_ANSWERS
from supervision.relationship.items import ITEM_KEYS, ITEMS, Item

DROP = 1.0
SHOWN_PERIODS = 12  # the most recent blocks shown


@dataclass(frozen=True)
class Period:
    number: int  # 1 is the oldest
    item_means: dict[str, float]
    mean: float


@dataclass(frozen=True)
class Trend:
    periods: tuple[Period, ...]  # oldest first, complete blocks only
    notes: tuple[str, ...]  # pooled, alphabetical; empty below three
    drop: float | None  # how far the latest period fell below the one before, if >= DROP
    answers_per_period: int = MIN_POOLED_ANSWERS
    items: tuple[Item, ...] = ITEMS

    @property
    def suggests_naming_rupture(self) -> bool:
        return self.drop is not None


def _mean(values: list[int]) -> float:
    return round(sum(values) / len(values), 1)


def pool(rows: list[tuple[int, ...]], notes: list[str]) -> Trend:
    """The trend from answers in the order they were given (each row the items' values in
    ``ITEM_KEYS`` order) and their notes: pure, so the rules are tested without a database."""
    size = MIN_POOLED_ANSWERS
    complete = len(rows) // size * size
    periods = []
    for start in range(0, complete, size):
        block = rows[start : start + size]
        item_means = {key: _mean([row[i] for row in block]) for i, key in enumerate(ITEM_KEYS)}
        overall = _mean([value for row in block for value in row])
        periods.append(Period(start // size + 1, item_means, overall))
    pooled = sorted(note for note in notes[:complete] if note)
    drop = None
    if len(periods) >= 2:
        fall = round(periods[-2].mean - periods[-1].mean, 1)
        drop = fall if fall >= DROP else None
    return Trend(
        tuple(periods[-SHOWN_PERIODS:]),
        tuple(pooled) if len(pooled) >= MIN_POOLED_ANSWERS else (),
        drop,
    )


def trend_for(supervisor: User) -> Trend:
    """The pooled trend of the checks about ``supervisor`` (one query). Callers check
    RELATIONSHIP_TREND_VIEW first: below the threshold there is nothing to show."""
    columns = [getattr(RelationshipCheck, key) for key in ITEM_KEYS]
    result = db.session.execute(
        select(*columns, RelationshipCheck.note)
        .where(RelationshipCheck.supervisor_id == supervisor.id)
        .order_by(RelationshipCheck.created_at, RelationshipCheck.id)
    ).all()
    return pool([tuple(row[: len(ITEM_KEYS)]) for row in result], [row[-1] for row in result])
