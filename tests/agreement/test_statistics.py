"""The agreement statistics against values computed independently: Krippendorff's published
worked example, a small coincidence-matrix implementation written here from the definitions,
and cases worked by hand."""

from __future__ import annotations

from collections import Counter
from itertools import permutations

import pytest

from supervision.agreement.statistics import (
    MIN_PAIRABLE,
    GoldAgreement,
    divergences,
    gold_agreement,
    ordinal_alpha,
)

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: four observers,
# twelve units, missing values (None). Published: nominal .743, ordinal .815, interval .849.
_ROWS = {
    "A": [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    "C": [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
}
PUBLISHED = {"ordinal": 0.815, "interval": 0.849, "nominal": 0.743}


def _ratings(rows: dict[str, list[int | None]]) -> dict[str, dict[int, int | None]]:
    return {rater: dict(enumerate(levels)) for rater, levels in rows.items()}


def coincidence_alpha(rows: dict[str, list[int | None]], metric: str) -> float:
    """Krippendorff's alpha from its definition: the coincidence matrix of pairable values,
    observed against expected disagreement. Independent of the package under test."""
    units = zip(*rows.values(), strict=True)
    coincidences: Counter[tuple[int, int]] = Counter()
    for unit in units:
        values = [v for v in unit if v is not None]
        if len(values) < 2:
            continue
        for c, k in permutations(values, 2):
            coincidences[(c, k)] += 1 / (len(values) - 1)
    totals: Counter[int] = Counter()
    for (c, _), count in coincidences.items():
        totals[c] += count
    n = sum(totals.values())
    levels = sorted(totals)

    def delta(c: int, k: int) -> float:
        if metric == "nominal":
            return float(c != k)
        if metric == "interval":
            return float((c - k) ** 2)
        low, high = min(c, k), max(c, k)
        between = sum(totals[g] for g in levels if low <= g <= high)
        return (between - (totals[c] + totals[k]) / 2) ** 2

    observed = sum(count * delta(c, k) for (c, k), count in coincidences.items())
    expected = sum(totals[c] * totals[k] * delta(c, k) for c in levels for k in levels)
    return 1 - (n - 1) * observed / expected


@pytest.mark.parametrize("metric", sorted(PUBLISHED))
def test_the_independent_implementation_reproduces_the_published_figures(metric: str) -> None:
    assert round(coincidence_alpha(_ROWS, metric), 3) == PUBLISHED[metric]


def test_ordinal_alpha_of_the_published_example() -> None:
    alpha = ordinal_alpha(_ratings(_ROWS))
    assert alpha.value is not None
    assert round(alpha.value, 3) == PUBLISHED["ordinal"]
    assert alpha.value == pytest.approx(coincidence_alpha(_ROWS, "ordinal"), abs=1e-12)
    # Unit 12 has one value only: it pairs with nothing. 11 units, 40 pairable values.
    assert (alpha.raters, alpha.units, alpha.pairable) == (4, 11, 40)
    assert not alpha.too_few
    assert alpha.summary == "alpha 0.82 (40 paired levels from 4 raters)."


def test_a_case_worked_by_hand() -> None:
    # Units (1, 1), (1, 2), (2, 2): n1 = n2 = 3, n = 6; o12 = o21 = 1; ordinal
    # delta12 = (6 - 3)^2 = 9; alpha = 1 - (n - 1) * 2 * 9 / (2 * 3 * 3 * 9) = 1 - 5/9 = 4/9.
    alpha = ordinal_alpha({"a": {"x": 1, "y": 1, "z": 2}, "b": {"x": 1, "y": 2, "z": 2}})
    assert alpha.value == pytest.approx(4 / 9)
    assert alpha.pairable == 6 and alpha.too_few  # six paired levels are too few to mean much
    assert alpha.summary == "alpha 0.44 (6 paired levels from 2 raters): too few to mean much."


def test_perfect_agreement_with_variation_is_one() -> None:
    alpha = ordinal_alpha({"a": {1: 1, 2: 3, 3: 5}, "b": {1: 1, 2: 3, 3: 5}})
    assert alpha.value == pytest.approx(1.0)


def test_not_visible_is_a_missing_value_not_a_score() -> None:
    base = {"a": {"x": 1, "y": 1, "z": 2}, "b": {"x": 1, "y": 2, "z": 2}}
    with_gaps = {
        "a": {**base["a"], "w": None},
        "b": {**base["b"], "w": 4},
        "c": {"x": None, "y": None, "z": None, "w": None},
    }
    alpha = ordinal_alpha(with_gaps)
    assert alpha.value == pytest.approx(4 / 9)
    assert (alpha.raters, alpha.pairable) == (2, 6)


def test_too_few_raters_or_no_variation_give_no_value_and_say_why() -> None:
    one = ordinal_alpha({"a": {"x": 3, "y": 4}})
    assert one.value is None and one.reason.startswith("Fewer than two raters")
    unpaired = ordinal_alpha({"a": {"x": 3, "y": None}, "b": {"x": None, "y": 4}})
    assert unpaired.value is None and unpaired.reason == "No criterion was scored by two raters."
    same = ordinal_alpha({"a": {"x": 3, "y": 3}, "b": {"x": 3, "y": 3}})
    assert same.value is None and "no variation" in same.reason
    assert same.summary == same.reason and same.too_few
    assert ordinal_alpha({}).value is None


def test_the_threshold_is_what_the_pages_say() -> None:
    enough = {r: {u: 1 + (u + r) % 5 for u in range(MIN_PAIRABLE // 2)} for r in range(2)}
    assert ordinal_alpha(enough).pairable == MIN_PAIRABLE
    assert not ordinal_alpha(enough).too_few


def test_gold_agreement_by_hand() -> None:
    result = gold_agreement([(3, 3), (2, 4), (5, 4), (None, 2), (1, None)])
    assert result == GoldAgreement(compared=3, exact=1, within_one=2, not_compared=2)
    assert result.exact_share == pytest.approx(1 / 3)
    assert result.within_one_share == pytest.approx(2 / 3)
    assert gold_agreement([(None, None)]).exact_share is None
    assert result + result == GoldAgreement(6, 2, 4, 4)


def test_divergences_widest_first_then_not_visible_against_a_level() -> None:
    levels = {"a": 3, "b": 1, "c": None, "d": 4, "e": 2}
    gold = {"a": 3, "b": 4, "c": 2, "d": 5, "e": 2}
    found = divergences(levels, gold)
    assert [(d.key, d.gap) for d in found] == [("b", 3), ("d", 1), ("c", None)]
