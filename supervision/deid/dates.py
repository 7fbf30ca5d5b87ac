"""Dates more precise than a year (DATE) and ages over 89 (AGE), per HIPAA Safe Harbor.

A bare year, a month alone ("in March") and a weekday alone ("last Monday") are left alone:
they do not pin down a day. A month with a year ("March 2023") is flagged, as Safe Harbor
allows only the year to stay.
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

_DATE = re.compile(
    "|".join(
        [
            # "Tuesday, March 5th, 2024", "Feb. 29, 2024", "June 2nd"
            rf"(?:{_WEEKDAY},?\s+)?\b{_MONTH}\s+{_DAY}{_ORD}?\b(?!:\d)(?:,?\s+{_YEAR}\b)?",
            # "the 12th of January", "5 September 2022", "12th January"
            rf"(?:\b(?:the|{_WEEKDAY})\s+)?\b{_DAY}{_ORD}?(?:\s+of)?\s+{_MONTH}(?![a-z])"
            rf"(?:,?\s+{_YEAR}\b)?",
            # "last Tuesday the 5th", "Friday 9th"
            rf"\b(?:(?:last|next|this|on)\s+)?{_WEEKDAY},?\s+(?:the\s+)?{_DAY}{_ORD}\b",
            # "March 2023", "in October of 2019"
            rf"\b{_MONTH},?\s+(?:of\s+)?{_YEAR}\b",
            # ISO and year-first: "2024-03-01", "2024/3/1"
            rf"\b{_YEAR}[-/](?:1[0-2]|0?[1-9])[-/]{_DAY}\b",
            # "04/22/1987", "22.04.1987", "3-14-25"
            rf"(?<![\d/.-]){_DAY}[/.-]{_DAY}[/.-](?:{_YEAR}|\d\d)(?![\d/.-]|\.\d)",
            # "3/14" without a year (a slash only: "3-4 times" and "2.5" are not dates)
            rf"(?<![\d/.-])(?:1[0-2]|0?[1-9])/{_DAY}(?![\d/])",
            # "Christmas 2022", "Thanksgiving of 2021"
            rf"\b{_HOLIDAY},?\s+(?:of\s+)?{_YEAR}\b",
            # "on the 5th," -- a day of the month on its own
            rf"\b(?:on|since|until|by|before|after)\s+the\s+{_DAY}{_ORD}\b(?=\s*(?:[,.;:)]|at\b|when\b|$))",
        ]
    )
)
# "scored 7/10", "rated it 3/5": a fraction, not a date.
_SCORE_BEFORE = re.compile(
    r"(?:scor\w*|rat\w*|scale|pain|mood|out of|level|anxiety|sleep)\W+(?:\w+\W+)?$", re.I
)

_NUM_WORDS = r"(?:one|two|three|four|five|six|seven|eight|nine)"
_OVER_89 = rf"(?:9\d|1[01]\d|ninety(?:[- ]{_NUM_WORDS})?|(?:one |a )?hundred(?: and {_NUM_WORDS})?)"
_AGE = re.compile(
    rf"\b({_OVER_89})(?:\s*-\s*|\s+)(?:years?|yrs?)[\s-]+old\b|\b({_OVER_89})\s*(?:yo|y/o)\b"
    rf"|\b(?:aged?|turned|turning|age of)\s*:?\s+({_OVER_89})\b"
    rf"|\b({_OVER_89})(?:st|nd|rd|th)\s+birthday\b",
    re.IGNORECASE,
)


def find_dates(text: str) -> Iterator[Candidate]:
    for m in _DATE.finditer(text):
        found = m.group()
        if "/" in found and found.count("/") == 1 and _SCORE_BEFORE.search(text[max(0, m.start() - 40) : m.start()]):
            continue
        yield DATED, make(text, "DATE", m.start(), m.end(), "Date more precise than a year")


def find_ages(text: str) -> Iterator[Candidate]:
    for m in _AGE.finditer(text):
        yield DATED, make(text, "AGE", m.start(), m.end(), "Age over 89 (Safe Harbor allows only '90+')")
