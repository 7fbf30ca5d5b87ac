"""Words of a text, with the little context the name and place rules need.

Only capitalised words become `Token` objects; the rest stay as plain strings in `Words`, looked
at only as neighbours. This keeps the per-word Python work small (the scanner runs on every
save, on texts of a few thousand words).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import accumulate

from .cues import FUNCTION_WORDS, word_set
from .lexicon import fold

_UPPER = "".join(c for c in map(chr, range(0xC0, 0x250)) if c.isupper())
_CAPS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ" + _UPPER)
_SPLIT = re.compile(r"([^\W\d_]+(?:['\u2019\-][^\W\d_]+)*)")
# Abbreviations whose full stop does not end a sentence.
ABBREVIATIONS = word_set(
    "mr mrs ms mx dr prof st rd ave blvd jr sr rev fr vs etc eg ie apt no dept co inc ltd mt "
    "ft gen sgt capt lt col hon sen rep gov jan feb mar apr jun jul aug sep sept oct nov dec "
    "n s e w ne nw se sw"
)
_POSSESSIVE = ("'s", "\u2019s")
_OPENERS = "\"'\u201c\u2018*\u2022"


@dataclass(slots=True)
class Token:
    """A capitalised word."""

    i: int  # index into Words
    start: int
    end: int
    text: str  # without a possessive 's
    key: str  # folded: "Zoë's" -> "zoe"
    initial: bool  # first word of a sentence, a quotation or a list item
    possessive: bool  # "Fatima's", "Rogers'"
    acronym: bool  # "DBT", "PHQ"
    kind: str = ""  # the name module's reading of the word, cached


class Words:
    """All words of a text: `words[i]`, the text before it `gaps[i]`, and its offsets."""

    __slots__ = ("_keys", "caps", "ends", "gaps", "n", "starts", "text", "words")

    def __init__(self, text: str) -> None:
        parts = _SPLIT.split(text)
        offsets = list(accumulate(map(len, parts)))
        self.text = text
        self.words: list[str] = parts[1::2]
        self.gaps: list[str] = parts[0::2]  # gaps[i] precedes words[i]; gaps[n] trails
        self.starts: list[int] = offsets[0::2]
        self.ends: list[int] = offsets[1::2]
        self.n = len(self.words)
        self._keys: list[str | None] = [None] * self.n
        # Capitalised words, bar function words ("The", "She", "I"): never names nor places.
        self.caps: list[Token] = [
            self._token(i)
            for i, w in enumerate(self.words)
            if w[0] in _CAPS and w.lower() not in FUNCTION_WORDS
        ]

    def key(self, i: int) -> str:
        """Folded word i ('' outside the text), possessive stripped."""
        if not 0 <= i < self.n:
            return ""
        key = self._keys[i]
        if key is None:
            w = self.words[i]
            if w[-2:] in _POSSESSIVE:
                w = w[:-2]
            key = self._keys[i] = fold(w)
        return key

    def is_cap(self, i: int) -> bool:
        return 0 <= i < self.n and self.words[i][0] in _CAPS

    def _token(self, i: int) -> Token:
        word = self.words[i]
        start = self.starts[i]
        possessive = False
        if word[-2:] in _POSSESSIVE:
            word = word[:-2]
            possessive = True
        elif word[-1] == "s" and self.gaps[i + 1][:1] in ("'", "\u2019"):
            possessive = True  # "Rogers' idea"
        return Token(
            i=i,
            start=start,
            end=start + len(word),
            text=word,
            key=fold(word),
            initial=self._starts_sentence(i),
            possessive=possessive,
            acronym=len(word) > 1 and word.isupper(),
        )

    def _starts_sentence(self, i: int) -> bool:
        gap = self.gaps[i]
        if gap == " ":
            return i == 0  # the common case: a word after a plain space
        if i == 0:
            return True
        if "\n" in gap:
            return True
        stripped = gap.strip()
        if not stripped:
            return False
        prev = self.words[i - 1].lower()
        if stripped[0] == "." and (prev in ABBREVIATIONS or len(prev) == 1):
            return False  # "Dr. Kowalski", "W. Maple Ave"
        if any(c in ".!?:…" for c in stripped):
            return True
        # An opening quotation mark starts reported speech: "she said 'Hope is gone'".
        return stripped[-1] in _OPENERS and (len(stripped) == 1 or stripped[-2] == " ")


_CONNECTORS = word_set("of for and the de del la on upon")


def cap_run_end(words: Words, i: int, limit: int = 6) -> int:
    """Last word index of the run of capitalised words starting at i ("Bank of the West")."""
    end = i
    k = i + 1
    while k < words.n and k - i < limit:
        gap = words.gaps[k]
        if gap not in (" ", " & ", "-"):
            break
        if words.is_cap(k):
            end = k
        elif words.words[k] not in _CONNECTORS:
            break
        k += 1
    return end


_DIGITS = re.compile(r"\d+")
_CHUNK_MARKS = ("@", "/", "www.", "WWW.")


def digit_runs(text: str) -> list[tuple[int, int]]:
    """Start and end of each run of digits. Every structured identifier holds one (bar emails,
    URLs and spelled-out ages), so the structured detectors try their patterns only there:
    scanning prose with a dozen complex patterns would be ten times slower."""
    return [m.span() for m in _DIGITS.finditer(text)]


def chunks(text: str) -> list[tuple[int, int]]:
    """Whitespace-delimited stretches holding '@', '/' or 'www.': where emails, URLs and
    handles can be."""
    found: list[tuple[int, int]] = []
    n = len(text)
    for mark in _CHUNK_MARKS:
        at = text.find(mark)
        while at != -1:
            s = at
            while s > 0 and not text[s - 1].isspace():
                s -= 1
            e = at
            while e < n and not text[e].isspace():
                e += 1
            if (s, e) not in found:
                found.append((s, e))
            at = text.find(mark, e)
    return found
