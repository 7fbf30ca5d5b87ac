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
    FUNCTION_WORDS,
    MONTHS,
    NAMING_WORDS,
    NOT_NAMES,
    NOT_PEOPLE,
    NOUN_PLURALS,
    PERSON_NOUNS,
    THEORISTS,
    TITLES,
    WEEKDAYS,
    word_set,
)
from .findings import CUED, GUESSED, LISTED, Candidate, make
from .tokens import Token, Words
from .usage import cited, is_dated, reason, usage

_CALL = word_set("call calls called calling name names named")
_ARTICLES = word_set("a an the this that these those every any no our their")
_PRONOUN_NEXT = word_set("you she he they i we it the a an this that there")
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
        and not key.endswith(_CONTRACTIONS)  # "I'm", "You're", "Don't"
    )


_CONTRACTIONS = ("'m", "'re", "'ve", "'d", "'ll", "n't")


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
    # A month is a date ("in May", "June 2nd") unless it is also a given name used where no
    # date is ("May arrived early", "Jun's father"): then it is a name that is also a word.
    months = [t.key in MONTHS and _dated(words, t) for t in chain]
    kinds = [
        "word" if t.key in MONTHS and not dated else _kind_of(t)
        for t, dated in zip(chain, months, strict=True)
    ]
    first, last = chain[0], chain[-1]

    # 1. An explicit cue before the run: "Mrs. Doyle", "her son Joy", "named Hope".
    cue = _cue_before(words, first.i)
    if cue:
        why = f"Capitalised word after '{cue}' looks like a person's name"
        for k in range(len(chain)):
            if months[k] and k:
                break  # "her daughter June" yes, "her son Omar March 3" no
            _flag(flagged, a + k, CUED, why)
        return

    single = len(chain) == 1
    named = [t for t, kind in zip(chain, kinds, strict=True) if kind != "common"]
    if not named:  # only dictionary words, bar a rare one used as a person ("Ngaio hates")
        if single and not months[0] and _rare_word_as_person(words, first):
            _flag(flagged, a, GUESSED, reason(first, usage(words, first, last), words, last.i))
        return
    if all(months) or all(t.key in THEORISTS for t in named):
        return  # "Beck Depression Inventory", "Winnicott's holding": a cited author, not a client
    if single and (
        first.key in TITLES  # "Nana's death", "Grandpa said": a relative, named by role
        or (first.key in lexicon.REGIONS and first.key not in lexicon.REGION_NAMES)
    ):
        return  # "Europe feels old", "the Midwest still feels foreign"
    if last.possessive and words.key(last.i + 1) in ("day", "eve") and words.is_cap(last.i + 1):
        return  # "Valentine's Day", "Mother's Day": a holiday
    surname = single and kinds[0] == "last"
    if cited(words, first, last, surname) or (single and _beside_theorist(words, first.i)):
        return  # "Herman writes that...", "Siegel's model", "Bowlby, Kaufman and Linehan"
    if (
        len(chain) - len(named) >= 2
        or (len(chain) > 1 and kinds[-1] == "common")
        or _CITATION.match(words.text, last.end)
    ):
        # A title-case phrase ("Columbia Suicide Severity Rating Scale", "Serenity Prayer"), or
        # a citation ("(Smith, 2019)").
        return
    use = usage(words, first, last)
    counts = (
        [_counts(words, t, kind, use) for t, kind in zip(chain, kinds, strict=True)]
        if use
        else [False] * len(chain)
    )

    # 2. A listed name that is no everyday word, with its run ("Keisha Okafor", "Hope Yamamoto").
    # A lone surname opening a sentence, with nothing else to go on, is too weak; so is a
    # state or country ("Georgia").
    listed = any(k in ("first", "last") for k in kinds)
    too_weak = single and (
        first.key in lexicon.REGIONS or (kinds[0] == "last" and first.initial and not counts[0])
    )
    if listed and not too_weak:
        why = _list_reason(chain, kinds)
        for k, kind in enumerate(kinds):
            if kind != "common" and not months[k]:
                _flag(flagged, a + k, LISTED, why)
        return
    # 3. How the word is used: "Hope lives", "Fatima's", "Keisha, a ...", "(Jonah)".
    if use:
        for k, kind in enumerate(kinds):
            if counts[k] and not months[k]:
                rank = GUESSED if kind == "unknown" else LISTED
                _flag(flagged, a + k, rank, reason(chain[k], use, words, last.i))
        return
    # 4. A given name that is also a word, capitalised mid-sentence: "I spoke with Grace".
    if (
        single
        and not first.initial
        and kinds[0] == "word"
        and first.key in lexicon.FIRST_NAMES
        and not words.is_cap(first.i - 1)
        and words.key(first.i - 1) not in _ARTICLES  # "a Marine veteran", "the Hope Clinic"
    ):
        _flag(flagged, a, LISTED, f"'{first.text}' is capitalised mid-sentence, as a name")


# Signs that show a word is a person only when the word could not be read otherwise: "Ikaika is
# seventeen" (no English word), but not "Hope is ..." nor "Joy filled the room".
_WEAK_USES = frozenset(("past", "personal", "irregular", "present", "aux", "finite"))
_MODALS = word_set("will can shall must might")
_SEASONS = word_set("spring summer autumn fall winter")  # "Will was late": no modal before "was"


def _counts(words: Words, tok: Token, kind: str, use: str) -> bool:
    """Does `use` show that `tok` (read as `kind`) is a person?"""
    if kind == "common":
        return False
    if kind == "unknown" and (tok.key in NOT_PEOPLE or lexicon.looks_like_word(tok.key)):
        return False  # "Zoloft helped", "Buddhism came up", "Psychoeducation was"
    if tok.key in _MODALS:  # "Will came in": a modal is never followed by a tense
        return use not in ("present", "aux")
    if tok.key in MONTHS:  # a month-name: only what a month cannot do ("June told me")
        if use == "possessive":  # "Jun's father", not "May's rent"
            return any(words.key(m) in PERSON_NOUNS for m in (tok.i + 1, tok.i + 2))
        return use in ("personal", "owner") or (
            use not in _WEAK_USES and use not in ("event", "arrival")
        )
    if use in _WEAK_USES:
        if kind == "word" or tok.key in lexicon.REGIONS:  # "Florida is where she retired"
            # Any past tense only counts after a word the dictionary knows as a name ("Mary"),
            # not after an abstract noun ("Joy filled the room").
            return (
                use == "personal"  # "Hope rang": only people ring, drive, swear
                or (use == "past" and tok.key in lexicon.PROPER_NOUNS)
                or (use == "finite" and tok.key in _MODALS)
            )
        # A word in no dictionary ("Tamsin spent", "Ikaika is"), where a subject stands: not
        # "some Gestalt experiments".
        return _subject(words, tok) and not lexicon.is_common(tok.key)
    if kind == "word" and tok.initial:
        # "River walks used to calm him" (a compound noun), "Spring feels like a promise" (what
        # a season does too): at a sentence start, an everyday word needs a person's verb,
        # unless the dictionary knows it as a name too ("Ruth came back").
        if use in ("event", "owner") and (
            tok.key not in lexicon.PROPER_NOUNS or tok.key in _SEASONS
        ):
            return False
        return words.key(tok.i + 1) not in NOUN_PLURALS
    return True


# Uses that show a person even after a rare dictionary word: "Ngaio hates the waiting room"
# (a New Zealand tree in Webster's), not "Caffeine keeps him awake".
_PERSON_USES = frozenset(
    ("verb", "naming", "apposition", "brackets", "aside", "coordination", "relative")
)


def _rare_word_as_person(words: Words, tok: Token) -> bool:
    key = tok.key
    if key in lexicon.FREQUENT_WORDS or key in NOT_PEOPLE or lexicon.looks_like_word(key):
        return False
    return _subject(words, tok) and usage(words, tok, tok) in _PERSON_USES


_CLAUSE_OPENERS = word_set(
    "and but so then when whenever because after before while if that as since until though "
    "although once unless whereas where "
    # verbs whose object is a clause: "I think Tamsin is testing me", "she said Kaveh had"
    "think thought suspect suspected know knew wonder wondered believe believed guess sense "
    "sensed realise realised realize realized notice noticed feel felt said says told hope"
)


def _subject(words: Words, tok: Token) -> bool:
    """Where a clause's subject stands: a sentence start, after a comma or 'when', 'because'..."""
    return (
        tok.initial
        or words.gaps[tok.i].endswith(", ")
        or (words.gaps[tok.i] == " " and words.key(tok.i - 1) in _CLAUSE_OPENERS)
    )


def _dated(words: Words, tok: Token) -> bool:
    """A month read as a month: not a given name, or used as a date."""
    return tok.key not in lexicon.MONTH_NAMES or is_dated(words, tok)


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


def _list_reason(chain: list[Token], kinds: list[str]) -> str:
    if "first" in kinds and "last" in kinds:
        return "Looks like a first name and surname"
    if "first" in kinds:
        return f"'{chain[kinds.index('first')].text}' is a first name in the name lists"
    return f"'{chain[kinds.index('last')].text}' is a surname in the name lists"


def _flag(flagged: dict[int, tuple[int, str]], k: int, rank: int, reason: str) -> None:
    if rank > flagged.get(k, (-1, ""))[0]:
        flagged[k] = (rank, reason)


def _beside_theorist(words: Words, i: int) -> bool:
    """In a list with a well-known theorist: 'Bowlby, Kaufman and Linehan'."""
    for step in (-1, 1):
        near = i + step
        gap = words.gaps[i] if step < 0 else words.gaps[near]
        if gap == ", " and words.key(near) in THEORISTS:
            return True
        if words.key(near) in ("and", "or") and words.key(near + step) in THEORISTS:
            return True
    return False


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
        if tok.key in MONTHS and _dated(words, tok):
            continue  # "May said ... In May she ..."
        _flag(flagged, k, LISTED, "Same word is flagged as a name elsewhere in this text")
    # "Omar and Keisha": a capitalised word joined to a name by 'and' is a name too.
    by_index = {t.i: k for k, t in enumerate(caps)}
    for k in sorted(flagged):
        i = caps[k].i
        for other, mid in ((i + 2, i + 1), (i - 2, i - 1)):
            m = by_index.get(other)
            if m is None or m in flagged or words.key(mid) not in ("and", "or"):
                continue
            if _kind_of(caps[m]) != "common" and caps[m].key not in THEORISTS:
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
