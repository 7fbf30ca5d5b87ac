"""scan(): run every detector over a text and resolve their findings into one list."""

from __future__ import annotations

from .dates import find_ages, find_dates
from .findings import Candidate, Finding, resolve
from .names import find_names
from .orgs import find_orgs
from .patterns import find_codes, find_contacts, find_ids
from .places import find_places
from .tokens import Words, chunks, digit_runs


def scan(text: str) -> list[Finding]:
    """Possible identifiers in `text`, sorted by position and not overlapping.

    The scanner only flags: the author decides, for each finding, to edit it away or to mark it
    "not identifying". Pure Python, no I/O.
    """
    if not text:
        return []
    words = Words(text)
    runs = digit_runs(text)
    candidates: list[Candidate] = [
        *find_contacts(text, runs, chunks(text)),
        *find_ids(text, runs),
        *find_codes(text, runs),  # shape-only: lowest rank, loses to any overlapping finding
        *find_dates(text, runs),
        *find_ages(text, runs),
        *find_places(words, runs),
        *find_orgs(words),
        *find_names(words),
    ]
    return resolve(candidates)
