"""The relationship check's items and scale, in Attune's own words (in the spirit of the
supervisory working alliance: safety, agreement on goals and on tasks, the bond)."""

from __future__ import annotations

from dataclasses import dataclass

SCALE = range(1, 8)
# Every point has words, not a bare number, so the scale reads the same to everyone.
ANCHORS = {
    1: "Not at all",
    2: "Hardly",
    3: "A little",
    4: "Somewhat",
    5: "Mostly",
    6: "Very much",
    7: "Completely",
}


@dataclass(frozen=True)
class Item:
    key: str  # a column of RelationshipCheck
    short: str  # the trend's column heading
    wording: str


ITEMS: tuple[Item, ...] = (
    Item(
        "safety",
        "Safe to bring difficulties",
        "I could bring what I found hard, including my mistakes, without bracing myself.",
    ),
    Item(
        "goals",
        "Agreed on what we work on",
        "We were working towards what I want to get out of supervision.",
    ),
    Item(
        "tasks",
        "Agreed on how we work",
        "The way we went about it (feedback, scores, questions) made sense to me.",
    ),
    Item(
        "heard",
        "Feeling heard",
        "I felt my supervisor understood what I was trying to say.",
    ),
)
ITEM_KEYS = tuple(item.key for item in ITEMS)


def point_label(value: int) -> str:
    return f"{value}: {ANCHORS[value]}"
