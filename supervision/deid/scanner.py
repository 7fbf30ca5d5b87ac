"""scan(): run every detector over a text and resolve their findings into one list."""

from __future__ import annotations

from .dates import find_ages, find_dates
from .findings import Candidate, Finding, resolve
from .names import find_names
from .orgs import find_orgs
from .patterns import find_codes, find_contacts, find_ids
from .places import find_places
from .tokens import tokenize


def scan(text: str) -> list[Finding]:
    """Possible identifiers in `text`, sorted by position and not overlapping.

    The scanner only flags: the author decides, for each finding, to edit it away or to mark it
    "not identifying". Pure Python, no I/O.
    """
    if not text:
        return []
    tokens = tokenize(text)
    candidates: list[Candidate] = [
        *find_contacts(text),
        *find_ids(text),
        *find_dates(text),
        *find_ages(text),
        *find_places(text, tokens),
        *find_orgs(text),
        *find_names(text, tokens),
    ]
    strong = [(c[1].start, c[1].end) for c in candidates]
    # Shape-only codes ("12345678") only count where nothing surer already explains the digits.
    for rank, f in find_codes(text):
        if not any(f.start < e and s < f.end for s, e in strong):
            candidates.append((rank, f))
    return resolve(candidates)
