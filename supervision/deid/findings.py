"""The Finding record and how overlapping candidate findings are resolved."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

KINDS: tuple[str, ...] = ("NAME", "DATE", "AGE", "LOCATION", "CONTACT", "ID", "ORG")

# How sure a detector is. When candidates overlap, the surer one wins, then the longer one: an
# exact pattern (phone, record number) beats a name guess, a cue ("Dr.", "lives in") beats a
# bare dictionary hit.
STRUCTURED = 50  # phone, email, SSN, cued record numbers
DATED = 40  # dates, ages
ADDRESS = 30  # street addresses, ZIP codes
CUED = 25  # names/places with an explicit cue: "Dr. X", "her son X", "lives in X"
LISTED = 18  # a word found in a name or place list, capitalised where a name would be
GUESSED = 12  # shape-only guesses: a capitalised unknown word with weak context, a long number


@dataclass(frozen=True, slots=True)
class Finding:
    """One passage that may identify someone: `text == source[start:end]`."""

    kind: str
    start: int
    end: int
    text: str
    explanation: str


Candidate = tuple[int, Finding]


def make(source: str, kind: str, start: int, end: int, explanation: str) -> Finding:
    return Finding(kind, start, end, source[start:end], explanation)


def resolve(candidates: list[Candidate]) -> list[Finding]:
    """Keep a non-overlapping subset, preferring surer candidates and then longer spans."""
    ordered = sorted(candidates, key=lambda c: (-c[0], c[1].start - c[1].end, c[1].start))
    starts: list[int] = []  # kept findings, sorted by start; they never overlap each other
    kept: list[Finding] = []
    for _, f in ordered:
        at = bisect_left(starts, f.start)
        if at < len(kept) and kept[at].start < f.end:
            continue  # overlaps the next kept finding
        if at and kept[at - 1].end > f.start:
            continue  # overlaps the previous one
        starts.insert(at, f.start)
        kept.insert(at, f)
    return kept
