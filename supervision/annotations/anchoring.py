"""Carry an annotation's anchor from one revision of a case's text to the next.

An anchor is a W3C Web Annotation TextPositionSelector and TextQuoteSelector in one (start/end
plus exact/prefix/suffix) on the plain text of one rendered section. A browser annotator such as
Hypothesis only has the quote to go on and fuzzy-searches for it; we hold every revision, so the
offsets are first mapped through an exact diff of old -> new. Searching for the quote by its
context only settles what the diff cannot: a passage moved elsewhere, or offsets that landed on
rewritten text.

Pure Python (diff-match-patch for diffing and Bitap matching): no Flask, no database.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

from diff_match_patch import diff_match_patch

from supervision.annotations.textdiff import (
    CONTINUATION,
    diff_segments,
    dmp,
    end_deleted,
    kept,
    map_end,
    map_offset,
    segments_of,
    token_diff,
)

CONTEXT_CHARS = 32

# A candidate's score, weighted as in Hypothesis's match-quote.ts: the quote dominates, the
# context tells copies apart, nearness to the expected place only breaks ties.
_QUOTE_WEIGHT, _PREFIX_WEIGHT, _SUFFIX_WEIGHT, _POSITION_WEIGHT = 50.0, 20.0, 20.0, 2.0
_TOTAL_WEIGHT = _QUOTE_WEIGHT + _PREFIX_WEIGHT + _SUFFIX_WEIGHT + _POSITION_WEIGHT

# The diff vouches for where a mapped range is, so its text need only resemble the quote.
_MAPPED_MIN_QUOTE = 0.5
# Nothing vouches for a range found by fuzzy search: its quote must be close (unrelated sentences
# of case prose score 0.16 on average, under 0.3 in 99% of pairs) and, like a verbatim copy, it
# needs its context unless it is long and closer still.
_FUZZY_MIN_QUOTE = 0.7
_FUZZY_DISTINCTIVE_QUOTE = 0.85
# A verbatim copy elsewhere must share its surroundings, unless it is the only copy and too long
# to be a stock phrase ("I don't know" recurs in any transcript; a whole sentence does not).
_EXACT_MIN_CONTEXT = 0.5
_DISTINCTIVE_CHARS = 24
_MAX_OCCURRENCES = 200  # score only the copies nearest the expected place
_ALIGN_SLACK = 16  # characters beyond Bitap's rough place that an aligned passage may reach
_WHITESPACE = re.compile(r"\s+")
_WORD_CHAR = re.compile(r"\w")


@dataclass(frozen=True)
class Selector:
    """Where a passage is in one text: offsets and the quote with its surrounding context."""

    start: int
    end: int
    exact: str
    prefix: str
    suffix: str


class AnchorStatus(enum.StrEnum):
    # Same values as supervision.models.annotation.AnchorStatus (which adds "created").
    CARRIED = "carried"  # same text, same place (offsets may shift with edits around it)
    MOVED = "moved"  # same text, found somewhere else (its paragraph or section moved)
    CHANGED = "changed"  # edited inside but still mostly there: new range, new exact
    ORPHANED = "orphaned"  # gone: no good match


@dataclass(frozen=True)
class Reanchored:
    """The outcome of carrying a selector forward. ``selector`` is None when orphaned (the
    caller keeps the original quote for display). ``score`` is 0..1: 1.0 when the diff carried
    the passage unchanged, otherwise the weighted similarity of the new quote and its context to
    the original, 0.0 when orphaned."""

    selector: Selector | None
    status: AnchorStatus
    score: float


def make_selector(text: str, start: int, end: int, context: int = CONTEXT_CHARS) -> Selector:
    """The selector for ``text[start:end]`` with up to ``context`` characters either side."""
    if not 0 <= start < end <= len(text):
        raise ValueError(f"need 0 <= start < end <= {len(text)}, got start={start}, end={end}")
    if context < 0:
        raise ValueError("context must not be negative")
    return Selector(
        start=start,
        end=end,
        exact=text[start:end],
        prefix=text[max(0, start - context) : start],
        suffix=text[end : end + context],
    )


def through_replacement(
    old_text: str, passage: str, replacement: str, selector: Selector
) -> Selector:
    """Where ``selector`` lands in ``old_text.replace(passage, replacement)``.

    Exact, unlike ``carry_forward``: a bound inside a replaced occurrence widens to the whole
    replacement, so a quote the passage covers keeps its place as the replacement text.
    """
    if not passage:
        raise ValueError("passage must not be empty")
    start, end, shift, at = selector.start, selector.end, 0, 0
    new_start = new_end = None
    while (found := old_text.find(passage, at)) != -1:
        found_end = found + len(passage)
        if new_start is None and start < found_end:
            new_start = (start if start <= found else found) + shift
        if end <= found:
            break
        if end <= found_end:
            new_end = found + shift + len(replacement)
            break
        shift += len(replacement) - len(passage)
        at = found_end
    new_text = old_text.replace(passage, replacement)
    if new_start is None:
        new_start = start + shift
    if new_end is None:
        new_end = end + shift
    return make_selector(new_text, new_start, new_end)


def find_passage(text: str, passage: str) -> list[tuple[int, int]]:
    """Where ``passage`` occurs in ``text``, as (start, end) pairs: exactly where it does,
    otherwise with any run of whitespace matching any other (a quote typed or pasted by hand
    rarely keeps the line breaks)."""
    passage = passage.strip()
    if not passage:
        return []
    exact = [(m.start(), m.end()) for m in re.finditer(re.escape(passage), text)]
    if exact:
        return exact
    pattern = r"\s+".join(re.escape(word) for word in passage.split())
    return [(m.start(), m.end()) for m in re.finditer(pattern, text)]


def carry_forward(old_text: str, new_text: str, selector: Selector) -> Reanchored:
    """Re-anchor a selector made on ``old_text`` in ``new_text``.

    1. Map start/end through the diff; if the mapped range still reads ``exact``: CARRIED.
    2. Else a verbatim copy whose context matches (or the only, long, copy; or, when the mapped
       range reads nothing like the quote, the only copy next to it): CARRIED if it is where the
       diff pointed, MOVED if elsewhere; unless the mapped range, edited, scores better.
    3. Else the mapped range if it still resembles the quote, or a fuzzy match near it: CHANGED.
    4. Else ORPHANED.
    """
    if not selector.exact:
        raise ValueError("selector has an empty quote")
    if not new_text:
        return _orphaned()

    lost_end = only_copy = False
    if old_text[selector.start : selector.end] == selector.exact:
        segments = diff_segments(old_text, new_text)
        start = map_offset(segments, selector.start, is_start=True)
        end = map_offset(segments, selector.end, is_start=False)
        if start < end and new_text[start:end] == selector.exact:
            return Reanchored(make_selector(new_text, start, end), AnchorStatus.CARRIED, 1.0)
        within = _copy_within(new_text, selector.exact, start, end)
        if within is not None:
            return Reanchored(make_selector(new_text, *within), AnchorStatus.CARRIED, 1.0)
        lost_end = end_deleted(segments, selector.start, selector.end)
        only_copy = len(_occurrences(old_text, selector.exact)) == 1
    else:
        # Offsets not made on old_text (stale or foreign): nothing to map, search near them.
        start = end = min(max(selector.start, 0), len(new_text))

    mapped = _evaluate(new_text, selector, start, end, hint=start) if start < end else None
    if mapped is not None and mapped.quote < _MAPPED_MIN_QUOTE:
        mapped = None
    if mapped is not None and lost_end:  # the diff lost an end: find it (see _align)
        aligned = _align(new_text, selector, start, end)
        if aligned and aligned.score > mapped.score and aligned.quote >= _MAPPED_MIN_QUOTE:
            mapped = _evaluate(new_text, selector, aligned.start, aligned.end, hint=start)

    copies = _exact_candidates(new_text, selector, hint=start)
    copy = _pick_copy(copies, unique=len(copies) == 1, hint=start, exact=selector.exact)
    if copy is None and mapped is None and (start < end or only_copy):
        copy = _lone_copy_near(copies, selector.exact, start, end)
    if copy is None and mapped is not None and only_copy:
        # The words, verbatim, overlap what the diff called their rewrite: the diff paired
        # look-alike words ("she ashe she" for "she she,"); the passage is the copy.
        overlapping = [c for c in copies if _overlaps(c, mapped.start, mapped.end)]
        if len(copies) == 1 and overlapping:
            return _reanchored(new_text, overlapping[0], AnchorStatus.CARRIED)
    if copy is not None and (mapped is None or copy.score >= mapped.score):
        near = _overlaps(copy, start - CONTEXT_CHARS, end + CONTEXT_CHARS)
        return _reanchored(new_text, copy, AnchorStatus.CARRIED if near else AnchorStatus.MOVED)
    found = mapped if mapped is not None else _fuzzy_search(new_text, selector, hint=start)
    if found is None:
        return _orphaned()
    if new_text[found.start : found.end] == selector.exact:  # aligned onto the very words
        near = _overlaps(found, start - CONTEXT_CHARS, end + CONTEXT_CHARS)
        return _reanchored(new_text, found, AnchorStatus.CARRIED if near else AnchorStatus.MOVED)
    return _reanchored(new_text, found, AnchorStatus.CHANGED)


def carry_forward_across(
    sections_old: Mapping[str, str],
    sections_new: Mapping[str, str],
    section: str,
    selector: Selector,
) -> tuple[str | None, Reanchored]:
    """Re-anchor in the annotation's own section first; if the passage is gone from it, look
    for it verbatim in the other sections (it was moved there). Returns the section key (None
    when orphaned) and the outcome."""
    result = carry_forward(
        sections_old.get(section) or "", sections_new.get(section) or "", selector
    )
    if result.status is not AnchorStatus.ORPHANED:
        return section, result

    found: list[tuple[str, str, _Candidate]] = []
    for key, text in sections_new.items():
        if key != section and text:
            found.extend((key, text, c) for c in _exact_candidates(text, selector, hint=None))
    total = sum(len(_occurrences(text or "", selector.exact)) for text in sections_new.values())
    best: tuple[str, str, _Candidate] | None = None
    for key, text, candidate in found:  # in section order, so the earlier section wins a tie
        acceptable = _pick_copy([candidate], unique=total == 1, hint=None, exact=selector.exact)
        if acceptable and (best is None or candidate.context > best[2].context):
            best = (key, text, candidate)
    if best is None:
        return None, _orphaned()
    key, text, candidate = best
    return key, _reanchored(text, candidate, AnchorStatus.MOVED)


# --- scoring and searching ------------------------------------------------------------------


class _Candidate(NamedTuple):
    start: int
    end: int
    quote: float  # similarity of new[start:end] to the quote
    context: float  # mean similarity of the prefix and suffix
    score: float


def _similarity(a: str, b: str) -> float:
    """1 - normalised edit distance, with runs of whitespace counted as one space."""
    a, b = _WHITESPACE.sub(" ", a), _WHITESPACE.sub(" ", b)
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    distance = dmp.diff_levenshtein(dmp.diff_main(a, b, False))
    return max(0.0, 1.0 - distance / max(len(a), len(b)))  # its count can exceed the length


def _evaluate(
    text: str, selector: Selector, start: int, end: int, hint: int | None, quote: float = -1.0
) -> _Candidate:
    if quote < 0:
        quote = _similarity(text[start:end], selector.exact)
    before = text[max(0, start - len(selector.prefix)) : start]
    prefix = _similarity(selector.prefix, before) if selector.prefix else 1.0
    suffix = _similarity(selector.suffix, text[end : end + len(selector.suffix)])
    position = 1.0 if hint is None else 1.0 - abs(start - hint) / max(len(text), 1)
    raw = (
        _QUOTE_WEIGHT * quote
        + _PREFIX_WEIGHT * prefix
        + _SUFFIX_WEIGHT * suffix
        + _POSITION_WEIGHT * position
    )
    return _Candidate(start, end, quote, (prefix + suffix) / 2, raw / _TOTAL_WEIGHT)


def _occurrences(text: str, exact: str) -> list[int]:
    starts: list[int] = []
    at = text.find(exact)
    while at != -1:
        starts.append(at)
        at = text.find(exact, at + 1)
    return starts


def _exact_candidates(text: str, selector: Selector, hint: int | None) -> list[_Candidate]:
    exact = selector.exact
    starts = _occurrences(text, exact)
    if len(starts) > _MAX_OCCURRENCES:
        starts = sorted(starts, key=lambda s: abs(s - (hint or 0)))[:_MAX_OCCURRENCES]
    return [_evaluate(text, selector, s, s + len(exact), hint, quote=1.0) for s in starts]


def _pick_copy(
    copies: list[_Candidate], *, unique: bool, hint: int | None, exact: str
) -> _Candidate | None:
    """The verbatim copy with the best-matching context, nearest ``hint`` on a tie; None if no
    copy is convincing (see _EXACT_MIN_CONTEXT)."""
    distinctive = unique and len(exact.strip()) >= _DISTINCTIVE_CHARS
    ranked = sorted(
        (c for c in copies if distinctive or c.context >= _EXACT_MIN_CONTEXT),
        key=lambda c: (-round(c.context, 3), abs(c.start - (hint or 0))),
    )
    return ranked[0] if ranked else None


def _copy_within(text: str, exact: str, start: int, end: int) -> tuple[int, int] | None:
    """The quote, verbatim and once, inside the range the diff mapped it to: text typed at its
    boundary that repeats its own characters ("😀" after "...she 😀") can be placed by the diff
    just inside the passage instead of just outside; it is still typed at the boundary."""
    if end - start > len(exact) + 2 * CONTEXT_CHARS:
        return None  # a rewrite of everything around it does not vouch for a stock phrase
    found = _occurrences(text[start:end], exact)
    return (start + found[0], start + found[0] + len(exact)) if len(found) == 1 else None


def _lone_copy_near(
    copies: list[_Candidate], exact: str, start: int, end: int
) -> _Candidate | None:
    """The verbatim copy within the context's reach of where the diff put the passage, if it is
    the only one there. The diff put it onto unrelated text because words were typed against it
    ("said" became part of "asaid") or its surroundings were rewritten; neither changes the
    passage, and nothing else there reads like it. (When the diff deleted it outright, a copy
    next to the gap counts only if the old text had no other copy either; a rewrite of all
    around it does not vouch for a stock phrase.)"""
    if end - start > len(exact) + 2 * CONTEXT_CHARS:
        return None
    near = [c for c in copies if _overlaps(c, start - CONTEXT_CHARS, end + CONTEXT_CHARS)]
    return near[0] if len(near) == 1 else None


def _fuzzy_search(text: str, selector: Selector, hint: int) -> _Candidate | None:
    """An edited copy of the quote, preferably near ``hint``. Bitap matches of its first and last
    32 characters (as diff-match-patch's patch_apply does for long text), each end also sought
    where the other one puts it, tell roughly where it is; aligning the quote there gives its
    exact extent (see _align)."""
    matcher = diff_match_patch()  # settings per call: the shared instance must not change
    # Bitap's score is errors/length + distance/Match_Distance and must stay under 0.4: distance
    # costs at most 0.5 here, so a perfect match up to 80% of the text away is found and one with
    # errors must be nearer. Each allowed error is one more pass over the text (20k characters:
    # a few tens of milliseconds); past 40% the quote could not pass _FUZZY_MIN_QUOTE anyway
    # unless its other end matched, which is searched for separately.
    matcher.Match_Distance = max(1_000, 2 * len(text))
    matcher.Match_Threshold = 0.4
    exact, bits = selector.exact, matcher.Match_MaxBits
    n = len(exact)
    head_pattern, tail_pattern = exact[:bits], exact[-bits:]
    rough: set[tuple[int, int]] = set()
    head = matcher.match_main(text, head_pattern, hint)
    if head != -1:
        rough.add((head, head + n))
    if n > bits:
        tail = matcher.match_main(text, tail_pattern, hint + n - bits)
        if tail != -1:
            rough.add((tail + bits - n, tail + bits))
            other_head = matcher.match_main(text, head_pattern, tail + bits - n)
            rough.update((h, tail + bits) for h in (head, other_head) if h != -1)
        if head != -1:
            other_tail = matcher.match_main(text, tail_pattern, head + n - bits)
            if other_tail != -1:
                rough.add((head, other_tail + bits))
    best: _Candidate | None = None
    for start, end in sorted(rough):
        aligned = _align(text, selector, start, end)
        if aligned and n / 2 <= aligned.end - aligned.start <= 2 * n:
            candidate = _evaluate(text, selector, aligned.start, aligned.end, hint)
            if best is None or candidate.score > best.score:
                best = candidate
    if best is None or best.quote < _FUZZY_MIN_QUOTE:
        return None
    distinctive = (
        len(exact.strip()) >= _DISTINCTIVE_CHARS and best.quote >= _FUZZY_DISTINCTIVE_QUOTE
    )
    return best if distinctive or best.context >= _EXACT_MIN_CONTEXT else None


def _align(text: str, selector: Selector, rough_start: int, rough_end: int) -> _Candidate | None:
    """The exact extent of an edited copy of the quote roughly at ``text[rough_start:rough_end]``.

    Bitap tells where a match starts, not how long the edited passage now is (a range of the old
    quote's length cut one that had grown: "...did not matte"), and a diff of repetitive text
    may pair a word typed into the passage with the same word after it. So the quote is diffed
    against that stretch of text, widened by as much as the passage may have grown, and its ends
    are mapped through that diff: once with its context, which places an end whose first or last
    word was replaced, and once alone, which no look-alike context can mislead. The better
    scoring of the two wins.
    """
    exact, prefix, suffix = selector.exact, selector.prefix, selector.suffix
    slack = len(exact) // 2 + _ALIGN_SLACK  # a passage grown more would fail _FUZZY_MIN_QUOTE
    lo = max(0, min(rough_start, rough_end - len(exact)) - len(prefix) - slack)
    hi = min(len(text), max(rough_end, rough_start + len(exact)) + len(suffix) + slack)
    best: tuple[int, _Candidate] | None = None
    for before, after in ((prefix, suffix), ("", "")):
        segments = segments_of(token_diff(before + exact + after, text[lo:hi]))
        first, last = len(before), len(before) + len(exact)
        start, fit_start = map_end(segments, first, is_start=True)
        end, fit_end = map_end(segments, last, is_start=False)
        start, end = _fit(text, selector, lo + start, lo + end, fit_start, fit_end)
        if start < end:
            # An end whose character the diff kept is certain; only then does similarity count
            # (it would rather cut a grown passage short than take in the words typed into it).
            certain = kept(segments, first) + kept(segments, last - 1)
            candidate = _evaluate(text, selector, start, end, hint=rough_start)
            if best is None or (certain, candidate.score) > (best[0], best[1].score):
                best = (certain, candidate)
    return best[1] if best else None


def _fit(
    text: str, selector: Selector, start: int, end: int, fit_start: bool, fit_end: bool
) -> tuple[int, int]:
    """Move each end that is a guess by a few characters to fit the quote best, never into the
    middle of a word unless the quote's end was there. (By quote, not by score: context would
    pull the ends into the middle of words.)"""
    exact = selector.exact
    reach = min(8, max(2, len(exact) // 8))
    at_break = (
        _word_break(selector.prefix[-1:], exact[:1]),
        _word_break(exact[-1:], selector.suffix[:1]),
    )
    best = (_similarity(text[start:end], exact), start, end)
    for moving_start, fit in ((True, fit_start), (False, fit_end)):
        if not fit:
            continue
        _, base_start, base_end = best
        found: tuple[float, int, int] | None = None
        for delta in range(-reach, reach + 1):
            trial_start = base_start + delta if moving_start else base_start
            trial_end = base_end if moving_start else base_end + delta
            at = trial_start if moving_start else trial_end
            if not 0 <= trial_start < trial_end <= len(text):
                continue
            if at_break[0 if moving_start else 1] and not _word_break(
                text[at - 1 : at] if at else "", text[at : at + 1]
            ):
                continue
            quote = _similarity(text[trial_start:trial_end], exact)
            if found is None or quote > found[0]:
                found = (quote, trial_start, trial_end)
        if found is not None:
            best = found
    return best[1], best[2]


def _word_break(before: str, after: str) -> bool:
    """Whether a boundary between these characters falls between words, and not inside a
    character as seen (a letter and its combining accent, an emoji joined by ZWJ)."""
    if "\u200d" in (before, after) or CONTINUATION.match(after):
        return False
    return not (_WORD_CHAR.match(before) and _WORD_CHAR.match(after))


def _overlaps(candidate: _Candidate, start: int, end: int) -> bool:
    return candidate.start < end and start < candidate.end


def _reanchored(text: str, candidate: _Candidate, status: AnchorStatus) -> Reanchored:
    selector = make_selector(text, candidate.start, candidate.end)
    return Reanchored(selector, status, round(candidate.score, 4))


def _orphaned() -> Reanchored:
    return Reanchored(None, AnchorStatus.ORPHANED, 0.0)
