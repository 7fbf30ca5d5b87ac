"""Geographic units smaller than a state: street addresses, ZIP codes, counties, cities and towns
(LOCATION). States and countries are left alone: Safe Harbor allows them."""

from __future__ import annotations

import re
from collections.abc import Iterator

from . import lexicon
from .cues import MONTHS, NOT_NAMES, PLACE_PREPOSITIONS, PLACE_VERBS, WEEKDAYS
from .findings import ADDRESS, CUED, GUESSED, LISTED, Candidate, make
from .tokens import Token

_CAP = r"[A-Z][A-Za-z'’\-]*\.?"
_STREET_ABBR = r"St|Rd|Ave|Av|Blvd|Ln|Dr|Ct|Pl|Ter|Cir|Pkwy|Hwy|Trl|Sq|Cres"
_STREET_FULL = (
    r"Street|Road|Avenue|Boulevard|Lane|Drive|Terrace|Circle|Parkway|Highway|Trail|Crescent"
    r"|Turnpike|Expressway|Freeway"
)
_STREET_NUMBERED_ONLY = r"Court|Place|Way|Square|Row|Close|Loop|Alley|Pike|Plaza|Path|Walk|Mews"
_UNIT = r"(?:,?\s+(?:Apt|Apartment|Suite|Ste|Unit|Flat|Fl|Floor|Room|Rm|No|#)\.?\s*#?\s*[A-Za-z0-9-]+)?"
_STREET_NAME = rf"(?:(?:[NSEW]|North|South|East|West|N[EW]|S[EW])\.?\s+)?(?:{_CAP}\s+){{0,3}}(?:{_CAP}|\d+(?:st|nd|rd|th))"
_ADDRESS = re.compile(
    # "77 Harbor View Rd.", "3301 W. Maple Ave, Apt 4B", "1420 Elm Street"
    rf"\b\d{{1,6}}[A-Za-z]?(?:-\d+)?\s+{_STREET_NAME}\s+"
    rf"(?:(?:{_STREET_FULL}|{_STREET_NUMBERED_ONLY})\b|(?:{_STREET_ABBR})\b\.?){_UNIT}"
    # "on Juniper Lane", "Maple St." (no number: only unambiguous suffixes)
    rf"|\b(?:{_CAP}\s+){{0,2}}{_CAP}\s+(?:(?:{_STREET_FULL})\b|(?:St|Rd|Ave|Blvd|Ln)\.)"
    r"|\bP\.?\s?O\.?\s+Box\s+\d+"
)
_ZIP = re.compile(
    r"(?<![\w-])\d{5}-\d{4}(?![\w-])"
    r"|(?:(?<=[A-Za-z],\s)|(?<=[A-Za-z]\s)|(?<=[A-Za-z]\.\s)|(?<=[A-Za-z],))\d{5}(?![\w-])"
    r"|(?<=\bZIP\s)\d{5}|(?<=\bzip\s)\d{5}|(?<=\bzip code\s)\d{5}|(?<=\bpostcode\s)\d{5}"
)
_COUNTY = re.compile(
    r"\b(?:[A-Z][a-z]+\s+){1,2}(?:County|Parish|Borough)\b"
    r"|\b(?:[A-Z][a-z]+\s+){1,3}(?:Park|Lake|Beach|Heights|Hills|Valley|Island|Bay|Creek|Falls"
    r"|Springs|Village|Township|Mall|Harbor|Harbour)\b"
)
_CITY_ABBREVIATIONS = frozenset("NYC LA SF DC ATL NOLA".split())
# Before a word that is also a first name, only these make it a place: "a text from Omar" is not.
_STRONG_PLACE = PLACE_VERBS | {"town", "city", "village", "suburb", "downtown", "outside"}


def find_places(text: str, tokens: list[Token]) -> Iterator[Candidate]:
    for m in _ADDRESS.finditer(text):
        yield ADDRESS, make(text, "LOCATION", m.start(), m.end(), "Looks like a street address")
    for m in _ZIP.finditer(text):
        if _zip_context(text, m.start()):
            yield ADDRESS, make(text, "LOCATION", m.start(), m.end(), "Looks like a ZIP code")
    for m in _COUNTY.finditer(text):
        first = lexicon.fold(m.group().split()[0])
        if first not in NOT_NAMES and first not in ("the", "a", "my", "our", "her", "his"):
            yield LISTED, make(text, "LOCATION", m.start(), m.end(), "Looks like a named place")
    yield from _cities(text, tokens)


def _zip_context(text: str, start: int) -> bool:
    if start >= 6 and text[start - 5 : start - 1] == "-" * 4:
        return False
    before = text[max(0, start - 12) : start]
    # "$45000" and "in 12000 steps" are not ZIP codes; after a capitalised word they are.
    return "$" not in before


def _cities(text: str, tokens: list[Token]) -> Iterator[Candidate]:
    n = len(tokens)
    i = 0
    while i < n:
        tok = tokens[i]
        if not tok.cap or tok.key in MONTHS or tok.key in WEEKDAYS or tok.key in NOT_NAMES:
            i += 1
            continue
        prev = tokens[i - 1].key if i else ""
        cue = prev in PLACE_PREPOSITIONS or prev in _STRONG_PLACE
        strong_cue = prev in _STRONG_PLACE or (
            i >= 2 and prev in PLACE_PREPOSITIONS and tokens[i - 2].key in _STRONG_PLACE
        )
        span = _match_city(text, tokens, i)
        if span:
            last = i + span - 1
            end = tokens[last].end
            words = [t.key for t in tokens[i : last + 1]]
            ambiguous = span == 1 and (
                lexicon.is_common(tok.key) or tok.key in lexicon.FIRST_NAMES or tok.possessive
            )
            state_after = _state_follows(text, end)
            if not ambiguous or strong_cue or state_after or (cue and not tok.initial and span > 1):
                rank = CUED if (cue or state_after) else LISTED
                why = f"'{' '.join(words).title()}' is a city or town"
                yield rank, make(text, "LOCATION", tok.start, end, why)
                i = last + 1
                continue
            if cue and not tok.initial and not lexicon.is_common(tok.key) and not tok.possessive:
                yield GUESSED, make(text, "LOCATION", tok.start, end, "May be a city or town")
        elif (
            tok.text in _CITY_ABBREVIATIONS
            or (strong_cue and not tok.acronym and _unknown_place_word(tok))
            or (not tok.initial and _state_follows(text, tok.end) and _unknown_place_word(tok))
        ):
            end = tok.end
            j = i + 1
            while j < n and tokens[j].cap and text[end : tokens[j].start] == " ":
                end = tokens[j].end
                j += 1
            why = f"Capitalised word after '{prev}' looks like a place"
            yield CUED, make(text, "LOCATION", tok.start, end, why)
            i = j
            continue
        i += 1


def _unknown_place_word(tok: Token) -> bool:
    return tok.key not in lexicon.REGIONS and not lexicon.is_common(tok.key)


def _match_city(text: str, tokens: list[Token], i: int) -> int:
    """Number of tokens from i that spell a known city (longest match), or 0."""
    candidates = lexicon.CITIES.get(tokens[i].key)
    if not candidates:
        return 0
    for words in candidates:
        k = len(words)
        if i + k > len(tokens):
            continue
        ok = True
        for j in range(k):
            t = tokens[i + j]
            if t.key != words[j] or (j and not _city_gap(text[tokens[i + j - 1].end : t.start])):
                ok = False
                break
        if ok and (k == 1 or tokens[i + k - 1].cap):
            return k
    return 0


def _city_gap(gap: str) -> bool:
    return gap in (" ", ". ", "-")


_STATE_AFTER = re.compile(r",\s*([A-Z]{2}|[A-Z][a-z]+(?:\s[A-Z][a-z]+)?)\b")


def _state_follows(text: str, end: int) -> bool:
    """'Springfield, IL' / 'Dayton, Ohio': a town followed by its state."""
    m = _STATE_AFTER.match(text, end)
    if not m:
        return False
    word = m.group(1)
    return word in lexicon.STATE_CODES or lexicon.fold(word) in lexicon.STATES
