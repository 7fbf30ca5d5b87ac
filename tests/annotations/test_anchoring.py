"""Carrying annotation anchors from one revision of a section's text to the next."""

from __future__ import annotations

import random

import pytest

from supervision.annotations.anchoring import (
    AnchorStatus,
    Reanchored,
    Selector,
    carry_forward,
    carry_forward_across,
    find_passage,
    make_selector,
    through_replacement,
)

CARRIED, MOVED, CHANGED, ORPHANED = (
    AnchorStatus.CARRIED,
    AnchorStatus.MOVED,
    AnchorStatus.CHANGED,
    AnchorStatus.ORPHANED,
)

P1 = "R. was describing her new manager reading her report in front of her without a word."
P2 = "When I asked how that felt, she shrugged and said I don't know, and looked at the window."
P3 = "Later, about her father, she said I don't know again, more quietly, and her hands went still."
P4 = "At the end I asked what she wanted from our work. I don't know, she said, and laughed."
P5 = 'She paused, said "Maybe," and then: "Anyway. The other thing this week was the boiler."'
MOMENT = "\n\n".join([P1, P2, P3, P4, P5])
KNOW = "I don't know"


def select(text: str, phrase: str, occurrence: int = 1) -> Selector:
    """The selector of the n-th (1-based) occurrence of ``phrase`` in ``text``."""
    at = -1
    for _ in range(occurrence):
        at = text.index(phrase, at + 1)
    return make_selector(text, at, at + len(phrase))


def nth(text: str, phrase: str, occurrence: int) -> int:
    return select(text, phrase, occurrence).start


def assert_on(result: Reanchored, text: str, status: AnchorStatus) -> Selector:
    assert result.status is status, result
    assert result.selector is not None
    sel = result.selector
    assert text[sel.start : sel.end] == sel.exact
    assert sel == make_selector(text, sel.start, sel.end)  # context refreshed from the new text
    assert 0.0 < result.score <= 1.0
    return sel


# --- selectors -------------------------------------------------------------------------------


def test_make_selector_takes_up_to_32_characters_of_context():
    sel = select(MOMENT, "her hands went still")
    assert sel.exact == "her hands went still"
    assert sel.prefix == MOMENT[sel.start - 32 : sel.start] and len(sel.prefix) == 32
    assert sel.suffix == MOMENT[sel.end : sel.end + 32] and len(sel.suffix) == 32

    edge = make_selector("Hello there, world", 0, 5)
    assert (edge.prefix, edge.exact, edge.suffix) == ("", "Hello", " there, world")
    assert make_selector("abcdef", 2, 4, context=1) == Selector(2, 4, "cd", "b", "e")


@pytest.mark.parametrize(("start", "end"), [(3, 3), (4, 2), (-1, 2), (0, 7), (7, 8)])
def test_make_selector_rejects_an_empty_or_out_of_range_span(start, end):
    with pytest.raises(ValueError):
        make_selector("abcdef", start, end)


def test_a_selector_with_an_empty_quote_is_refused():
    with pytest.raises(ValueError):
        carry_forward("abc", "abc", Selector(1, 1, "", "a", "bc"))


# --- the same section --------------------------------------------------------------------------


def test_unchanged_text_keeps_the_selector():
    sel = select(MOMENT, "looked at the window")
    assert carry_forward(MOMENT, MOMENT, sel) == Reanchored(sel, CARRIED, 1.0)


def test_insertion_before_the_passage_shifts_it():
    sel = select(MOMENT, "looked at the window")
    added = "It was our fourth session. "
    new = added + MOMENT
    result = carry_forward(MOMENT, new, sel)
    moved = assert_on(result, new, CARRIED)
    assert (moved.start, moved.end) == (sel.start + len(added), sel.end + len(added))
    assert moved.exact == sel.exact and result.score == 1.0


def test_insertion_after_the_passage_keeps_its_offsets():
    sel = select(MOMENT, "looked at the window")
    new = MOMENT.replace("boiler.", "boiler, which had broken again.")
    moved = assert_on(carry_forward(MOMENT, new, sel), new, CARRIED)
    assert (moved.start, moved.end, moved.exact) == (sel.start, sel.end, sel.exact)
    assert moved.suffix == sel.suffix  # the edit is more than 32 characters away


def test_text_inserted_right_at_either_end_stays_outside_the_passage():
    sel = select(MOMENT, "looked at the window")
    new = MOMENT.replace("looked at the window", "then looked at the window for a while")
    moved = assert_on(carry_forward(MOMENT, new, sel), new, CARRIED)
    assert moved.exact == "looked at the window"
    assert moved.start == new.index("looked at the window")


def test_deleting_text_before_the_passage_shifts_it_back():
    sel = select(MOMENT, "her hands went still")
    new = MOMENT.replace(P1 + "\n\n", "").replace(", more quietly", "")
    moved = assert_on(carry_forward(MOMENT, new, sel), new, CARRIED)
    assert moved.start == new.index("her hands went still")
    assert moved.start < sel.start and moved.exact == sel.exact


def test_an_edit_inside_the_passage_changes_it():
    sel = select(MOMENT, "her new manager reading her report in front of her without a word")
    new = MOMENT.replace("reading her report", "reading her quarterly report")
    result = carry_forward(MOMENT, new, sel)
    changed = assert_on(result, new, CHANGED)
    assert (
        changed.exact
        == "her new manager reading her quarterly report in front of her without a word"
    )
    assert 0.8 < result.score < 1.0


def test_a_replaced_first_word_is_taken_into_the_passage():
    sel = select(MOMENT, "her hands went still")
    new = MOMENT.replace("her hands went still", "his hands went still")
    changed = assert_on(carry_forward(MOMENT, new, sel), new, CHANGED)
    assert changed.exact == "his hands went still"


def test_deleting_the_passage_orphans_it():
    sel = select(MOMENT, "reading her report in front of her")
    new = MOMENT.replace(P1 + "\n\n", "")
    assert carry_forward(MOMENT, new, sel) == Reanchored(None, ORPHANED, 0.0)


def test_a_passage_replaced_by_unrelated_text_is_orphaned():
    sel = select(MOMENT, "The other thing this week was the boiler.")
    new = MOMENT.replace("The other thing this week was the boiler.", "Can we stop early today?")
    assert carry_forward(MOMENT, new, sel).status is ORPHANED


def test_an_empty_new_text_orphans_everything():
    assert carry_forward(MOMENT, "", select(MOMENT, KNOW, 2)) == Reanchored(None, ORPHANED, 0.0)


def test_whitespace_changes_around_the_passage_carry_it():
    sel = select(MOMENT, "looked at the window")
    new = MOMENT.replace("\n\n", "\n\n\n").replace("she shrugged and", "she  shrugged\nand")
    moved = assert_on(carry_forward(MOMENT, new, sel), new, CARRIED)
    assert moved.exact == sel.exact and moved.start == new.index(sel.exact)


def test_whitespace_changes_inside_the_passage_change_it_but_score_as_the_same_words():
    sel = select(MOMENT, "she shrugged and said I don't know, and looked at the window")
    new = MOMENT.replace("and said I don't know, and", "and said\nI don't  know, and")
    result = carry_forward(MOMENT, new, sel)
    changed = assert_on(result, new, CHANGED)  # the quote is compared literally
    assert changed.exact == "she shrugged and said\nI don't  know, and looked at the window"
    assert result.score == 1.0  # but scored with whitespace collapsed


# --- a phrase that occurs three times ---------------------------------------------------------


def test_a_repeated_phrase_stays_on_its_own_occurrence_after_an_insertion_before_the_first():
    sel = select(MOMENT, KNOW, 2)
    new = MOMENT.replace("When I asked", "When I asked, gently,")
    moved = assert_on(carry_forward(MOMENT, new, sel), new, CARRIED)
    assert moved.start == nth(new, KNOW, 2) != sel.start


def test_a_repeated_phrase_survives_a_rewording_of_its_sentence():
    sel = select(MOMENT, KNOW, 2)
    new = MOMENT.replace(
        "Later, about her father, she said", "Later, when her father came up, she said"
    )
    new = new.replace("again, more quietly", "again, much more quietly")
    moved = assert_on(carry_forward(MOMENT, new, sel), new, CARRIED)
    assert moved.start == nth(new, KNOW, 2)


def test_a_repeated_phrase_follows_its_paragraph_by_context_when_moved():
    sel = select(MOMENT, KNOW, 2)  # in P3
    new = "\n\n".join([P1, P2, P4, P5, P3])
    moved = assert_on(carry_forward(MOMENT, new, sel), new, MOVED)
    assert moved.start == nth(new, KNOW, 3)  # now the last one, in P3 at the end


def test_a_repeated_phrase_is_not_reattached_to_another_copy_when_its_sentence_is_gone():
    sel = select(MOMENT, KNOW, 2)
    new = MOMENT.replace(P3 + "\n\n", "")
    assert new.count(KNOW) == 2
    assert carry_forward(MOMENT, new, sel).status is ORPHANED


def test_a_repeated_phrase_edited_in_place_is_changed_not_moved_to_another_copy():
    sel = select(MOMENT, KNOW, 2)
    new = MOMENT.replace("she said I don't know again", "she said I really don't know again")
    changed = assert_on(carry_forward(MOMENT, new, sel), new, CHANGED)
    assert changed.exact == "I really don't know"
    assert changed.start == new.index("I really don't know")


def test_stale_offsets_fall_back_to_the_quote_and_its_context():
    good = select(MOMENT, KNOW, 2)
    stale = Selector(good.start + 7, good.end + 7, good.exact, good.prefix, good.suffix)
    moved = assert_on(carry_forward(MOMENT, MOMENT, stale), MOMENT, CARRIED)
    assert moved.start == good.start


# --- moves -------------------------------------------------------------------------------------


def test_a_paragraph_moved_within_the_section_is_moved():
    sel = select(MOMENT, "reading her report in front of her without a word")
    new = "\n\n".join([P2, P3, P4, P5, P1])
    result = carry_forward(MOMENT, new, sel)
    moved = assert_on(result, new, MOVED)
    assert moved.exact == sel.exact and moved.start == new.index(sel.exact)
    assert result.score > 0.7  # its suffix was the next paragraph


def test_a_paragraph_moved_nearby_and_edited_is_found_by_fuzzy_search():
    sel = select(MOMENT, "her new manager reading her report in front of her without a word")
    edited = P1.replace("reading her report", "reading her quarterly report")
    new = "\n\n".join([P2, P3, P4, P5, edited])
    changed = assert_on(carry_forward(MOMENT, new, sel), new, CHANGED)
    assert (
        changed.exact
        == "her new manager reading her quarterly report in front of her without a word"
    )


SECTIONS = {
    "context": "Integrative counselling in a community service. Weekly sessions, open-ended.",
    "client": "R. is a woman in her late thirties who came because of sleeplessness at work.",
    "moment": MOMENT,
    "reactions": "I felt a small glow of having been right, and then a sinking feeling.",
    "question": "How do I bring her father back in without taking it from her?",
}


def test_a_passage_moved_to_another_section_is_moved_with_its_new_key():
    sel = select(MOMENT, 'She paused, said "Maybe," and then')
    new = dict(SECTIONS, moment="\n\n".join([P1, P2, P3, P4]))
    new["reactions"] = P5 + "\n\n" + SECTIONS["reactions"]
    key, result = carry_forward_across(SECTIONS, new, "moment", sel)
    assert key == "reactions"
    moved = assert_on(result, new["reactions"], MOVED)
    assert moved.start == 0 and moved.exact == sel.exact


def test_across_sections_the_own_section_comes_first():
    sel = select(MOMENT, KNOW, 2)
    new = dict(SECTIONS, moment="Session nine.\n\n" + MOMENT, reactions=P3)
    key, result = carry_forward_across(SECTIONS, new, "moment", sel)
    assert key == "moment"
    assert assert_on(result, new["moment"], CARRIED).start == nth(new["moment"], KNOW, 2)


def test_across_sections_a_passage_gone_everywhere_is_orphaned():
    sel = select(MOMENT, "her hands went still")
    new = dict(SECTIONS, moment=MOMENT.replace(P3, "She changed the subject."))
    assert carry_forward_across(SECTIONS, new, "moment", sel) == (
        None,
        Reanchored(None, ORPHANED, 0.0),
    )


def test_across_sections_a_section_missing_from_either_revision_is_empty():
    sel = select(SECTIONS["question"], "bring her father back in")
    new = {k: v for k, v in SECTIONS.items() if k != "question"}
    new["reactions"] = SECTIONS["reactions"] + " " + SECTIONS["question"]
    key, result = carry_forward_across(SECTIONS, new, "question", sel)
    assert key == "reactions" and result.status is MOVED
    key, result = carry_forward_across({}, SECTIONS, "question", sel)
    assert key == "question" and result.status is CARRIED


# --- long texts and random edits -------------------------------------------------------------

VOCABULARY = (
    "the client said she felt anxious about work and her mother when asked about sleep she "
    "paused then described a recurring dream therapist noticed avoidance session silence "
    "laughed tearful angry relief maybe never always father manager"
)
WORDS = VOCABULARY.split()


def prose(rng: random.Random, length: int) -> str:
    paragraphs: list[str] = []
    size = 0
    while size < length:
        sentence_count = rng.randint(2, 6)
        sentences = [
            " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 18))).capitalize() + "."
            for _ in range(sentence_count)
        ]
        paragraphs.append(" ".join(sentences))
        size += len(paragraphs[-1]) + 2
    return "\n\n".join(paragraphs)[:length]


def random_edit(
    rng: random.Random, text: str, passages: list[tuple[int, int]]
) -> tuple[str, int, int]:
    """Insert, delete or replace a few words somewhere that leaves every passage (start, end)
    intact. Returns the new text, where the edit was and how much longer the text got."""
    while True:
        at = rng.randrange(len(text) + 1)
        cut = rng.choice([0, 0, rng.randint(1, 12), rng.randint(1, 80)])
        if at + cut > len(text) or any(
            (at < end and start < at + cut) or (not cut and start < at < end)
            for start, end in passages
        ):
            continue  # it would touch a passage
        added = " ".join(rng.choice(WORDS) for _ in range(rng.randint(0 if cut else 1, 4)))
        if rng.random() < 0.3:
            added += rng.choice([". ", ", ", "\n\n", " "])
        return text[:at] + added + text[at + cut :], at, len(added) - cut


def shifted(start: int, at: int, delta: int) -> int:
    """Where a passage starting at ``start`` is after an edit at ``at`` that did not touch it
    (an insertion right at its start goes before it)."""
    return start + delta if at < start or (at == start and delta > 0) else start


def test_a_20000_character_text_with_many_edits_carries_every_annotation():
    rng = random.Random(20_000)
    old = prose(rng, 20_000)
    # Five passages, each made unique by a word that no edit can produce.
    for i, at in enumerate([19_000, 15_500, 11_000, 7_500, 3_000]):
        old = old[:at] + f" Marker{i} weather reading " + old[at:]
    assert 20_000 < len(old) < 20_200
    selectors = [select(old, f"Marker{i} weather reading") for i in range(5)]

    new, starts = old, [s.start for s in selectors]
    for _ in range(300):
        spans = [(start, start + len(s.exact)) for start, s in zip(starts, selectors, strict=True)]
        new, at, delta = random_edit(rng, new, spans)
        starts = [shifted(start, at, delta) for start in starts]

    for sel, start in zip(selectors, starts, strict=True):
        moved = assert_on(carry_forward(old, new, sel), new, CARRIED)
        assert moved.start == start


def test_random_edits_that_leave_the_passage_alone_always_carry_it():
    rng = random.Random(1234)
    base = prose(rng, 1_500)
    middle = base.index(" ", 700)
    old = base[:middle] + " the weather reading again " + base[middle:]
    sel = select(old, "weather reading again")
    for trial in range(200):
        new, start = old, sel.start
        for _ in range(rng.randint(1, 5)):
            new, at, delta = random_edit(rng, new, [(start, start + len(sel.exact))])
            start = shifted(start, at, delta)
        result = carry_forward(old, new, sel)
        assert result.status is CARRIED, (trial, result)
        assert result.selector is not None
        got = result.selector
        assert new[got.start : got.end] == sel.exact, trial
        assert got.start == start, trial


def test_any_edit_gives_a_consistent_result():
    rng = random.Random(99)
    old = prose(rng, 1_200)
    for trial in range(200):
        start = rng.randrange(len(old) - 60)
        sel = make_selector(old, start, start + rng.randint(1, 60))
        new = old
        for _ in range(rng.randint(1, 4)):  # anywhere, the passage included
            new, _, _ = random_edit(rng, new, [])
        result = carry_forward(old, new, sel)
        if result.status is ORPHANED:
            assert result == Reanchored(None, ORPHANED, 0.0), trial
        else:
            assert_on(result, new, result.status)


# -- through a redaction: exact mapping ---------------------------------------------------------

TEXT = "one two three four two five"


@pytest.mark.parametrize(
    ("quote_at", "passage", "expected"),
    [
        pytest.param((8, 13), "two", "three", id="between-occurrences-shifts"),
        pytest.param((0, 7), "two", "one [x]", id="end-inside-widens-to-replacement"),
        pytest.param((5, 13), "two three", "[x]", id="covered-quote-becomes-replacement"),
        pytest.param((4, 27), "two", "[x] three four [x] five", id="spans-both"),
        pytest.param((0, 3), "five", "one", id="before-any-occurrence"),
        pytest.param((8, 18), "o t", "[x]hree four", id="start-inside-moves-to-start"),
    ],
)
def test_through_replacement_maps_the_quote_exactly(quote_at, passage, expected):
    start, end = quote_at
    moved = through_replacement(TEXT, passage, "[x]", make_selector(TEXT, start, end))
    new_text = TEXT.replace(passage, "[x]")
    assert moved.exact == expected
    assert new_text[moved.start : moved.end] == expected
    assert moved.prefix == new_text[max(0, moved.start - 32) : moved.start]


def test_through_replacement_refuses_an_empty_passage():
    with pytest.raises(ValueError, match="passage"):
        through_replacement(TEXT, "", "[x]", make_selector(TEXT, 0, 3))


def test_find_passage_exactly_then_across_whitespace():
    text = "She said I don't know.\nLater she said\n  I don't know again."
    assert find_passage(text, "I don't know") == [(9, 21), (40, 52)]
    assert find_passage(text, "  said I don't know. ") == [(4, 22)]  # ends trimmed
    assert find_passage(text, "she said I don't") == [(29, 47)]  # a line break typed as a space
    assert find_passage(text, "she sang") == []
    assert find_passage(text, "   ") == []
    assert find_passage("a.b", "a.b") == [(0, 3)] and find_passage("axb", "a.b") == []


# --- moved and edited: the exact new extent ----------------------------------------------------

MATTER = "When I asked how that felt, she shrugged and said it did not matter."


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        pytest.param(
            "said it", "said that it", "she shrugged and said that it did not matter", id="report"
        ),
        pytest.param(
            "not matter",
            "not really matter",
            "she shrugged and said it did not really matter",
            id="near-the-end",
        ),
        pytest.param(
            "shrugged and said",
            "shrugged, said",
            "she shrugged, said it did not matter",
            id="shorter",
        ),
    ],
)
@pytest.mark.parametrize("to", ["the-end", "the-middle"])
def test_a_passage_moved_and_edited_keeps_its_exact_new_words(before, after, expected, to):
    # Outside testing: a paragraph moved down its section, with a word added inside the
    # passage, came back one character short ("...did not matte").
    old = "\n\n".join([P1, MATTER, P3, P4])
    sel = select(old, "she shrugged and said it did not matter")
    edited = MATTER.replace(before, after)
    new = "\n\n".join([P1, P3, P4, edited] if to == "the-end" else [P1, P3, edited, P4])
    changed = assert_on(carry_forward(old, new, sel), new, CHANGED)
    assert changed.exact == expected


# --- found by the property tests (test_anchoring_properties.py) -------------------------------


@pytest.mark.parametrize(
    ("old", "new"),
    [
        pytest.param("she saidit ", "she ashe asaidshe it ", id="typed-against-both-ends"),
        pytest.param("she saidshe ", "she shshe e said", id="surroundings-rewritten"),
        pytest.param("she saidit ", "ashe asaidshe she it ", id="diff-deletes-it"),
    ],
)
def test_an_unchanged_passage_is_carried_however_its_surroundings_were_edited(old, new):
    sel = make_selector(old, 4, 8)  # "said", the only copy in either text
    carried = assert_on(carry_forward(old, new, sel), new, CARRIED)
    assert (carried.start, carried.exact) == (new.index("said"), "said")


def test_text_typed_after_a_passage_that_repeats_its_end_stays_outside_it():
    old = "she said it again and again 😀she "
    sel = make_selector(old, 0, old.index("she ", 1))  # up to and with the emoji
    new = old.replace("😀", "😀 😀")  # the diff may put the new emoji first, inside the passage
    carried = assert_on(carry_forward(old, new, sel), new, CARRIED)
    assert (carried.start, carried.exact) == (0, sel.exact)


REPEATED = ["she she she ", "she she she "]


@pytest.mark.parametrize(
    ("passage", "edited", "to"),
    [
        pytest.param(
            "boiler Ödön 会议 🌊 Ingrið", "boiler Ödön 会议 🌊 she Ingrið", 1, id="word-seen-around"
        ),
        pytest.param(
            "boiler Ödön x\u0323y 会议", "boiler Ödön x\u0323y she 会议", 2, id="to-the-end"
        ),
        pytest.param(
            "boiler Ödön 会议 🌊 Ingrið x\u0323y 🧑🏿\u200d🦱 naïveté",
            "boiler Ödön 会议 🌊 Ingrið x\u0323y 🧑🏿\u200d🦱 quietly naïveté",
            2,
            id="no-word-cut",
        ),
    ],
)
def test_a_moved_passage_with_a_word_typed_in_keeps_its_ends(passage, edited, to):
    old = "\n\n".join([passage, *REPEATED])
    paragraphs = [*REPEATED]
    paragraphs.insert(to, edited)
    new = "\n\n".join(paragraphs)
    changed = assert_on(carry_forward(old, new, make_selector(old, 0, len(passage))), new, CHANGED)
    assert changed.exact == edited


def test_an_emoji_typed_into_a_moved_passage_is_not_split_from_its_joiner():
    # The joiner in 👨‍⚕️ was paired with the one in 👩‍👩‍👧 nearby: the passage ended after 👨.
    passage = "boiler Ödön 会议 🌊 Ingrið x\u0323y 🧑🏿\u200d🦱 naïveté"
    edited = passage.replace("naïveté", "👨\u200d⚕\ufe0f naïveté")
    family = "she she she she she she she she she she 👩\u200d👩\u200d👧 "
    old = "\n\n".join([passage, "she she she ", family, "she she she "])
    new = "\n\n".join(["she she she ", family, edited, "she she she "])
    changed = assert_on(carry_forward(old, new, make_selector(old, 0, len(passage))), new, CHANGED)
    assert changed.exact == edited


def test_a_passage_found_again_word_for_word_is_not_marked_changed():
    # The diff lost its end among look-alike words; aligning found the very same words.
    old = "she she she,“quoted”, “quoted” she, she, Müller, 😀, "
    new = "he ashe she, “quoted” she, she, Müller, 😀, "
    result = carry_forward(old, new, make_selector(old, 4, 12))
    carried = assert_on(result, new, CARRIED)
    assert (carried.start, carried.exact) == (4, "she she,")


def test_the_only_copy_overlapping_what_the_diff_called_its_rewrite_is_the_passage():
    old = "she she she,“quoted”, “quoted” she, she, Müller, 😀, "
    new = "she, she she ashe she, “quoted” she, she, Müller, 😀, "  # the diff: "she ashe she"
    carried = assert_on(carry_forward(old, new, make_selector(old, 4, 12)), new, CARRIED)
    assert (carried.start, carried.exact) == (14, "she she,")
