"""A readable word-level diff between two revisions of a case."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from supervision.cases.sections import SECTIONS
from supervision.models import CaseRevision

_TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Chunk:
    op: str  # "equal", "insert" or "delete"
    text: str


@dataclass(frozen=True)
class SectionDiff:
    key: str
    label: str
    chunks: list[Chunk]

    @property
    def changed(self) -> bool:
        return any(chunk.op != "equal" for chunk in self.chunks)


def diff_text(old: str, new: str) -> list[Chunk]:
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    chunks: list[Chunk] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            chunks.append(Chunk("equal", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            chunks.append(Chunk("delete", "".join(a[i1:i2])))
        if j2 > j1:
            chunks.append(Chunk("insert", "".join(b[j1:j2])))
    return chunks


def diff_revisions(old: CaseRevision, new: CaseRevision) -> list[SectionDiff]:
    parts = [("title", "Title")] + [(s.key, s.label) for s in SECTIONS]
    return [
        SectionDiff(key, label, diff_text(getattr(old, key) or "", getattr(new, key) or ""))
        for key, label in parts
    ]
