"""Properties of carrying an anchor forward, over generated texts and edits (Hypothesis).

Texts mix plain words with accents, emoji (ZWJ sequences and flags too), combining marks, CJK
and line breaks, because offsets count code points and an edit may split a cluster. The
profile (``tests/conftest.py``) derandomizes the search, so a run is the same run everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from supervision.annotations.anchoring import (
    AnchorStatus,
    Reanchored,
    carry_forward,
    carry_forward_across,
    make_selector,
)

# 200 examples each (a few seconds); more when a profile asks for more (HYPOTHESIS_PROFILE=explore).
PROPERTY = settings(
    max_examples=max(200, settings.default.max_examples),
    suppress_health_check=[HealthCheck.too_slow],
)

# Plain words, accents (composed), CJK, emoji (a ZWJ family, a flag, a skin tone, a variation
# selector), combining marks after a base letter, and punctuation.
WORDS = [
    *["she", "said", "it", "did", "not", "matter", "the", "session", "felt", "long", "window"],
    *["café", "naïve", "façade", "Zoë", "Ærøskøbing", "São", "Müller", "garçon"],
    *["日本", "漢字", "心理", "治療", "面談"],
    *["😀", "👩\u200d👩\u200d👧", "🇫🇷", "👍🏽", "❤\ufe0f"],
    *["e\u0301", "a\u0308ber", "n\u0303o"],
    *["I'm", "—", "…", "“quoted”"],
]
# Words no other text uses, for a passage that must be told apart from its surroundings.
DISTINCT = ["boiler", "Ödön", "会议", "🌊", "Ingrið", "x\u0323y", "🧑🏿\u200d🦱", "naïveté", "散歩"]
# Words typed into a passage, found nowhere else (typed into "she she", "she" is ambiguous).
TYPED = ["quietly", "très", "とても", "🙂", "a\u0301gain", "👨\u200d⚕\ufe0f"]
SEPARATORS = [" ", " ", " ", ", ", ". ", "\n", "\n\n", "\r\n", "\t", "  "]

word = st.sampled_from(WORDS)
separator = st.sampled_from(SEPARATORS)


@st.composite
def prose(draw: st.DrawFn, min_words: int = 0, max_words: int = 40) -> str:
    words = draw(st.lists(word, min_size=min_words, max_size=max_words))
    return "".join(w + draw(separator) for w in words)


@st.composite
def fragment(draw: st.DrawFn) -> str:
    """A short run of text to insert: words, or characters of any kind (a lone accent, half an
    emoji sequence, a line break)."""
    return draw(
        st.one_of(
            prose(min_words=1, max_words=5),
            st.text(
                alphabet=st.sampled_from(list("aé\u0301\u200d😀漢\n\r ,.")), min_size=1, max_size=4
            ),
        )
    )


@dataclass(frozen=True)
class Edit:
    kind: str  # insert, delete, replace, move
    at: float  # where, as a fraction of the part edited
    size: float  # how much, as a fraction of what is left after ``at``
    to: float  # where a moved piece goes
    text: str  # what is inserted or put instead


edits = st.lists(
    st.builds(
        Edit,
        kind=st.sampled_from(["insert", "delete", "replace", "move"]),
        at=st.floats(0, 1),
        size=st.floats(0, 1),
        to=st.floats(0, 1),
        text=fragment(),
    ),
    min_size=1,
    max_size=4,
)


def apply(edit: Edit, text: str) -> str:
    at = round(edit.at * len(text))
    end = at + round(edit.size * (len(text) - at))
    if edit.kind == "insert":
        return text[:at] + edit.text + text[at:]
    if edit.kind == "delete":
        return text[:at] + text[end:]
    if edit.kind == "replace":
        return text[:at] + edit.text + text[end:]
    piece, rest = text[at:end], text[:at] + text[end:]
    to = round(edit.to * len(rest))
    return rest[:to] + piece + rest[to:]


def apply_all(changes: list[Edit], text: str) -> str:
    for change in changes:
        text = apply(change, text)
    return text


def assert_consistent(result: Reanchored, new: str) -> None:
    """What every outcome promises: the stored quote is the new text at the stored offsets."""
    if result.status is AnchorStatus.ORPHANED:
        assert result == Reanchored(None, AnchorStatus.ORPHANED, 0.0)
        return
    got = result.selector
    assert got is not None
    assert 0 <= got.start < got.end <= len(new)
    assert new[got.start : got.end] == got.exact
    assert got == make_selector(new, got.start, got.end)  # context taken from the new text
    assert 0.0 < result.score <= 1.0


@PROPERTY
@given(
    before=prose(),
    passage=prose(min_words=1, max_words=8).map(str.strip).filter(bool),
    after=prose(),
    changes=edits,
    where=st.sampled_from(["whole", "before", "inside", "after"]),
)
def test_any_edit_leaves_the_quote_at_its_offsets(before, passage, after, changes, where):
    old = before + passage + after
    sel = make_selector(old, len(before), len(before) + len(passage))
    if where == "whole":  # edits anywhere, the passage and its surroundings alike
        new = apply_all(changes, old)
    elif where == "inside":
        new = before + apply_all(changes, passage) + after
    elif where == "before":
        new = apply_all(changes, before) + passage + after
    else:
        new = before + passage + apply_all(changes, after)
    assert_consistent(carry_forward(old, new, sel), new)


@PROPERTY
@given(
    before=prose(),
    passage=prose(min_words=1, max_words=8).map(str.strip).filter(bool),
    after=prose(),
    edits_before=st.just([]) | edits,
    edits_after=st.just([]) | edits,
)
def test_a_passage_edited_only_around_it_is_carried_with_its_quote(
    before, passage, after, edits_before, edits_after
):
    old = before + passage + after
    new_before, new_after = apply_all(edits_before, before), apply_all(edits_after, after)
    new = new_before + passage + new_after
    assume(old.count(passage) == 1 and new.count(passage) == 1)  # still unique
    sel = make_selector(old, len(before), len(before) + len(passage))
    result = carry_forward(old, new, sel)
    # Carried forward with its words. Where the edits also took away what was right beside it,
    # a minimal diff of repetitive text ("she she she said she") may see the passage itself as
    # what moved: "moved" is the same text found again, and no one is asked to look again.
    beside_kept = new_before.endswith(before[-8:]) and new_after.startswith(after[:8])
    if beside_kept:
        assert result.status is AnchorStatus.CARRIED, result
    else:
        assert result.status in (AnchorStatus.CARRIED, AnchorStatus.MOVED), result
    assert result.selector is not None
    assert result.selector.exact == passage
    assert result.selector.start == len(new_before)
    assert_consistent(result, new)


@PROPERTY
@given(
    paragraphs=st.lists(prose(min_words=3, max_words=12), min_size=2, max_size=5),
    passage=st.lists(st.sampled_from(DISTINCT), min_size=4, max_size=8, unique=True).map(" ".join),
    inserted=st.lists(st.sampled_from(TYPED), min_size=1, max_size=3).map(" ".join),
    at=st.floats(0, 1),
    to=st.integers(0, 5),
)
def test_a_moved_passage_edited_inside_is_found_with_exactly_its_new_words(
    paragraphs, passage, inserted, at, to
):
    # The report: a paragraph moved and given a word inside the passage came back a character
    # short. Words go in between two words of the passage, so its first and last stay.
    gaps = [i + 1 for i, c in enumerate(passage) if c == " "]
    cut = gaps[round(at * (len(gaps) - 1))]
    edited = passage[:cut] + inserted + " " + passage[cut:]
    old = "\n\n".join([passage, *paragraphs])
    moved = [*paragraphs]
    moved.insert(1 + to % len(paragraphs), edited)
    new = "\n\n".join(moved)
    assume(old.count(passage) == 1 and new.count(edited) == 1)
    result = carry_forward(old, new, make_selector(old, 0, len(passage)))
    assert_consistent(result, new)
    if result.status is AnchorStatus.CHANGED:
        assert result.selector is not None
        assert result.selector.exact == edited


@PROPERTY
@given(
    sections=st.lists(prose(min_words=1, max_words=15), min_size=2, max_size=5),
    passage=prose(min_words=2, max_words=8).map(str.strip).filter(bool),
    into=st.integers(0, 4),
    changes=edits,
)
def test_across_sections_the_quote_is_at_its_offsets_in_the_named_section(
    sections, passage, into, changes
):
    keys = [f"s{i}" for i in range(len(sections))]
    old = dict(zip(keys, sections, strict=True))
    old["s0"] = passage + " " + old["s0"]
    new = {key: apply_all(changes, text) for key, text in old.items()}
    new["s0"] = new["s0"].replace(passage, "")
    target = keys[into % len(keys)]
    new[target] = new[target] + passage  # moved to another section, or back to its own
    key, result = carry_forward_across(old, new, "s0", make_selector(old["s0"], 0, len(passage)))
    if key is None:
        assert result.status is AnchorStatus.ORPHANED
    assert_consistent(result, new[key] if key else "")
