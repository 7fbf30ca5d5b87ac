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
    FUNCTION_WORDS,
    MONTHS,
    NAME_VERBS,
    NAMING_WORDS,
    NOT_NAMES,
    OBJECT_VERBS,
    PERSON_NOUNS,
    PERSON_WORDS,
    THEORISTS,
    TITLES,
    WEEKDAYS,
    word_set,
)
from .findings import CUED, GUESSED, LISTED, Candidate, make
from .tokens import Token, Words

_ADVERBS = word_set(
    "then also later still never always often finally just suddenly again quickly quietly "
    "slowly immediately eventually recently sometimes usually rarely once abruptly"
)
_CALL = word_set("call calls called calling name names named")
_APPOSITION = word_set("a an who whose aged age my our his her")
_ARTICLES = word_set("a an the this that these those every any no our their")
_DETERMINERS = word_set("a an no two three four five six seven eight nine ten")
_PRONOUN_NEXT = word_set("you she he they i we it the a an this that there")
_AGE_APPOSITION = re.compile(r", \d{1,2},")
_CITATION = re.compile(r",?\s*(?:et al\.?,?\s*)?\(?(?:19|20)\d\d[a-z]?\)")


def _kind_of(tok: Token) -> str:
    """'first'/'last' (a listed name that is no everyday word), 'word' (listed, but also an
    everyday word), 'common' (an ordinary word), 'unknown' (in no list at all)."""
    if not tok.kind:
        tok.kind = _read(tok.key)
    return tok.kind


def _read(key: str) -> str:
    if key in lexicon.FIRST_NAMES:
        return "word" if lexicon.is_everyday(key) else "first"
    if key in lexicon.SURNAMES:
        return "word" if lexicon.is_everyday(key) else "last"
    if "-" in key or "'" in key:  # "Mary-Jane", "O'Brien", "Garcia-Lopez"
        parts = [p for p in re.split(r"[-']", key) if len(p) > 2]
        if parts and all(p in lexicon.FIRST_NAMES or p in lexicon.SURNAMES for p in parts):
            return "first" if parts[0] in lexicon.FIRST_NAMES else "last"
    return "common" if lexicon.is_common(key) else "unknown"


def _shaped(tok: Token) -> bool:
    """Could be part of a name at all."""
    key = tok.key
    return (
        not tok.acronym
        and len(key) > 1
        and key not in NOT_NAMES
        and key not in FUNCTION_WORDS
        and key not in WEEKDAYS
    )


def find_names(words: Words) -> Iterator[Candidate]:
    caps = [t for t in words.caps if _shaped(t)]
    flagged: dict[int, tuple[int, str]] = {}  # position in caps -> (rank, reason)
    a = 0
    while a < len(caps):
        b = a
        while (
            b + 1 < len(caps)
            and caps[b + 1].i == caps[b].i + 1
            and not caps[b].possessive
            and _chain_gap(words, caps[b + 1].i)
        ):
            b += 1
        first = a
        # A capitalised ordinary word opening a sentence is not part of the name after it, and a
        # title ("Sister Mary", "Uncle Bob") is a cue, not a name.
        while first < b and (
            (caps[first].initial and _kind_of(caps[first]) == "common") or caps[first].key in TITLES
        ):
            first += 1
        _judge(words, caps, first, b, flagged)
        a = b + 1
    _spread(words, caps, flagged)
    yield from _emit(words, caps, flagged)
    yield from _initials_and_families(words)


# Starts with its capital (no look-behind) so the regex engine can skip ahead to capitals.
_INITIALS = re.compile(r"[A-Z]\.(?: ?[A-Z]\.){1,2}(?![\w.])")
_NOT_INITIALS = word_set("US UK EU UN PO AM PM DC NY LA BA MA BS MS MD JD RN PA BC AD")


def _initials_and_families(words: Words) -> Iterator[Candidate]:
    """'J.T. came in', 'the client, R., said', 'the Smiths': names in other shapes."""
    text = words.text
    if "." in text:
        for m in _INITIALS.finditer(text):
            s = m.start()
            if s and (text[s - 1].isalnum() or text[s - 1] == "."):
                continue
            if m.group().replace(".", "").replace(" ", "") not in _NOT_INITIALS:
                yield (
                    GUESSED,
                    make(text, "NAME", m.start(), m.end(), "Initials may identify someone"),
                )
    for tok in words.caps:
        i = tok.i
        if len(tok.text) == 1 and words.gaps[i + 1][:1] == "." and tok.text not in "AI":
            cue = _cue_before(words, i)
            if cue and not cue[0].isupper():  # "my client R.", "I'll call her R.", not "Dr. J."
                why = f"Initial after '{cue}' may identify someone"
                yield CUED, make(text, "NAME", tok.start, tok.end + 1, why)
        elif (
            tok.key.endswith("s")
            and words.key(i - 1) == "the"
            and tok.key[:-1] in lexicon.SURNAMES
            and not lexicon.is_everyday(tok.key[:-1])
        ):
            why = f"'the {tok.text}' looks like a family's surname"
            yield LISTED, make(text, "NAME", tok.start, tok.end, why)


def _chain_gap(words: Words, i: int) -> bool:
    """Do words i-1 and i belong to one name ("Hope Yamamoto", "Mary J. Blige")?"""
    gap = words.gaps[i]
    return gap == " " or (gap == ". " and len(words.words[i - 1]) == 1)


def _judge(
    words: Words, caps: list[Token], a: int, b: int, flagged: dict[int, tuple[int, str]]
) -> None:
    """Decide which words of the run caps[a..b] are names, and flag them."""
    chain = caps[a : b + 1]
    kinds = [_kind_of(t) for t in chain]
    first, last = chain[0], chain[-1]
    months = [t.key in MONTHS for t in chain]

    # 1. An explicit cue before the run: "Mrs. Doyle", "her son Joy", "named Hope".
    cue = _cue_before(words, first.i)
    if cue:
        reason = f"Capitalised word after '{cue}' looks like a person's name"
        for k in range(len(chain)):
            if months[k] and k:
                break  # "her daughter June" yes, "her son Omar March 3" no
            _flag(flagged, a + k, CUED, reason)
        return

    named = [t for t, kind in zip(chain, kinds, strict=True) if kind != "common"]
    if all(months) or not named or all(t.key in THEORISTS for t in named):
        return  # "Beck Depression Inventory", "Winnicott's holding": a cited author, not a client
    if (
        len(chain) - len(named) >= 2
        or (len(chain) > 1 and kinds[-1] == "common")
        or _CITATION.match(words.text, last.end)
    ):
        # A title-case phrase ("Columbia Suicide Severity Rating Scale", "Serenity Prayer"), or
        # a citation ("(Smith, 2019)").
        return
    single = len(chain) == 1
    usage = _usage(words, first, last)

    # 2. A listed name that is no everyday word, with its run ("Keisha Okafor", "Hope Yamamoto").
    # A lone surname opening a sentence, with nothing else to go on, is too weak; so is a
    # state or country ("Georgia").
    listed = any(k in ("first", "last") for k in kinds)
    too_weak = single and (
        first.key in lexicon.REGIONS or (kinds[0] == "last" and first.initial and not usage)
    )
    if listed and not too_weak:
        reason = _list_reason(chain, kinds)
        for k, kind in enumerate(kinds):
            if kind != "common" and not months[k]:
                _flag(flagged, a + k, LISTED, reason)
        return
    # 3. How the word is used: "Hope lives", "Fatima's", "Keisha, a ...", "(Jonah)".
    if usage:
        for k, kind in enumerate(kinds):
            # Any past tense only counts after a word the dictionary knows as a name ("Mary"),
            # not after an abstract noun ("Joy filled the room") or a drug ("Zoloft helped").
            if usage == "past" and not (kind == "word" and chain[k].key in lexicon.PROPER_NOUNS):
                continue
            if not months[k] and kind != "common":
                rank = GUESSED if kind == "unknown" else LISTED
                _flag(flagged, a + k, rank, _usage_reason(chain[k], usage, words, last.i))
        return
    # 4. A given name that is also a word, capitalised mid-sentence: "I spoke with Grace".
    if (
        single
        and not first.initial
        and kinds[0] == "word"
        and first.key in lexicon.FIRST_NAMES
        and not months[0]
        and not words.is_cap(first.i - 1)
        and words.key(first.i - 1) not in _ARTICLES  # "a Marine veteran", "the Hope Clinic"
    ):
        _flag(flagged, a, LISTED, f"'{first.text}' is capitalised mid-sentence, as a name")


def _cue_before(words: Words, i: int) -> str:
    if i == 0:
        return ""
    prev = words.words[i - 1]
    key = words.key(i - 1)
    g = words.gaps[i].strip()
    if key in TITLES and prev[0].isupper() and g in ("", "."):
        return prev + g
    if key in NAMING_WORDS and g in ("", ",", ":", '"', "'", "\u201c", "\u2018"):
        return prev
    if key in ("him", "her", "them") and words.key(i - 2) in _CALL and not g:
        return f"{words.words[i - 2]} {prev}"  # "I'll call her Anna"
    if key in PERSON_NOUNS and prev[0].islower() and g in ("", ",", "(", ":"):
        return prev
    return ""


def _usage(words: Words, first: Token, last: Token) -> str:
    if last.possessive:
        return "possessive"
    j = last.i
    after = words.gaps[j + 1]
    if words.gaps[first.i].endswith("(") and after.startswith(")"):
        return "brackets"
    if not first.initial and words.gaps[first.i] == " " and words.key(first.i - 1) in OBJECT_VERBS:
        return "object"  # "I asked Kalinda what she needed"
    if j + 1 >= words.n:
        return ""
    nxt = words.key(j + 1)
    if (after == ", " and nxt in _APPOSITION) or _AGE_APPOSITION.match(after):
        return "apposition"  # "Keisha, a designer", "Mary, 34,"
    if after == " " and nxt == "and" and words.key(j + 2) in ("i", "me", "my"):
        return "coordination"  # "Jane and I"
    if after != " " or words.is_cap(j + 1):
        return ""
    k = j + 1
    if (nxt in _ADVERBS or (nxt.endswith("ly") and len(nxt) > 4)) and words.gaps[k + 1] == " ":
        k += 1
    verb = words.key(k)
    if verb in NAME_VERBS:
        return "verb"  # "Hope lives ...", "Okafor said ..."
    if verb.endswith("ed") and len(verb) > 4:
        return "past"  # "Caroline slammed the door", but also "Joy filled the room"
    # "Hope is ..." alone says nothing; "Ana is a junior at ..." describes a person.
    if verb in AUX_VERBS and _describes_person(words, k + 1):
        return "description"
    return ""


def _describes_person(words: Words, k: int) -> bool:
    """After 'X is' / 'X has': 'a 34-year-old designer', 'a junior at', 'two kids', '34'."""
    if words.gaps[k].strip().isdigit():
        return True  # "Mary is 34"
    if words.key(k) not in _DETERMINERS and not words.gaps[k].strip():
        return False
    return any(words.key(m) in PERSON_WORDS or words.key(m) == "year-old" for m in range(k, k + 4))


def _list_reason(chain: list[Token], kinds: list[str]) -> str:
    if "first" in kinds and "last" in kinds:
        return "Looks like a first name and surname"
    if "first" in kinds:
        return f"'{chain[kinds.index('first')].text}' is a first name in the name lists"
    return f"'{chain[kinds.index('last')].text}' is a surname in the name lists"


def _usage_reason(tok: Token, usage: str, words: Words, j: int) -> str:
    if usage == "possessive":
        return f"Capitalised possessive '{tok.text}'s' looks like a person's name"
    if usage == "brackets":
        return "Capitalised word alone in brackets looks like a person's name"
    if usage == "apposition":
        return "Capitalised word introduced like a person ('X, a ...') looks like a name"
    if usage == "object":
        return "Capitalised word after a verb like 'asked' or 'told' looks like a person's name"
    if usage == "coordination":
        return "Capitalised word paired with 'and I' looks like a person's name"
    if usage == "description":
        return "Capitalised word described as a person ('X is a ...') looks like a name"
    verb = next((w for w in words.words[j + 1 : j + 3] if w.lower() in NAME_VERBS), "")
    verb = verb or words.words[j + 1]
    return f"Capitalised word before '{verb}' looks like a person's name"


def _flag(flagged: dict[int, tuple[int, str]], k: int, rank: int, reason: str) -> None:
    if rank > flagged.get(k, (-1, ""))[0]:
        flagged[k] = (rank, reason)


def _spread(words: Words, caps: list[Token], flagged: dict[int, tuple[int, str]]) -> None:
    """A word flagged once as a name is a name elsewhere in the text too ("Hope" the client)."""
    if not flagged or len(flagged) == len(caps):
        return
    sure = {caps[k].key for k, (rank, _) in flagged.items() if rank >= LISTED}
    for k, tok in enumerate(caps):
        if k in flagged or tok.key not in sure:
            continue
        if tok.initial and words.key(tok.i + 1) in _PRONOUN_NEXT:
            continue  # "Will she come back?"
        _flag(flagged, k, LISTED, "Same word is flagged as a name elsewhere in this text")
    # "Omar and Keisha": a capitalised word joined to a name by 'and' is a name too.
    by_index = {t.i: k for k, t in enumerate(caps)}
    for k in sorted(flagged):
        i = caps[k].i
        for other, mid in ((i + 2, i + 1), (i - 2, i - 1)):
            m = by_index.get(other)
            if m is None or m in flagged or words.key(mid) not in ("and", "or"):
                continue
            if _kind_of(caps[m]) != "common":
                _flag(flagged, m, GUESSED, "Capitalised word joined by 'and' to a name")


def _emit(
    words: Words, caps: list[Token], flagged: dict[int, tuple[int, str]]
) -> Iterator[Candidate]:
    order = sorted(flagged)
    k = 0
    while k < len(order):
        a = b = order[k]
        while (
            k + 1 < len(order)
            and order[k + 1] == b + 1
            and caps[b + 1].i == caps[b].i + 1
            and not caps[b].possessive
            and _chain_gap(words, caps[b + 1].i)
        ):
            k += 1
            b = order[k]
        rank = max(flagged[x][0] for x in range(a, b + 1))
        yield rank, make(words.text, "NAME", caps[a].start, caps[b].end, flagged[a][1])
        k += 1
