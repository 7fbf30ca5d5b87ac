"""People's names (NAME): clients, relatives, employers, anyone.

A capitalised word is judged with its neighbours. Runs of capitalised words ("Hope Yamamoto")
are judged together. Evidence, strongest first:
- a cue before it: a title ("Mrs. Doyle"), a person noun ("her son Joy", "my client, Wei"),
  a naming word ("a boy named Sue");
- the name lists: a given name or surname that is not also an ordinary English word;
- the way it is used: a possessive ("Fatima's"), a verb a person does ("Hope lives"), an
  apposition ("Keisha, a 34-year-old"), alone in brackets ("The client (Jonah)").
Names that are also words (Hope, Grace, Will, Joy) need a cue or a mid-sentence capital; a
sentence start alone is no evidence ("Will she come back?", "Grace under pressure").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from . import lexicon
from .cues import (
    AUX_VERBS,
    MONTHS,
    NAME_VERBS,
    NAMING_WORDS,
    NOT_NAMES,
    PERSON_NOUNS,
    THEORISTS,
    TITLES,
    WEEKDAYS,
)
from .findings import CUED, GUESSED, LISTED, Candidate, make
from .tokens import Token

_ADVERBS = frozenset(
    "then also later still never always often finally just suddenly again quickly quietly "
    "slowly immediately eventually recently sometimes usually rarely once abruptly".split()
)
_APPOSITION = frozenset("a an who whose aged age".split())
_PRONOUN_NEXT = frozenset("you she he they i we it the a an this that there".split())
_CITATION = re.compile(r",?\s*(?:et al\.?,?\s*)?\(?(?:19|20)\d\d[a-z]?\)")


def _kind_of(tok: Token) -> str:
    """'first'/'last' (a listed name that is no common word), 'word' (listed but also a word),
    'common' (an ordinary word), 'unknown' (in no list at all)."""
    key = tok.key
    common = lexicon.is_common(key)
    if key in lexicon.FIRST_NAMES:
        return "word" if common else "first"
    if key in lexicon.SURNAMES:
        return "word" if common else "last"
    return "common" if common else "unknown"


def _shaped(tok: Token) -> bool:
    """Could be part of a name at all."""
    return (
        tok.cap
        and not tok.acronym
        and len(tok.text) > 1
        and tok.key not in NOT_NAMES
        and tok.key not in WEEKDAYS
    )


def find_names(text: str, tokens: list[Token]) -> Iterator[Candidate]:
    n = len(tokens)
    flagged: dict[int, int] = {}  # token index -> rank
    why: dict[int, str] = {}
    i = 0
    while i < n:
        if not _shaped(tokens[i]):
            i += 1
            continue
        j = i
        while (
            j + 1 < n
            and _shaped(tokens[j + 1])
            and not tokens[j].possessive
            and _chain_gap(text, tokens[j], tokens[j + 1])
        ):
            j += 1
        # A capitalised ordinary word opening a sentence is not part of the name after it.
        while i < j and tokens[i].initial and _kind_of(tokens[i]) == "common":
            i += 1
        _judge(text, tokens, i, j, flagged, why)
        i = j + 1
    _spread(text, tokens, flagged, why)
    yield from _emit(text, tokens, flagged, why)


def _chain_gap(text: str, a: Token, b: Token) -> bool:
    gap = text[a.end : b.start]
    return gap in (" ", "-") or (gap == ". " and len(a.text) == 1)


def _judge(
    text: str, tokens: list[Token], i: int, j: int, flagged: dict[int, int], why: dict[int, str]
) -> None:
    chain = tokens[i : j + 1]
    kinds = [_kind_of(t) for t in chain]
    first = chain[0]
    prev = tokens[i - 1] if i else None
    gap_before = text[prev.end : first.start] if prev else ""
    nxt = tokens[j + 1] if j + 1 < len(tokens) else None
    gap_after = text[chain[-1].end : nxt.start] if nxt else text[chain[-1].end :]

    # 1. An explicit cue before the run.
    cue = _cue_before(tokens, i, gap_before)
    if cue:
        for k, t in enumerate(chain):
            if t.key in MONTHS and k:
                break
            _flag(i + k, CUED, f"Capitalised word after '{cue}' looks like a person's name", flagged, why)
        return

    months = [t.key in MONTHS for t in chain]
    if all(months):
        return
    if _CITATION.match(text, chain[-1].end) or all(t.key in THEORISTS for t in chain):
        return  # "(Bowlby, 1969)", "Winnicott's holding": a cited author, not a client
    single = len(chain) == 1
    usage = _usage_after(chain[-1], nxt, gap_after, gap_before, tokens, j)
    listed = [k in ("first", "last") for k in kinds]
    region = single and (first.key in lexicon.REGIONS)

    # 2. A listed name that is no ordinary word, with its run ("Keisha Okafor", "Hope Yamamoto").
    if any(listed) and not region:
        # A lone surname opening a sentence with nothing else to go on: too weak.
        doubtful = single and kinds[0] == "last" and first.initial and not usage
        if not doubtful:
            label = _list_reason(chain, kinds)
            for k, kind in enumerate(kinds):
                if kind != "common" and not months[k]:
                    _flag(i + k, LISTED, label, flagged, why)
            return
    # 3. How the word is used: "Hope lives", "Fatima's", "Keisha, a ...", "(Jonah)".
    if usage:
        strong_usage = usage != "aux"
        for k, kind in enumerate(kinds):
            if months[k] or kind == "common":
                continue
            if kind == "word" and not strong_usage:
                continue
            if kind == "unknown" and usage == "aux":
                continue
            rank = LISTED if kind == "word" else GUESSED
            _flag(i + k, rank, _usage_reason(chain[k], usage, nxt), flagged, why)
        return
    # 4. A given name that is also a word, capitalised mid-sentence: "I spoke with Grace".
    if single and not first.initial and kinds[0] == "word" and first.key in lexicon.FIRST_NAMES:
        if not months[0] and not (prev and prev.cap and not prev.initial):
            _flag(i, LISTED, f"'{first.text}' is capitalised mid-sentence, as a name", flagged, why)


def _cue_before(tokens: list[Token], i: int, gap: str) -> str:
    if not i:
        return ""
    prev = tokens[i - 1]
    g = gap.strip()
    if prev.key in TITLES and prev.cap and g in ("", "."):
        return prev.text + ("." if g == "." else "")
    if prev.key in NAMING_WORDS and g in ("", ",", ":", '"', "'", "“", "‘"):
        return prev.text
    if prev.key in PERSON_NOUNS and not prev.cap and g in ("", ",", "(", ":"):
        return prev.text
    return ""


def _usage_after(
    last: Token, nxt: Token | None, gap_after: str, gap_before: str, tokens: list[Token], j: int
) -> str:
    if last.possessive:
        return "possessive"
    if gap_before.endswith("(") and gap_after.startswith(")"):
        return "brackets"
    if nxt is None:
        return ""
    if gap_after == ", " and nxt.key in _APPOSITION:
        return "apposition"
    if gap_after != " " or nxt.cap:
        return ""
    verb = nxt
    if nxt.key in _ADVERBS or (nxt.key.endswith("ly") and len(nxt.key) > 4):
        verb = tokens[j + 2] if j + 2 < len(tokens) else nxt
    if verb.key in NAME_VERBS:
        return "verb"
    if verb.key in AUX_VERBS:
        return "aux"
    return ""


def _list_reason(chain: list[Token], kinds: list[str]) -> str:
    if "first" in kinds and "last" in kinds:
        return "Looks like a first name and surname"
    if "first" in kinds:
        word = chain[kinds.index("first")].text
        return f"'{word}' is a first name in the name lists"
    word = chain[kinds.index("last")].text
    return f"'{word}' is a surname in the name lists"


def _usage_reason(tok: Token, usage: str, nxt: Token | None) -> str:
    if usage == "possessive":
        return f"Capitalised possessive '{tok.text}'s' looks like a person's name"
    if usage == "brackets":
        return "Capitalised word alone in brackets looks like a person's name"
    if usage == "apposition":
        return "Capitalised word introduced like a person ('X, a ...') looks like a name"
    verb = nxt.text if nxt else ""
    return f"Capitalised word before '{verb}' looks like a person's name"


def _flag(k: int, rank: int, reason: str, flagged: dict[int, int], why: dict[int, str]) -> None:
    if rank > flagged.get(k, -1):
        flagged[k] = rank
        why[k] = reason


def _spread(text: str, tokens: list[Token], flagged: dict[int, int], why: dict[int, str]) -> None:
    """A word flagged once as a name is a name elsewhere in the text too ("Hope" the client)."""
    sure = {tokens[k].key for k, rank in flagged.items() if rank >= LISTED}
    if not sure:
        return
    for k, tok in enumerate(tokens):
        if k in flagged or not tok.cap or tok.key not in sure or not _shaped(tok):
            continue
        if tok.initial and k + 1 < len(tokens) and tokens[k + 1].key in _PRONOUN_NEXT:
            continue  # "Will she come back?"
        _flag(k, LISTED, "Same word is flagged as a name elsewhere in this text", flagged, why)
    # "Omar and Keisha": a capitalised word joined to a name by 'and' is a name too.
    for k in sorted(flagged):
        for step in (2, -2):
            m = k + step
            if not 0 <= m < len(tokens) or m in flagged:
                continue
            mid = tokens[(k + m) // 2]
            other = tokens[m]
            if mid.key in ("and", "or") and _shaped(other) and _kind_of(other) != "common":
                _flag(m, GUESSED, "Capitalised word joined by 'and' to a name", flagged, why)


def _emit(
    text: str, tokens: list[Token], flagged: dict[int, int], why: dict[int, str]
) -> Iterator[Candidate]:
    order = sorted(flagged)
    k = 0
    while k < len(order):
        start = order[k]
        end = start
        while (
            k + 1 < len(order)
            and order[k + 1] == end + 1
            and _chain_gap(text, tokens[end], tokens[end + 1])
            and not tokens[end].possessive
        ):
            k += 1
            end = order[k]
        rank = max(flagged[x] for x in range(start, end + 1))
        yield rank, make(text, "NAME", tokens[start].start, tokens[end].end, why[start])
        k += 1
