"""Structured identifiers: phone/fax, email, URL, IP address, handles (CONTACT) and numbers that
identify a person or their things: SSN, record, plan, account, licence, plate, serial (ID)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .findings import GUESSED, STRUCTURED, Candidate, make

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_URL = re.compile(
    r"\b(?:https?://|www\.)[^\s<>\"')\]]+"
    # A bare domain is only identifying with a path after it ("facebook.com/jane.doe").
    r"|\b[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.(?:com|org|net|edu|gov|io|co|me|us|uk|ca|au|de|app|ly)"
    r"/[^\s<>\"')\]]+",
    re.IGNORECASE,
)
_HANDLE = re.compile(r"(?<![\w@./])@[A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_]){2,}")
_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
_IPV4 = re.compile(rf"(?<![\d.]){_OCTET}(?:\.{_OCTET}){{3}}(?![\d.]\d)")
_IPV6 = re.compile(r"(?<![\w:])(?:[0-9A-Fa-f]{1,4}:){2,7}(?::|[0-9A-Fa-f]{1,4})(?![\w:])")
_PHONE = re.compile(
    r"(?<![\w+])(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}(?!\d)"
    r"(?:\s?(?:ext\.?|x)\s?\d{1,5})?"
    # International: "+44 20 7946 0958", "+33 1 23 45 67 89".
    r"|\+\d{1,3}(?:[\s.-]?\(?\d{1,5}\)?){2,6}(?!\d)"
    # Local seven digits: "555-0142".
    r"|(?<![\w-])\d{3}-\d{4}(?![\w-])",
)
_SSN = re.compile(r"(?<![\d-])\d{3}-\d{2}-\d{4}(?![\d-])")
_SSN_CUE = re.compile(
    r"\b(?:SSN|social security(?: number| no\.?| #)?)\s*(?:is|was|:|#)?\s*(\d{3}[ -]?\d{2}[ -]?\d{4})\b",
    re.IGNORECASE,
)
# A word that announces an identifier, then the identifier itself (must hold a digit).
_CUE = (
    r"MRN|medical record|record|chart|patient|member|subscriber|policy|health plan|plan|"
    r"insurance|group|account|acct|card|licen[cs]e|certificate|registration|plate|tag|VIN|"
    r"serial|S/?N|device|IMEI|MAC|NPI|DEA|passport|driver'?s licen[cs]e|case|claim|file|"
    r"reference|ref|badge|employee|student|client"
)
_CUED_ID = re.compile(
    rf"\b(?:{_CUE})\b(?:\s+(?:number|no\.?|num|ID|identifier|code))?\s*(?:is|was|of|:|#|-)?\s*"
    r"(#?[A-Z0-9](?:[A-Z0-9]|[-./](?=[A-Z0-9])){3,})",
    re.IGNORECASE,
)
_ID_TOKEN = re.compile(r"\d.*\d")
# Uncued shapes: "KLM-4471", "7ABC123", a VIN, "4481-2290-7713", a long run of digits.
_CODE = re.compile(
    r"(?<![\w-])(?:[A-Z]{1,4}-\d{3,}[A-Z0-9]*"
    r"|(?=[A-Z0-9]*\d[A-Z0-9]*\d[A-Z0-9]*\d)(?=[A-Z0-9]*[A-Z])[A-Z0-9]{6,17}"
    r"|\d{2,}(?:[- ]\d{2,}){2,}"
    r"|\d{6,})(?![\w-])"
)


def _phone_digits_ok(s: str) -> bool:
    return 7 <= sum(c.isdigit() for c in s) <= 15


def find_contacts(text: str) -> Iterator[Candidate]:
    for m in _EMAIL.finditer(text):
        yield STRUCTURED, make(text, "CONTACT", m.start(), m.end(), "Looks like an email address")
    for m in _URL.finditer(text):
        end = m.end()
        while end > m.start() and text[end - 1] in ".,;:!?":  # sentence punctuation
            end -= 1
        yield STRUCTURED, make(text, "CONTACT", m.start(), end, "Looks like a web address (URL)")
    for m in _HANDLE.finditer(text):
        yield STRUCTURED, make(text, "CONTACT", m.start(), m.end(), "Looks like a social-media handle")
    for m in _IPV4.finditer(text):
        yield STRUCTURED, make(text, "CONTACT", m.start(), m.end(), "Looks like an IP address")
    for m in _IPV6.finditer(text):
        ip = m.group()
        if "::" in ip or ip.count(":") >= 5:  # not a clock time like 10:30:00
            yield STRUCTURED, make(text, "CONTACT", m.start(), m.end(), "Looks like an IPv6 address")
    for m in _PHONE.finditer(text):
        if _phone_digits_ok(m.group()):
            yield STRUCTURED, make(text, "CONTACT", m.start(), m.end(), "Looks like a phone or fax number")


def find_ids(text: str) -> Iterator[Candidate]:
    """Identifiers with a telling shape or cue; see `find_codes` for the shape-only guesses."""
    for m in _SSN.finditer(text):
        yield STRUCTURED, make(text, "ID", m.start(), m.end(), "Looks like a Social Security number")
    for m in _SSN_CUE.finditer(text):
        yield STRUCTURED, make(text, "ID", m.start(1), m.end(1), "Number after 'SSN' looks like one")
    for m in _CUED_ID.finditer(text):
        token = m.group(1)
        if _ID_TOKEN.search(token) and not _is_year_or_small(token):
            cue = m.group().split()[0]
            yield STRUCTURED, make(text, "ID", m.start(1), m.end(1), f"Code after '{cue}' looks like an identifier")


def find_codes(text: str) -> Iterator[Candidate]:
    """Shape-only guesses (weaker: the scanner drops them where a stronger finding overlaps)."""
    for m in _CODE.finditer(text):
        yield GUESSED, make(text, "ID", m.start(), m.end(), "Code or long number may be an identifier")


def _is_year_or_small(token: str) -> bool:
    digits = token.lstrip("#")
    return digits.isdigit() and len(digits) <= 4
