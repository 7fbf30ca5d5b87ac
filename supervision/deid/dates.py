"""Dates more precise than a year (DATE) and ages over 89 (AGE), per HIPAA Safe Harbor.

A bare year, a month alone ("in March") and a weekday alone ("last Monday") are left alone:
they do not pin down a day. A month with a year ("March 2023") is flagged, as Safe Harbor
allows only the year to stay. Every pattern holds a number, so each is tried only at a run of
digits, looking back a few words for a month or weekday.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .findings import DATED, Candidate, make

_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
)
_WEEKDAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
_DAY = r"(?:3[01]|[12]\d|0?[1-9])"
_ORD = r"(?:st|nd|rd|th)"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_HOLIDAY = (
    r"(?:Christmas(?: Eve| Day)?|New Year'?s(?: Eve| Day)?|Thanksgiving|Easter(?: Sunday)?"
    r"|Halloween|Independence Day|Valentine'?s Day|Mother'?s Day|Father'?s Day|Memorial Day"
    r"|Labor Day|Eid(?: al-[A-Z][a-z]+)?|Diwali|Hanukkah|Passover|Ramadan|Rosh Hashanah|Yom Kippur)"
)

# What may stand just before the number, and what the number must then look like.
_BEFORE = re.compile(
    rf"(?P<month>(?:{_WEEKDAY},?\s+)?\b{_MONTH},?\s+(?:of\s+|the\s+)?)$"
    rf"|(?P<weekday>\b(?:(?:last|next|this|on)\s+)?{_WEEKDAY},?\s+(?:the\s+)?)$"
    rf"|(?P<holiday>\b{_HOLIDAY},?\s+(?:of\s+)?)$"
    r"|(?P<on>\b(?:on|since|until|by|before|after)\s+the\s+)$"
)
_AFTER_MONTH = re.compile(rf"{_YEAR}\b|{_DAY}{_ORD}?\b(?!:\d|\.\d)(?:,?\s+{_YEAR}\b)?")
_ORDINAL = re.compile(rf"{_DAY}{_ORD}\b")
# "on the 21st," / "on the 21st she returned", not "on the 3rd floor".
_ORDINAL_ALONE = re.compile(
    rf"{_DAY}{_ORD}\b(?=\s*(?:[,.;:)]|$|(?:at|when|and|she|he|they|I|we|after|before)\b))"
)
_YEAR_ONLY = re.compile(rf"{_YEAR}\b")
# Starting at the number: "12th of January, 2023", "04/22/1987", "2024-03-01", "3/14".
_AT_NUMBER = re.compile(
    rf"(?P<dm>{_DAY}{_ORD}?(?:\s+of)?\s+{_MONTH}(?![a-z])(?:,?\s+{_YEAR}\b)?)"
    rf"|(?P<iso>{_YEAR}[-/](?:1[0-2]|0?[1-9])[-/]{_DAY}(?!\d))"
    rf"|(?P<full>{_DAY}[/.-]{_DAY}[/.-](?:{_YEAR}|\d\d)(?![\d/-]|\.\d))"
    r"|(?P<md>(?:1[0-2]|0?[1-9])/(?:3[01]|[12]\d|0?[1-9])(?![\d/])"
    # "1/2 hour", "3/4 of the time": a fraction.
    r"(?!\s*(?:hours?|cups?|miles?|mg|tablets?|pills?|doses?|of)\b))"
)
_FULL_MONTH_END = re.compile(
    r"(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December)\.$"
)
_DM_PREFIX = re.compile(rf"\b(?:the|{_WEEKDAY},?)\s+$")
# "scored 7/10", "rated it 3/5": a fraction, not a date.
_SCORE_BEFORE = re.compile(
    r"(?:scor\w*|rat\w*|scale|pain|mood|out of|level|anxiety|sleep)\W+(?:\w+\W+)?$", re.I
)


def find_dates(text: str, runs: list[tuple[int, int]]) -> Iterator[Candidate]:
    done = -1
    for p, q in runs:
        if p < done or q - p > 4 or (p and (text[p - 1].isalnum() or text[p - 1] in "/.-")):
            continue
        span = _date_at(text, p)
        if span:
            start, end = span
            if text[end - 1] == "." and _FULL_MONTH_END.search(text, start, end):
                end -= 1  # "... 12 March." ends the sentence; "Mar." would keep its full stop
            done = end
            yield DATED, make(text, "DATE", start, end, "Date more precise than a year")


def _date_at(text: str, p: int) -> tuple[int, int] | None:
    m = _AT_NUMBER.match(text, p)
    if m:
        kind = m.lastgroup
        if kind == "dm":
            before = _DM_PREFIX.search(text, max(0, p - 16), p)
            return (before.start() if before else p, m.end())
        if kind != "md" or not _SCORE_BEFORE.search(text, max(0, p - 40), p):
            return (p, m.end())
    before = text[max(0, p - 34) : p]
    # Every look-back pattern holds a capitalised month, weekday or holiday, or "the".
    if "the " not in before and not any(c.isupper() for c in before):
        return None
    b = _BEFORE.search(text, max(0, p - 34), p)
    if not b:
        return None
    kind = b.lastgroup
    if kind == "month":
        m = _AFTER_MONTH.match(text, p)
    elif kind == "weekday":
        m = _ORDINAL.match(text, p)
    elif kind == "holiday":
        m = _YEAR_ONLY.match(text, p)
    else:
        m = _ORDINAL_ALONE.match(text, p)
    return (b.start(), m.end()) if m else None


_NUM_WORDS = r"(?:one|two|three|four|five|six|seven|eight|nine)"
_SPELLED = rf"(?:ninety(?:[- ]{_NUM_WORDS})?|(?:one |a )?hundred(?: and {_NUM_WORDS})?)"
_AGE_AFTER = re.compile(
    r"(?:\s*-\s*|\s+)(?:years?|yrs?)(?:[\s-]+old\b|\s+of\s+age\b)|\s*(?:yo|y/o)\b"
    r"|(?:st|nd|rd|th)\s+birthday\b",
    re.IGNORECASE,
)
_AT_AGE = re.compile(r"\b[Aa]t\s+$")  # "At 94, she still drives"
# "who is 96,", "she was 91 when": a bare number after a person and a verb.
_IS_AGE = re.compile(
    r"\b(?:[Hh]e|[Ss]he|[Tt]hey|[Ww]ho|I)\s+(?:is|was|turns|turned|is now|was now)\s+$"
)
_CLAUSE_END = re.compile(r"\s*(?:[,.;:)]|and\b|when\b|but\b|$)")
_PERSON_AFTER = re.compile(r",?\s+(?:he|she|they|I|we)\b")
_AGE_BEFORE = re.compile(r"\b(?:aged?|turned|turning|age of)\s*:?\s+$", re.IGNORECASE)
_AGE_WORDS = re.compile(
    rf"\b{_SPELLED}(?:\s*-\s*|\s+)years?[\s-]+old\b"
    rf"|\b(?:aged?|turned|turning|age of)\s*:?\s+{_SPELLED}\b",
    re.IGNORECASE,
)


def find_ages(text: str, runs: list[tuple[int, int]]) -> Iterator[Candidate]:
    why = "Age over 89 (Safe Harbor allows only '90+')"
    for p, q in runs:
        if not 2 <= q - p <= 3 or not 90 <= int(text[p:q]) <= 119:
            continue
        if p and (text[p - 1].isalnum() or text[p - 1] in ".,"):
            continue
        after = _AGE_AFTER.match(text, q)
        if after:
            yield DATED, make(text, "AGE", p, after.end(), why)
        elif (
            _AGE_BEFORE.search(text, max(0, p - 12), p)
            or (_AT_AGE.search(text, max(0, p - 4), p) and _PERSON_AFTER.match(text, q))
            or (_IS_AGE.search(text, max(0, p - 16), p) and _CLAUSE_END.match(text, q))
        ):
            yield DATED, make(text, "AGE", p, q, why)
    lowered = text.lower()
    if "ninety" not in lowered and "hundred" not in lowered:
        return
    for m in _AGE_WORDS.finditer(text):
        yield DATED, make(text, "AGE", m.start(), m.end(), why)
