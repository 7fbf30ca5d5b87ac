"""Employers, schools and other organisations (ORG): "works at Boeing", "Lincoln High School".

Safe Harbor lists employers among the identifiers to remove; a small-town school or employer can
identify a client as surely as a name.
"""

from __future__ import annotations

from collections.abc import Iterator

from . import lexicon
from .cues import FUNCTION_WORDS, MONTHS, NOT_NAMES, WEEKDAYS, word_set
from .findings import LISTED, Candidate, make
from .tokens import Words, cap_run_end

# A capitalised run ending in one of these is an organisation: "Riverside Community College".
_SUFFIXES = word_set(
    "school academy college university institute hospital clinic library church cathedral "
    "temple mosque synagogue inc llc ltd corp corporation company group bank foundation "
    "center centre agency association services partners pharmacy hotel restaurant cafe "
    "bakery market store stores department museum gym studio studios airlines motors "
    "technologies labs press club society council ministries shelter prison jail elementary "
    "kindergarten daycare preschool seminary facility firm factory warehouse"
)
# "X of ...": "University of Michigan", "Bank of America".
_OF_HEADS = word_set("university college institute bank church school academy")
# Words that introduce an employer or school a few words later: "works night shifts at X".
_WORK_CUES = word_set(
    "works worked working employed employer job jobs shift shifts intern interns interned "
    "volunteer volunteers volunteered student junior senior sophomore freshman enrolled "
    "attends attended studies studied teaches taught hired fired manager nurse cashier "
    "engineer teacher driver clerk accountant analyst contractor boss supervisor colleague "
    "colleagues coworker coworkers"
)
_LEADING = FUNCTION_WORDS | NOT_NAMES


def find_orgs(words: Words) -> Iterator[Candidate]:
    text = words.text
    for tok in words.caps:
        key = tok.key
        i = tok.i
        if key in _SUFFIXES and words.is_cap(i - 1) and words.gaps[i] == " ":
            first = i - 1
            while (
                first > 0
                and i - first < 5
                and words.gaps[first] in (" ", " & ")
                and (words.is_cap(first - 1) or words.key(first - 1) in ("of", "and", "for"))
            ):
                first -= 1
            while first < i and not words.is_cap(first):
                first += 1
            if words.key(first) in _LEADING:
                first += 1
            if first < i:
                start = words.starts[first]
                if words.key(first - 1) == "the" and words.gaps[first] == " ":
                    start = words.starts[first - 1]
                why = f"Capitalised name ending in '{tok.text}' looks like an organisation"
                yield LISTED, make(text, "ORG", start, tok.end, why)
        elif key in _OF_HEADS and words.key(i + 1) == "of" and words.is_cap(i + 2):
            end = words.ends[cap_run_end(words, i + 2)]
            yield LISTED, make(text, "ORG", tok.start, end, "Looks like an organisation's name")
        elif key == "state" and words.gaps[i] == " " and words.key(i - 1) in lexicon.STATES:
            start = words.starts[i - 1]
            yield LISTED, make(text, "ORG", start, tok.end, "Looks like a university's name")
        elif words.key(i - 1) in ("at", "for", "by") and _work_cue_before(words, i - 1):
            if key in MONTHS or key in WEEKDAYS or key in _LEADING or key in lexicon.REGIONS:
                continue
            end = words.ends[cap_run_end(words, i)]
            why = "Capitalised name after a work or school cue looks like an employer or school"
            yield LISTED, make(text, "ORG", tok.start, end, why)


def _work_cue_before(words: Words, i: int) -> bool:
    """Is there a work or school word among the four words before word i, in one clause?"""
    for k in range(i - 1, max(-1, i - 5), -1):
        if words.key(k) in _WORK_CUES:
            return True
        if any(c in words.gaps[k + 1] for c in ".;:!?,"):
            return False
    return False
