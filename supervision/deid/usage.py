"""How a capitalised word is used, for the name rules: what follows or frames it.

`usage()` answers with one word for the strongest sign that the run of capitalised words
`first..last` is a person: "possessive" ("Fatima's"), "brackets" ("(Jonah)"), "naming" ("Haddad
is her maiden name"), "apposition" ("Keisha, a designer"), "verb" ("Okafor said"), and so on.
Which signs count depends on the word (see names._counts): "Hope is" says nothing, "Ikaika is"
does, because "Ikaika" is no English word.
"""

from __future__ import annotations

import re

from . import lexicon
from .cues import (
    AUX_VERBS,
    EVENT_VERBS,
    IRREGULAR_PAST,
    MONTHS,
    NAME_VERBS,
    NUMBER_WORDS,
    OBJECT_VERBS,
    PERSON_NOUNS,
    PERSON_PAST,
    PERSON_STATES,
    PERSON_WORDS,
    word_set,
)
from .tokens import Token, Words

_ADVERBS = word_set(
    "then also later still never always often finally just suddenly again quickly quietly "
    "slowly immediately eventually recently sometimes usually rarely once abruptly"
)
_APPOSITION = word_set("a an who whose aged age my our his her")
_DETERMINERS = word_set("a an no two three four five six seven eight nine ten")
_AGE_APPOSITION = re.compile(r", \d{1,2},")
# "X is her maiden name", "X, he said, was what everyone called him": the sentence names X.
_NAMING = word_set(
    "surname surnames name names nickname nicknamed pseudonym alias called calls call named"
)
_NAMING_VERBS = word_set("called calls call named nicknamed")
_NAMED_PRONOUNS = word_set("him her them himself herself themselves me")
_NAMING_WINDOW = 10  # words after the run
_SENTENCE_END = re.compile(r"[.!?;:\n]")
_FINITE = word_set(
    "is was has had does did isn't wasn't hasn't hadn't doesn't didn't"
)  # fmt: skip
_RANKED = word_set("eldest youngest oldest middle only")  # "Will is the eldest of four"
_SIBLING_PRONOUNS = word_set("his her their my our")
_ASIDE = word_set("he she they who his her")
_ASIDES = word_set("though too however meanwhile instead also still")
# Before a month: a date, not a person ("in May", "since June", "May and June").
_DATE_BEFORE = word_set(
    "in on since until till by from through throughout last next this early late mid of every "
    "each during before after between to that whole end start beginning"
)


def usage(words: Words, first: Token, last: Token) -> str:
    """The strongest sign that the run first..last is used as a person, or ''."""
    j = last.i
    if last.possessive:
        return "possessive"
    after = words.gaps[j + 1]
    if words.gaps[first.i].endswith("(") and after.startswith(")"):
        return "brackets"
    if _named_after(words, j):
        return "naming"
    if not first.initial and words.gaps[first.i] == " " and words.key(first.i - 1) in OBJECT_VERBS:
        return "object"  # "I asked Kalinda what she needed"
    if j + 1 >= words.n:
        return ""
    nxt = words.key(j + 1)
    if after == ", ":
        end = _aside_end(words, j + 1)
        if end:  # "Chioma, though, seemed relieved", "Przybylski, he said, is one ...": skip it
            after, j = " ", end
            nxt = words.key(j + 1)
    if (after == ", " and nxt in _APPOSITION) or _AGE_APPOSITION.match(after):
        return "apposition"  # "Keisha, a designer", "Mary, 34,"
    if after == " (" and nxt in _ASIDE:
        return "aside"  # "Jan (he is Dutch) arrived"
    if after == " " and nxt in ("who", "whom", "whose"):
        return "relative"  # "It was Misaki who noticed": things take 'which'
    if after == " " and nxt in ("and", "or", "nor"):
        if words.key(j + 2) in ("i", "me", "my"):
            return "coordination"  # "Jane and I"
        if words.key(j + 2) in _SIBLING_PRONOUNS and words.key(j + 3) in PERSON_NOUNS:
            return "coordination"  # "Hope and her mother"
    if after != " " or words.is_cap(j + 1):
        return ""
    k = j + 1
    if (nxt in _ADVERBS or (nxt.endswith("ly") and len(nxt) > 4)) and words.gaps[k + 1] == " ":
        k += 1
    verb = words.key(k)
    if verb in ("came", "comes", "come") and words.key(k + 1) == "up":
        return ""  # "Brexit came up": a topic
    if verb in ("turned", "turns") and (
        words.key(k + 1).split("-")[0] in NUMBER_WORDS or words.gaps[k + 1].strip().isdigit()
    ):
        return "description"  # "Pearl turned eighty this spring", "Bo turns 7"
    if verb in ("arrived", "arrives") and words.key(k + 1) not in _ON_TIME:
        return "arrival"  # after a month: "April arrived with a wave of referrals"
    if verb in NAME_VERBS:
        if verb not in EVENT_VERBS:
            return "verb"  # "Hope lives ...", "Okafor said ..."
        return "owner" if _owned_object(words, k + 1, verb) else "event"
    if verb.endswith("ed") and len(verb) > 4:
        return "past"  # "Caroline slammed the door", but also "Joy filled the room"
    if verb in PERSON_PAST:
        return "personal"  # "Grant rang to cancel"
    if verb in IRREGULAR_PAST:
        return "irregular"  # "Tamsin spent the hour"
    if verb in AUX_VERBS:
        # "Hope is ..." alone says nothing; "Ana is a junior at ..." describes a person.
        if _describes_person(words, k + 1):
            return "description"
        if verb in _PERFECT and _person_participle(words, k + 1, verb in ("has", "had")):
            return "verb"  # "Jun has lived with her aunt", "June has been attending the group"
        if verb in _FINITE:
            return "finite"
        # "Sartre, he says, would call it bad faith": what an author would say, not a person
        return "" if j != last.i else "aux"
    if verb in _FINITE:
        return "finite"
    if _third_person(verb) and words.gaps[k + 1] == " " and words.key(k + 1) not in _AFTER_PLURALS:
        return "present"  # "Siosaia plays rugby", not "Demo accounts, listed" nor "Zoom calls are"
    return ""


# How writing cites an author rather than a person in the room: "Herman writes that",
# "Ogden's sensorimotor approach", "according to Fonagy".
_AUTHOR_VERBS = word_set(
    "writes argues suggests proposes posits notes observes contends theorises theorizes"
)
_AUTHOR_NAMING = word_set("calls terms defines coined")
_AUTHOR_WORKS = word_set(
    "concept concepts model models theory theories framework approach method writing writings "
    "paper papers stages phases notion notions formulation research studies findings technique "
    "techniques"
)

# After a surname alone, also these: a client is called by first name, an author by surname.
_SURNAME_WORKS = word_set("work frame window view views triangle writing")


def cited(words: Words, first: Token, last: Token, surname: bool = False) -> bool:
    """Is the run cited as an author (its ideas), not described as a person? `surname`: the
    run is one surname alone, as authors are cited ("Siegel's window", "Levine's work")."""
    j = last.i
    if last.possessive:
        works = _AUTHOR_WORKS | _SURNAME_WORKS if surname else _AUTHOR_WORKS
        nxt = words.key(j + 1)
        if nxt in works or (words.gaps[j + 2] == " " and words.key(j + 2) in works):
            return words.gaps[j + 1] == " "  # "Ogden's sensorimotor approach"
        return False
    if words.key(first.i - 1) == "to" and words.key(first.i - 2) == "according":
        return True
    if words.gaps[j + 1] != " ":
        return False
    verb, obj = words.key(j + 1), words.key(j + 2)
    return (verb in _AUTHOR_VERBS and obj == "that") or (
        verb in _AUTHOR_NAMING and obj in ("this", "it", "that")
    )


_NUMBER_AFTER = re.compile(r",? ?(\d+)")


# What follows a plural noun, not a verb: "Zoom calls are", "Covid rules meant".
_AFTER_PLURALS = word_set(
    "are were have had will would can could do did may might must should shall "
    "aren't weren't haven't don't didn't won't can't"
)
_ON_TIME = word_set("early late punctually on at for ten twenty half")
_SPEAKERS = word_set("he she they i")
_SPEECH = word_set(
    "said says told tells explained insists insisted admits admitted reminded reminds thinks"
)
_SPEAKER_OWNERS = word_set("my her his our their the")


def _aside_end(words: Words, k: int) -> int:
    """Last word of an aside starting at word k and closed by a comma ('though', 'he said',
    'she told me'), or 0."""
    if words.gaps[k + 1] == ", " and words.key(k) in _ASIDES:
        return k
    if words.key(k) in _SPEAKER_OWNERS and words.gaps[k + 1] == " ":
        k += 1  # "my supervisor reminded me"
    elif words.key(k) not in _SPEAKERS:
        return 0
    if words.gaps[k + 1] == " " and words.key(k + 1) in _SPEECH:
        if words.gaps[k + 2] == ", ":
            return k + 1
        if words.key(k + 2) in ("me", "us") and words.gaps[k + 3] == ", ":
            return k + 2
    return 0


def is_dated(words: Words, tok: Token) -> bool:
    """A month used as a date: 'May 3', 'in June', 'May and June', 'Jun.'."""
    i = tok.i
    after = words.gaps[i + 1] if i + 1 <= words.n else ""
    if after[:1] in (".", "-", "/"):
        return True
    number = _NUMBER_AFTER.match(after)
    if number:  # "May 3", "June 2024", "Jun, 29": a day or a year; not "May, 61," (an age)
        value = number.group(1)
        return len(value) == 4 or 0 < int(value) <= 31
    if words.key(i + 1) == "the" and any(c.isdigit() for c in words.gaps[i + 2]):
        return True  # "May the 4th"
    prev = words.key(i - 1)
    if prev in _DATE_BEFORE and words.gaps[i] == " ":
        return True
    if prev in ("and", "or", "to") and words.key(i - 2) in MONTHS:
        return True
    return words.key(i + 1) in ("and", "or", "to") and words.key(i + 2) in MONTHS


def _named_after(words: Words, j: int) -> bool:
    """'Haddad is her maiden name', 'Okonkwo, she said, is the surname she uses'."""
    after = words.gaps[j + 1] if j + 1 <= words.n else ""
    if after != ", " and not (after == " " and words.key(j + 1) in ("is", "was")):
        return False
    for k in range(j + 1, min(j + 1 + _NAMING_WINDOW, words.n)):
        if k > j + 1 and _SENTENCE_END.search(words.gaps[k]):
            return False
        key = words.key(k)
        if key in _NAMING_VERBS:
            # "what everyone called him", not "Sartre would call his excuses bad faith"
            if words.key(k + 1) in _NAMED_PRONOUNS:
                return True
        elif (
            key in _NAMING
            and words.key(k - 1) not in ("to", "would", "could", "might")
            and words.key(k + 1) != "of"  # "the name of the game"
        ):
            return True
    return False


def _describes_person(words: Words, k: int) -> bool:
    """After 'X is' / 'X has': 'a 34-year-old designer', 'a junior at', 'two kids', '34',
    'seventeen', 'been sober', 'fifteen minutes late'."""
    if words.gaps[k].strip().isdigit():
        return True  # "Mary is 34"
    if words.key(k).split("-")[0] in NUMBER_WORDS and (
        words.gaps[k + 1][:1] in (",", ".", ";")
        or (words.gaps[k + 1] == " " and words.key(k + 1) in ("and", "but", "now", "years"))
    ):
        return True  # "Bo is seven and draws", "Iolanthe is forty."
    for m in range(k, min(k + 4, words.n)):
        if m > k and words.gaps[m] != " ":
            break
        if words.key(m) in PERSON_STATES:
            return True  # "has been sober", "was fifteen minutes late"
    if words.key(k) == "the" and words.key(k + 1) in _RANKED and not words.gaps[k + 1].strip():
        return words.key(k + 2) in ("of", "child", "daughter", "son", "sibling", "one")
    if words.key(k) not in _DETERMINERS and not words.gaps[k].strip():
        return False
    return any(words.key(m) in PERSON_WORDS or words.key(m) == "year-old" for m in range(k, k + 4))


_PERFECT = word_set("is was has had")
_SKIP_BEFORE_PARTICIPLE = word_set("been not never always also just still often")
_NOT_OWNED = word_set(
    "a an the some no back up down out in on to off over away nothing everything little more only"
)


def _person_participle(words: Words, k: int, perfect: bool) -> bool:
    """After 'has'/'was': a verb only a person does, as a participle ('has lived', 'was
    attending'); after 'is'/'was' only the -ing form ('June was described' is a passive)."""
    for _ in range(2):
        if words.key(k) in _SKIP_BEFORE_PARTICIPLE and words.gaps[k + 1] == " ":
            k += 1
    if words.gaps[k] != " ":
        return False
    verb = words.key(k)
    if verb.endswith("ing") and len(verb) > 5:
        stem = verb[:-3]  # "attending" -> attends, "living" -> lives, "sitting" -> sits
        if stem[-1] == stem[-2]:
            stem = stem[:-1]
        forms = {stem + "s", stem + "es", stem + "ed", stem[:-1] + "ies"}
        return any(f in NAME_VERBS and f not in EVENT_VERBS for f in forms)
    return perfect and verb in NAME_VERBS and verb not in EVENT_VERBS


def _owned_object(words: Words, k: int, verb: str) -> bool:
    """'lost his job', 'brought her knitting': a verb whose object a person owns."""
    if words.gaps[k] != " ":
        return False
    owner = words.key(k)
    if owner in ("his", "their"):
        return True
    following = words.key(k + 1)
    return (
        owner == "her"
        and words.gaps[k + 1] == " "
        and following not in _NOT_OWNED
        # "kept her going", "left her crying": not her thing but what she does
        and not (following.endswith("ing") and verb in ("kept", "keeps", "left", "leaves"))
    )


def _third_person(verb: str) -> bool:
    """'plays', 'drinks', 'carries': an -s form of a dictionary word (a verb, or a plural)."""
    if len(verb) < 4 or not verb.endswith("s") or verb.endswith(("ss", "us", "is")):
        return False
    if verb.endswith("ies"):
        return lexicon.is_common(verb[:-3] + "y")
    return lexicon.is_common(verb[:-1]) or (verb.endswith("es") and lexicon.is_common(verb[:-2]))


def reason(tok: Token, use: str, words: Words, j: int) -> str:
    """Why the word is flagged, for the author."""
    if use == "possessive":
        return f"Capitalised possessive '{tok.text}'s' looks like a person's name"
    if use == "brackets":
        return "Capitalised word alone in brackets looks like a person's name"
    if use == "naming":
        return "Capitalised word that the sentence calls a name or surname"
    if use == "apposition":
        return "Capitalised word introduced like a person ('X, a ...') looks like a name"
    if use == "aside":
        return "Capitalised word followed by an aside about a person looks like a name"
    if use == "relative":
        return "Capitalised word followed by 'who' looks like a person's name"
    if use == "object":
        return "Capitalised word after a verb like 'asked' or 'told' looks like a person's name"
    if use == "coordination":
        return "Capitalised word paired with a person ('X and I') looks like a person's name"
    if use == "description":
        return "Capitalised word described as a person ('X is a ...') looks like a name"
    verb = next((w for w in words.words[j + 1 : j + 3] if w.lower() not in _ADVERBS), "")
    verb = verb or words.words[j + 1]
    return f"Capitalised word before '{verb}' looks like a person's name"
