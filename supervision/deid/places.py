"""Geographic units smaller than a state: street addresses, ZIP codes, counties, cities and towns
(LOCATION). States and countries are left alone: Safe Harbor allows them."""

from __future__ import annotations

import re
from collections.abc import Iterator

from . import lexicon
from .cues import (
    FUNCTION_WORDS,
    MONTHS,
    NOT_NAMES,
    PLACE_PREPOSITIONS,
    PLACE_VERBS,
    THEORISTS,
    WEEKDAYS,
    word_set,
)
from .findings import ADDRESS, CUED, GUESSED, LISTED, Candidate, make
from .tokens import Token, Words

_CAP = r"[A-Z][A-Za-z'\u2019\-]*\.?"
_STREET_ABBR = r"St|Rd|Ave|Av|Blvd|Ln|Dr|Ct|Pl|Ter|Cir|Pkwy|Hwy|Trl|Sq|Cres"
_STREET_WORDS = (
    "street road avenue boulevard lane drive terrace circle parkway highway trail crescent "
    "turnpike expressway freeway"
)
_STREET_NUMBERED_ONLY = "court place way square row close loop alley pike plaza path walk mews"
_STREET_SUFFIXES = "|".join(
    w.title() for w in (_STREET_WORDS + " " + _STREET_NUMBERED_ONLY).split()
)
_UNIT = (
    r"(?:,?\s+(?:Apt|Apartment|Suite|Ste|Unit|Flat|Fl|Floor|Room|Rm|No|#)\.?\s*#?\s*[A-Za-z0-9-]+)?"
)
_ADDRESS = re.compile(
    # "77 Harbor View Rd.", "3301 W. Maple Ave, Apt 4B", "1420 Elm Street", "12 5th Avenue"
    r"\d{1,6}[A-Za-z]?(?:-\d+)?\s+(?:(?:[NSEW]|North|South|East|West|N[EW]|S[EW])\.?\s+)?"
    rf"(?:{_CAP}\s+){{0,3}}(?:{_CAP}|\d+(?:st|nd|rd|th))\s+"
    rf"(?:(?:{_STREET_SUFFIXES})\b"
    rf"|(?:{_STREET_ABBR})\b\.?){_UNIT}"
)
# UK ("NW1 6XE") and Canadian ("K1A 0B1") postcodes, matched from their first letter.
_POSTCODE = re.compile(
    r"(?:[A-Z]{1,2}\d[A-Z\d]?|[A-Z]\d[A-Z]) ?\d[A-Z]{2}(?![\w-])|[A-Z]\d[A-Z] ?\d[A-Z]\d(?![\w-])"
)
_PO_BOX = re.compile(r"\bP\.?\s?O\.?\s+Box\s+\d+", re.IGNORECASE)
_ZIP = re.compile(r"\d{5}(?:-\d{4})?(?![\w-])")
_ZIP_NOT_AFTER = re.compile(r"[\w/]|\.\d|,\d")
_ZIP_BEFORE = re.compile(
    r"(?:[A-Z][A-Za-z.'\u2019-]*,?|\b(?:ZIP|[Zz]ip)(?: code)?:?|\b[Pp]ostcode:?)\s+$"
)
_ZIP_AFTER = re.compile(r",?\s\d{5}(?:-\d{4})?\b")
_STATE_AFTER = re.compile(r",\s*([A-Z]{2}|[A-Z][a-z]+(?:\s[A-Z][a-z]+)?)\b")

# A capitalised run ending in one of these names a place: "Juniper Lane", "Cook County".
_PLACE_SUFFIXES = frozenset(
    (
        _STREET_WORDS + " county parish borough township park lake beach heights hills valley "
        "island bay creek falls springs village mall harbor harbour"
    ).split()
)
_COUNTY = word_set("county parish borough township")
_STREET_ABBR_DOT = word_set("st rd ave blvd ln")  # "Elm St." (with its full stop)
_CITY_ABBREVIATIONS = word_set("NYC LA SF DC ATL NOLA")
# Before a word that is also a first name, only these make it a place: "a text from Omar" is not.
_STRONG_PLACE = PLACE_VERBS | {"town", "city", "village", "suburb", "downtown", "outside"}
_VERB_PARTICLES = word_set("up back out away over down there here")  # "grew up in X"


def find_places(words: Words, runs: list[tuple[int, int]]) -> Iterator[Candidate]:
    """`runs`: the runs of digits, where numbered addresses and ZIP codes start."""
    text = words.text
    for p, q in runs:
        if p and text[p - 1].isupper() and q - p == 1:
            start = p - 2 if p > 1 and text[p - 2].isupper() else p - 1
            m = _POSTCODE.match(text, start)
            if m and (start == 0 or not text[start - 1].isalnum()):
                yield ADDRESS, make(text, "LOCATION", start, m.end(), "Looks like a postcode")
                continue
        if p and (text[p - 1].isalnum() or text[p - 1] in "$.-/#"):
            continue
        # A street number is followed by a name: "77 Harbor", "12B Baker", "3301 W.", "12 5th".
        after = text[q : q + 3]
        numbered = len(after) > 1 and (
            (after[0] == " " and (after[1].isupper() or after[1].isdigit()))
            or (after[0].isalpha() and after[1:2] == " ")
        )
        m = _ADDRESS.match(text, p) if numbered else None
        if m:
            yield ADDRESS, make(text, "LOCATION", p, m.end(), "Looks like a street address")
        elif q - p == 5 and not _ZIP_NOT_AFTER.match(text, q):
            m = _ZIP.match(text, p)
            if m and ("-" in m.group() or _ZIP_BEFORE.search(text, max(0, p - 30), p)):
                yield ADDRESS, make(text, "LOCATION", p, m.end(), "Looks like a ZIP code")
    if "Box" in text:
        for m in _PO_BOX.finditer(text):
            yield (
                ADDRESS,
                make(text, "LOCATION", m.start(), m.end(), "Looks like a post-office box"),
            )
    yield from _named_places(words)
    yield from _cities(words)


def _named_places(words: Words) -> Iterator[Candidate]:
    """'Juniper Lane', 'Elm St.', 'Cook County', 'Riverside Park': a run ending in a suffix."""
    for tok in words.caps:
        if tok.key not in _PLACE_SUFFIXES and not (
            tok.key in _STREET_ABBR_DOT and words.gaps[tok.i + 1][:1] == "."
        ):
            continue
        first = tok.i
        while (
            first > 0
            and tok.i - first < 3
            and words.is_cap(first - 1)
            and words.gaps[first] == " "
            and words.key(first - 1) not in FUNCTION_WORDS
            and words.key(first - 1) not in NOT_NAMES
            and not words.words[first - 1].isupper()  # "HIPAA's Safe Harbor"
            and not words.words[first - 1].endswith(("'s", "\u2019s"))
        ):
            first -= 1
        if first == tok.i:
            continue
        street = tok.key in _STREET_WORDS or tok.key in _STREET_ABBR_DOT or tok.key in _COUNTY
        # "Riverside Park", "Safe Harbor": a landmark needs a proper name in it or a place cue.
        if not street and not (
            any(not lexicon.is_everyday(words.key(k)) for k in range(first, tok.i))
            or words.key(first - 1) in PLACE_PREPOSITIONS
            or words.key(first - 1) in PLACE_VERBS
        ):
            continue
        end = tok.end + (1 if tok.key in _STREET_ABBR_DOT else 0)
        kind = "a street" if tok.key in _STREET_WORDS or tok.key in _STREET_ABBR_DOT else "a place"
        why = f"Capitalised name ending in '{tok.text}' looks like {kind}"
        yield LISTED, make(words.text, "LOCATION", words.starts[first], end, why)


def _cities(words: Words) -> Iterator[Candidate]:
    text = words.text
    caps = words.caps
    skip_to = -1
    for tok in caps:
        key = tok.key
        if tok.i <= skip_to or key in MONTHS or key in WEEKDAYS or key in NOT_NAMES:
            continue
        prev = words.key(tok.i - 1)
        cue = prev in PLACE_PREPOSITIONS or prev in _STRONG_PLACE
        if key in THEORISTS and not cue:
            continue  # "Adler might say": the theorist, not the town
        strong_cue = cue and _strong_cue(words, tok.i)
        span = _match_city(words, tok.i) if key in lexicon.CITIES else 0
        if span:
            last = tok.i + span - 1
            end = words.ends[last]
            ambiguous = span == 1 and (
                lexicon.is_everyday(key) or key in lexicon.FIRST_NAMES or tok.possessive
            )
            located = _located(text, end)
            if not ambiguous or strong_cue or located or (cue and not tok.initial):
                rank = CUED if (cue or located) else LISTED
                if words.is_cap(last + 1) and words.gaps[last + 1] == " ":
                    rank = LISTED  # part of a longer name: "Maplewood Elementary School"
                name = text[tok.start : end]
                yield rank, make(text, "LOCATION", tok.start, end, f"'{name}' is a city or town")
                skip_to = last
        elif (
            tok.text in _CITY_ABBREVIATIONS
            or (strong_cue and not tok.acronym and _unknown_place_word(tok))
            or (
                not tok.initial
                and tok.text not in lexicon.STATE_CODES
                and _located(text, tok.end)
                and _unknown_place_word(tok)
            )
        ):
            # "grew up in Millbrook", "a town outside Eastport, Maine": a place we do not list.
            last = tok.i
            while words.is_cap(last + 1) and words.gaps[last + 1] == " ":
                last += 1
            why = (
                f"Capitalised word after '{prev}' looks like a place"
                if prev
                else "Looks like a place"
            )
            rank = CUED if strong_cue else GUESSED
            yield rank, make(text, "LOCATION", tok.start, words.ends[last], why)
            skip_to = last


def _strong_cue(words: Words, i: int) -> bool:
    """'lives in X', 'grew up in X', 'moved back to X', 'a town outside X'."""
    k = i - 1
    if words.key(k) in _STRONG_PLACE:
        return True
    if words.key(k) not in PLACE_PREPOSITIONS:
        return False
    k -= 1
    if words.key(k) in _VERB_PARTICLES:
        k -= 1
    return words.key(k) in _STRONG_PLACE


def _located(text: str, end: int) -> bool:
    """Followed by a state or a ZIP code: 'Springfield, IL', 'Dayton, Ohio', 'Boise 83702'."""
    nxt = text[end : end + 2]
    if not nxt or nxt[0] not in ", " or (nxt[0] == " " and not nxt[1:].isalnum()):
        return False
    return (
        _ZIP_AFTER.match(text, end) is not None
        or _state_follows(text, end)
        or _POSTCODE.match(text, end + 1) is not None
    )


def _unknown_place_word(tok: Token) -> bool:
    return tok.key not in lexicon.REGIONS and not lexicon.is_common(tok.key)


def _match_city(words: Words, i: int) -> int:
    """Number of words from i that spell a known city (longest match), or 0."""
    candidates = lexicon.CITIES.get(words.key(i))
    if not candidates:
        return 0
    for city in candidates:
        size = len(city)
        if i + size > words.n:
            continue
        if all(
            words.key(i + j) == city[j] and words.gaps[i + j] in (" ", ". ", "-")
            for j in range(1, size)
        ) and words.is_cap(i + size - 1):
            return size
    return 0


def _state_follows(text: str, end: int) -> bool:
    """'Springfield, IL' / 'Dayton, Ohio': a town followed by its state."""
    m = _STATE_AFTER.match(text, end)
    if not m:
        return False
    word = m.group(1)
    return word in lexicon.STATE_CODES or lexicon.fold(word) in lexicon.STATES
