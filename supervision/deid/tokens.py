"""Word tokens with the little context the name and place rules need."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import fold

_UPPER = "".join(c for c in map(chr, range(0xC0, 0x250)) if c.isupper())
_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’\-](?=[^\W\d_]))*")
_CAPS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ" + _UPPER)
# Abbreviations whose full stop does not end a sentence.
ABBREVIATIONS = frozenset(
    "mr mrs ms mx dr prof st rd ave blvd jr sr rev fr vs etc eg ie apt no dept co inc ltd "
    "mt ft gen sgt capt lt col hon sen rep gov jan feb mar apr jun jul aug sep sept oct nov dec "
    "n s e w ne nw se sw".split()
)
_OPENERS = "\"'“‘*•"


@dataclass(slots=True)
class Token:
    start: int
    end: int
    text: str
    key: str  # folded, possessive stripped: "Zoë's" -> "zoe"
    cap: bool  # starts with a capital letter
    initial: bool  # first word of a sentence, a quotation or a list item
    possessive: bool  # "Fatima's", "Rogers'"
    acronym: bool  # "DBT", "PHQ"


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    prev_end = 0
    prev_key = ""
    for m in _WORD.finditer(text):
        word = m.group()
        start, end = m.start(), m.end()
        possessive = False
        if word[-2:] in ("'s", "’s"):
            word = word[:-2]
            possessive = True
        elif end < len(text) and text[end] in "'’" and word.endswith("s"):
            possessive = not (end + 1 < len(text) and text[end + 1].isalpha())
        cap = word[0] in _CAPS
        gap = text[prev_end:start]
        tokens.append(
            Token(
                start=start,
                end=start + len(word),
                text=word,
                key=fold(word),
                cap=cap,
                initial=cap and _starts_sentence(gap, prev_key, not tokens),
                possessive=possessive,
                acronym=len(word) > 1 and word.isupper(),
            )
        )
        prev_end = end
        prev_key = tokens[-1].key
    return tokens


def _starts_sentence(gap: str, prev_key: str, first: bool) -> bool:
    if first or "\n" in gap:
        return True
    stripped = gap.strip()
    if not stripped:
        return False
    if stripped[0] == "." and (prev_key in ABBREVIATIONS or len(prev_key) == 1):
        return False  # "Dr. Kowalski", "W. Maple Ave"
    if any(c in ".!?:…" for c in stripped):
        return True
    # An opening quotation mark starts reported speech: "she said 'Hope is gone'".
    return stripped[-1] in _OPENERS and (len(stripped) == 1 or stripped[-2] == " ")
