"""The pooling rules of the relationship trend, on plain answers (relationship/trend.py)."""

from __future__ import annotations

from supervision.relationship.trend import DROP, pool


def rows(*values: int) -> list[tuple[int, ...]]:
    return [(value,) * 4 for value in values]


def test_fewer_than_three_answers_show_nothing() -> None:
    trend = pool(rows(6, 5), ["a", "b"])
    assert trend.periods == ()
    assert trend.notes == ()


def test_answers_pool_in_complete_blocks_of_three_and_the_rest_waits() -> None:
    trend = pool(rows(7, 6, 5, 4, 4, 4, 1, 1), [""] * 8)
    assert [p.mean for p in trend.periods] == [6.0, 4.0]
    assert [p.number for p in trend.periods] == [1, 2]
    # The two answers of the incomplete third block are in no mean.
    assert trend.periods[-1].item_means == {"safety": 4.0, "goals": 4.0, "tasks": 4.0, "heard": 4.0}


def test_a_complete_block_never_changes_when_answers_arrive() -> None:
    before = pool(rows(6, 6, 3), [""] * 3)
    after = pool(rows(6, 6, 3, 1, 1), [""] * 5)
    assert before.periods == after.periods


def test_notes_show_pooled_alphabetically_only_from_three_in_complete_blocks() -> None:
    assert pool(rows(5, 5, 5), ["zeta", "", "alpha"]).notes == ()
    assert pool(rows(5, 5, 5, 5), ["zeta", "mu", "", "alpha"]).notes == ()  # "alpha" waits
    assert pool(rows(5, 5, 5), ["zeta", "mu", "alpha"]).notes == ("alpha", "mu", "zeta")


def test_a_drop_of_one_point_suggests_naming_a_rupture() -> None:
    assert DROP == 1.0
    dropped = pool(rows(6, 6, 6, 5, 5, 5), [""] * 6)
    assert dropped.suggests_naming_rupture and dropped.drop == 1.0


def test_a_smaller_drop_or_a_rise_suggests_nothing() -> None:
    assert not pool(rows(6, 6, 6, 6, 5, 5), [""] * 6).suggests_naming_rupture  # 0.3 down
    assert not pool(rows(3, 3, 3, 6, 6, 6), [""] * 6).suggests_naming_rupture
    assert not pool(rows(6, 6, 6), [""] * 3).suggests_naming_rupture  # nothing to compare
