"""Employers, schools and other organisations (ORG): "works at Boeing", "Lincoln High School".

Safe Harbor names employers among the identifiers to remove; a small-town school or employer can
identify a client as surely as a name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from . import lexicon
from .cues import MONTHS, NOT_NAMES, WEEKDAYS
from .findings import LISTED, Candidate, make

_CAPWORD = r"[A-Z][\w'’&.\-]*"
_CAPSEQ = rf"{_CAPWORD}(?:\s+(?:(?:of|for|and|&|the|de|on)\s+)?{_CAPWORD}){{0,5}}"
_SUFFIX = (
    r"School|Academy|College|University|Institute|Hospital|Medical Center|Medical Centre|Clinic"
    r"|Library|Church|Cathedral|Temple|Mosque|Synagogue|Inc\.?|LLC|Ltd\.?|Corp\.?|Corporation"
    r"|Company|Group|Bank|Foundation|Center|Centre|Agency|Association|Services|Partners"
    r"|Pharmacy|Hotel|Restaurant|Caf[eé]|Bakery|Market|Store|Stores|Department|Museum|Gym"
    r"|Studios?|Airlines|Motors|Systems|Technologies|Labs|Press|Club|Society|Council"
    r"|Ministries|Shelter|Prison|Jail|Elementary|Kindergarten|Daycare|Preschool|Seminary"
    r"|Nursing Home|Care Home|Facility|Firm|Factory|Plant|Warehouse|Branch|Chapter"
)
_BY_SUFFIX = re.compile(
    rf"(?:\bthe\s+)?\b(?:{_CAPWORD}\s+(?:(?:of|for|and|&|the)\s+)?){{1,5}}(?:{_SUFFIX})(?![\w])"
    rf"|\b(?:University|College|Institute|Bank|Church|School|Academy) of (?:the )?{_CAPSEQ}"
)
_STATE_SCHOOL = re.compile(r"\b([A-Z][a-z]+(?:\s[A-Z][a-z]+)?) State\b")
_WORK_CUE = re.compile(
    r"\b(?:works?|worked|working|employed|employer|job|jobs|shifts?|interns?|interned"
    r"|volunteers?|volunteered|student|junior|senior|sophomore|freshman|enrolled|attends"
    r"|attended|studies|studied|teaches|taught|hired|fired|laid off|manager|nurse|cashier"
    r"|engineer|teacher|driver|clerk|accountant|analyst|contractor)\b"
    rf"(?:\s+[a-z]+){{0,3}}?\s+(?:at|for|by)\s+({_CAPSEQ})"
)
_LEADING = frozenset("the a an my our her his their this that".split())


def find_orgs(text: str) -> Iterator[Candidate]:
    for m in _BY_SUFFIX.finditer(text):
        words = [lexicon.fold(w) for w in re.findall(r"[\w'’&]+", m.group())]
        named = [w for w in words if w not in _LEADING]
        # "The School" or "Her Church" alone names no organisation.
        if len(named) >= 2 and named[0] not in NOT_NAMES:
            yield LISTED, make(text, "ORG", m.start(), m.end(), "Looks like an organisation's name")
    for m in _STATE_SCHOOL.finditer(text):
        if lexicon.fold(m.group(1)) in lexicon.STATES:
            yield LISTED, make(text, "ORG", m.start(), m.end(), "Looks like a university's name")
    for m in _WORK_CUE.finditer(text):
        org = m.group(1)
        head = lexicon.fold(org.split()[0].rstrip(".,"))
        if head in MONTHS or head in WEEKDAYS or head in NOT_NAMES or head in lexicon.REGIONS:
            continue
        end = m.end(1)
        while text[end - 1] in ".,":
            end -= 1
        why = "Capitalised name after a work or school cue looks like an employer or school"
        yield LISTED, make(text, "ORG", m.start(1), end, why)
