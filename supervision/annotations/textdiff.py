"""A character diff of two texts, as runs, and where an offset of the old text lands in the new.

Computed on word tokens first (several times faster than a character diff of 20k characters),
split at runs of tokens that occur once in each text (a patience diff), and refined by
character inside changed runs, so offsets are exact. Pure Python on diff-match-patch.
"""

from __future__ import annotations

import itertools
import re
import time
import unicodedata
from bisect import bisect_left
from collections import Counter
from functools import lru_cache
from typing import NamedTuple

from diff_match_patch import diff_match_patch

# Myers' diff is O(N*D): a wholesale rewrite would take seconds in pure Python. Past this budget
# diff-match-patch returns a coarser (still valid) diff; the quote search then does the work.
DIFF_TIMEOUT_S = 0.5

DELETE, INSERT, EQUAL = (
    diff_match_patch.DIFF_DELETE,
    diff_match_patch.DIFF_INSERT,
    diff_match_patch.DIFF_EQUAL,
)


def _marks() -> str:
    """Every combining mark (categories Mn, Mc, Me) as ranges for a regex class (~35 ms, once)."""
    ranges: list[tuple[int, int]] = []
    for code in itertools.chain(range(0x20000), range(0xE0000, 0xE1000)):
        if unicodedata.category(chr(code))[0] == "M":
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1] = (ranges[-1][0], code)
            else:
                ranges.append((code, code))
    return "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)


# What continues the character before it, as seen: combining marks, variation selectors, emoji
# skin tones and tag characters; a zero-width joiner joins the next one to it as well.
CONTINUES = f"[{_marks()}\ufe0e\ufe0f\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f]"
# Words with their trailing whitespace: a token diff is several times faster than a character
# diff of 20k characters; changed tokens are then re-diffed by character for exact offsets. A
# token never splits a character as seen (an accent, an emoji sequence, a flag), so no diff can
# pair half of one with half of another.
_TOKEN = re.compile(
    rf"(?:\w{CONTINUES}*)+\s*"
    r"|[\U0001f1e6-\U0001f1ff]{2}\s*"  # a flag: two regional indicators
    rf"|[^\w\s]{CONTINUES}*(?:\u200d[^\s]{CONTINUES}*)*\s*"
    r"|\s+"
)
CONTINUATION = re.compile(CONTINUES)
_ANCHOR_TOKENS = 4  # patience diff anchors: 4 tokens rarely repeat even in repetitive prose

dmp = diff_match_patch()  # holds only settings, so one shared instance is safe
dmp.Diff_Timeout = DIFF_TIMEOUT_S


class Segment(NamedTuple):
    """A run of the diff: old[old_start:old_end] became new[new_start:new_end]."""

    old_start: int
    old_end: int
    new_start: int
    new_end: int
    equal: bool


@lru_cache(maxsize=8)  # a revision's annotations all map through the same diff
def diff_segments(old: str, new: str) -> tuple[Segment, ...]:
    """The diff of ``old`` -> ``new`` as runs, equal ones and changed ones between them."""
    return segments_of(token_diff(old, new))


def segments_of(diffs: list[tuple[int, str]]) -> tuple[Segment, ...]:
    """diff-match-patch's (op, text) list as runs: each deletion and insertion between two
    equalities make one changed run."""
    segments: list[Segment] = []
    a = b = 0  # offsets in old and new
    hunk_a, hunk_b = 0, 0
    for op, text in diffs:
        if op == EQUAL:
            if (a, b) != (hunk_a, hunk_b):
                segments.append(Segment(hunk_a, a, hunk_b, b, equal=False))
            segments.append(Segment(a, a + len(text), b, b + len(text), equal=True))
            a, b = a + len(text), b + len(text)
            hunk_a, hunk_b = a, b
        elif op == DELETE:
            a += len(text)
        else:
            b += len(text)
    if (a, b) != (hunk_a, hunk_b):
        segments.append(Segment(hunk_a, a, hunk_b, b, equal=False))
    return tuple(segments)


def token_diff(old: str, new: str) -> list[tuple[int, str]]:
    """A character diff, computed on word tokens first and refined inside changed runs."""
    deadline = time.time() + DIFF_TIMEOUT_S
    old_tokens, new_tokens = _TOKEN.findall(old), _TOKEN.findall(new)
    if len(old_tokens) + len(new_tokens) >= 0x110000:  # more tokens than code points to name them
        return dmp.diff_main(old, new, False, deadline)
    codes: dict[str, str] = {}
    old_codes = "".join([codes.setdefault(t, chr(len(codes))) for t in old_tokens])
    new_codes = "".join([codes.setdefault(t, chr(len(codes))) for t in new_tokens])
    vocabulary = list(codes)

    out: list[tuple[int, str]] = []
    deleted: list[str] = []
    inserted: list[str] = []

    def refine() -> None:
        gone, added = "".join(deleted), "".join(inserted)
        if gone and added:
            sub = dmp.diff_main(gone, added, False, deadline)
            dmp.diff_cleanupSemantic(sub)  # drop chance one-letter matches inside new words
            out.extend(sub)
        elif gone or added:
            out.append((DELETE, gone) if gone else (INSERT, added))
        deleted.clear()
        inserted.clear()

    for op, encoded in _patiencetoken_diff(old_codes, new_codes, deadline):
        text = "".join([vocabulary[ord(c)] for c in encoded])
        if op == EQUAL:
            refine()
            out.append((op, text))
        else:
            (deleted if op == DELETE else inserted).append(text)
    refine()
    return out


def _patiencetoken_diff(a: str, b: str, deadline: float) -> list[tuple[int, str]]:
    """diff-match-patch's diff, split first at runs of tokens that occur once in each text (a
    patience diff): Myers' O(N*D) then only works on the small gaps between them. 300 scattered
    edits in 20k characters take it from about 0.3 s to a few hundredths."""
    diffs: list[tuple[int, str]] = []
    i = j = 0
    for x, y in _longest_increasing(_unique_matches(a, b, _ANCHOR_TOKENS)):
        if x < i or y < j:
            continue  # overlaps the anchor before
        diffs.extend(dmp.diff_main(a[i:x], b[j:y], False, deadline))
        diffs.append((EQUAL, a[x : x + _ANCHOR_TOKENS]))
        i, j = x + _ANCHOR_TOKENS, y + _ANCHOR_TOKENS
    diffs.extend(dmp.diff_main(a[i:], b[j:], False, deadline))
    dmp.diff_cleanupMerge(diffs)  # joins the runs split at anchors
    return diffs


def _unique_matches(a: str, b: str, k: int) -> list[tuple[int, int]]:
    """(i, j) for every k-gram a[i:i+k] == b[j:j+k] that occurs once in a and once in b."""
    in_a = Counter(a[i : i + k] for i in range(len(a) - k + 1))
    in_b = Counter(b[j : j + k] for j in range(len(b) - k + 1))
    where_b = {b[j : j + k]: j for j in range(len(b) - k + 1)}
    return [
        (i, where_b[gram])
        for i in range(len(a) - k + 1)
        if in_a[gram := a[i : i + k]] == 1 and in_b[gram] == 1
    ]


def _longest_increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest run of ``pairs`` (sorted by i) whose j increase too (patience sorting)."""
    tails: list[int] = []  # tails[n]: index of the pair ending the best run of length n + 1
    tail_js: list[int] = []
    before = [-1] * len(pairs)
    for index, (_, j) in enumerate(pairs):
        n = bisect_left(tail_js, j)
        if n:
            before[index] = tails[n - 1]
        if n == len(tails):
            tails.append(index)
            tail_js.append(j)
        else:
            tails[n], tail_js[n] = index, j
    run: list[tuple[int, int]] = []
    index = tails[-1] if tails else -1
    while index != -1:
        run.append(pairs[index])
        index = before[index]
    return run[::-1]


def end_deleted(segments: tuple[Segment, ...], start: int, end: int) -> bool:
    """Whether the diff deleted the first or the last character of old[start:end] outright
    (nothing new in its place). Then the mapped range has lost that end, truly, or because the
    diff paired a word typed into the passage with the same word beside it."""
    return any(
        not seg.equal
        and seg.new_start == seg.new_end
        and (seg.old_start <= start < seg.old_end or seg.old_start < end <= seg.old_end)
        for seg in segments
    )


def map_offset(segments: tuple[Segment, ...], offset: int, *, is_start: bool) -> int:
    """Where an old offset lands in the new text. Text inserted exactly at a boundary stays
    outside the passage; text replacing a boundary character is taken into it."""
    for seg in segments:
        if not seg.equal and seg.old_start == seg.old_end == offset:
            return seg.new_end if is_start else seg.new_start
        if seg.old_start <= offset < seg.old_end:
            if seg.equal:
                return seg.new_start + offset - seg.old_start
            if offset == seg.old_start:
                return seg.new_start
            return seg.new_start if is_start else seg.new_end
    return segments[-1].new_end if segments else 0


def kept(segments: tuple[Segment, ...], offset: int) -> bool:
    """Whether the diff kept the old character at ``offset``."""
    return any(seg.equal and seg.old_start <= offset < seg.old_end for seg in segments)


def map_end(segments: tuple[Segment, ...], offset: int, *, is_start: bool) -> tuple[int, bool]:
    """Where an end of the quote lands in the aligned text, and whether that is a guess: a run
    rewritten across the end (context and quote both) keeps as many characters inside as the
    quote had there."""
    for seg in segments:
        if not seg.equal and seg.old_start < offset < seg.old_end:
            if is_start:
                return max(seg.new_start, seg.new_end - (seg.old_end - offset)), True
            return min(seg.new_end, seg.new_start + (offset - seg.old_start)), True
    return map_offset(segments, offset, is_start=is_start), False
