"""Structured identifiers: phone/fax, email, URL, IP address, handles (CONTACT) and numbers that
identify a person or their things: SSN, record, plan, account, licence, plate, serial (ID).

Patterns are tried only where they can start: at a run of digits, or in a stretch of text that
holds '@', '/' or 'www.' (see tokens.digit_runs and tokens.chunks).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .findings import GUESSED, STRUCTURED, Candidate, make

_EMAIL = re.compile(r"[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_URL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"')\]]+"
    # A bare domain is only identifying with a path after it ("facebook.com/jane.doe").
    r"|[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.(?:com|org|net|edu|gov|io|co|me|us|uk|ca|au|de|app|ly)"
    r"/[^\s<>\"')\]]+",
    re.IGNORECASE,
)
_HANDLE = re.compile(r"(?<![\w@./])@[A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_]){2,}")
_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
_IPV4 = re.compile(rf"{_OCTET}(?:\.{_OCTET}){{3}}(?![\d.]\d|\d)")
_IPV6 = re.compile(r"[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?![\w:])")
_PHONE = re.compile(
    r"(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}(?!\d)"
    r"(?:\s?(?:ext\.?|x)\s?\d{1,5})?"
    # International: "+44 20 7946 0958", "+33 1 23 45 67 89".
    r"|\+\d{1,3}(?:[\s.-]?\(?\d{1,5}\)?){2,6}(?!\d)"
    # Local seven digits: "555-0142".
    r"|\d{3}-\d{4}(?![\w-])"
    # With a trunk zero: "07700 900123", "0412 345 678", "020 7946 0958".
    r"|0\d{2,4}[\s.-]?\d{3,4}[\s.-]?\d{3,4}(?!\d)",
)
# Any digits after "phone", "mobile", "fax"...: "ph: 12 34 56 78".
_PHONE_CUE = re.compile(r"\b(?:ph|phone|tel|telephone|mobile|cell|fax|whatsapp)\b\.?:?\s*$", re.I)
_DIGITS_LOOSE = re.compile(r"\+?\(?\d[\d\s().-]{5,18}\d")
_SSN = re.compile(r"\d{3}-\d{2}-\d{4}(?![\d-])|\d{3} \d{2} \d{4}(?!\d)|\d{9}(?!\d)")
_CUE = (
    r"MRN|medical record|record|chart|patient|member|subscriber|policy|health plan|plan|"
    r"insurance|group|account|acct|card|licen[cs]e|certificate|registration|plate|tag|VIN|"
    r"serial|S/?N|device|IMEI|MAC|NPI|DEA|passport|case|claim|file|reference|ref|badge|"
    r"employee|student|client|SSN|social security|medicare|medicaid"
)
# A word announcing an identifier, just before it: "MRN 00482913", "plate: 7ABC123".
_CUE_BEFORE = re.compile(
    rf"\b({_CUE})\b(?:\s+(?:number|no\.?|num|ID|identifier|code))?(?:\s*(?:is|was|of|as|[:#-]))*\s*$",
    re.IGNORECASE,
)
_SPACED_HEAD = re.compile(r"(?<![\w-])[A-Z0-9]{1,4} $")
_ID_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-/.#")
# Uncued shapes: "KLM-4471", "7ABC123", a VIN, "4481-2290-7713", a long run of digits.
_CODE = re.compile(
    r"[A-Z]{1,4}-\d{3,}[A-Z0-9]*"
    r"|(?=[A-Z0-9]*\d[A-Z0-9]*\d[A-Z0-9]*\d)(?=[A-Z0-9]*[A-Z])[A-Z0-9]{6,17}"
    r"|\d{2,}(?:[- ]\d{2,}){2,}"
    r"|\d{6,}"
)


def find_contacts(
    text: str, runs: list[tuple[int, int]], chunks: list[tuple[int, int]]
) -> Iterator[Candidate]:
    for s, e in chunks:
        for m in _EMAIL.finditer(text, s, e):
            yield (
                STRUCTURED,
                make(text, "CONTACT", m.start(), m.end(), "Looks like an email address"),
            )
        for m in _URL.finditer(text, s, e):
            end = m.end()
            while end > m.start() and text[end - 1] in ".,;:!?":  # sentence punctuation
                end -= 1
            yield (
                STRUCTURED,
                make(text, "CONTACT", m.start(), end, "Looks like a web address (URL)"),
            )
        for m in _HANDLE.finditer(text, s, e):
            why = "Looks like a social-media handle"
            yield STRUCTURED, make(text, "CONTACT", m.start(), m.end(), why)
    done = -1
    n = len(text)
    for p, q in runs:
        if p < done or (p and text[p - 1].isalnum()):
            continue
        nxt = text[q] if q < n else ""
        m = None
        opener = p > 0 and text[p - 1] in "(+"
        if q - p == 3 or text[p] == "0" or opener:  # "503-555", "(415)", "+44", "0412"
            m = _PHONE.match(text, p - opener)
            digits = sum(c.isdigit() for c in m.group()) if m else 0
            if m and not (7 <= digits <= 15 and (text[p] != "0" or opener or digits <= 11)):
                m = None
        opener = p > 0 and text[p - 1] in "(+"
        if m is None and _PHONE_CUE.search(text, max(0, p - 14), p - opener):
            m = _DIGITS_LOOSE.match(text, p - opener)
            if m and not 7 <= sum(c.isdigit() for c in m.group()) <= 15:
                m = None
        if m is None and nxt == "." and q - p <= 3:
            m = _IPV4.match(text, p)
        if m:
            why = (
                "Looks like a phone or fax number" if m.re is _PHONE else "Looks like an IP address"
            )
            yield STRUCTURED, make(text, "CONTACT", m.start(), m.end(), why)
            done = m.end()
        elif ":" in text[p : p + 6]:
            m = _IPV6.match(text, _word_start(text, p))
            ip = m.group() if m else ""
            if ("::" in ip and len(ip) > 6) or ip.count(":") >= 5:  # not a clock time, "10:30"
                why = "Looks like an IPv6 address"
                yield STRUCTURED, make(text, "CONTACT", m.start(), m.end(), why)
                done = m.end()


def find_ids(text: str, runs: list[tuple[int, int]]) -> Iterator[Candidate]:
    done = -1
    for p, q in runs:
        if p < done:
            continue
        if q - p in (3, 9) and not (p and text[p - 1].isalnum()):
            m = _SSN.match(text, p)
            if m and (m.group()[3] == "-" or _cue(text, p) in ("ssn", "social security")):
                yield (
                    STRUCTURED,
                    make(text, "ID", p, m.end(), "Looks like a Social Security number"),
                )
                done = m.end()
                continue
        if q - p < 2:
            continue  # a code's longer digit runs find it: "4C7-88213-ZQ" from "88213"
        start = _word_start(text, p)
        token = text[start : _word_end(text, p)].rstrip(".-/")
        end = start + len(token)
        # A plate or code written with a space: "plate ABC 1234".
        head = _SPACED_HEAD.search(text, max(0, start - 6), start)
        if head and _cue(text, head.start()):
            start = head.start()
        elif token.isdigit() and len(token) <= 4:
            continue  # "session 12", "in 2019": small plain numbers are not identifiers
        cue = _cue(text, start)
        if cue:
            why = f"Code after '{cue}' looks like an identifier"
            # Outranks a phone-shaped reading of the same digits: the cue says what they are.
            yield STRUCTURED + 1, make(text, "ID", start + (text[start] == "#"), end, why)
            done = end


def find_codes(text: str, runs: list[tuple[int, int]]) -> Iterator[Candidate]:
    """Shape-only guesses (weaker: the scanner drops them where a stronger finding overlaps)."""
    done = -1
    for p, _ in runs:
        if p < done:
            continue
        start = _word_start(text, p)
        if _word_end(text, p) - start < 6:
            continue
        m = _CODE.match(text, start)
        if m and not (m.end() < len(text) and (text[m.end()].isalnum() or text[m.end()] == "-")):
            yield (
                GUESSED,
                make(text, "ID", m.start(), m.end(), "Code or long number may be an identifier"),
            )
            done = m.end()


def _cue(text: str, start: int) -> str:
    m = _CUE_BEFORE.search(text, max(0, start - 40), start)
    return m.group(1).lower() if m else ""


def _word_start(text: str, p: int) -> int:
    while p > 0 and text[p - 1] in _ID_CHARS and text[p - 1] not in "/.":
        p -= 1
    return p


def _word_end(text: str, p: int) -> int:
    n = len(text)
    while p < n and text[p] in _ID_CHARS:
        p += 1
    return p
