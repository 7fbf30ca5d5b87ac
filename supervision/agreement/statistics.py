"""Agreement statistics, as pure functions over levels (no database, no Flask).

Levels are integers on the rubric's 1-5 ordinal scale; ``None`` is "not visible in this
vignette" or no rating at all, and is a missing value, never a score. Agreement among raters is
Krippendorff's alpha for ordinal data, computed by the maintained ``krippendorff`` package.

Honest confidence: alpha is not computed with fewer than two raters, with no unit that two
raters both scored, or when every pairable value is the same level (no variation: alpha is
0/0, undefined). Below ``MIN_PAIRABLE`` pairable values it is shown but marked "too few to mean
much". No confidence interval is given: a bootstrap over a handful of criteria and raters would
look precise without being so.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

import krippendorff
import numpy as np

SCALE = (1, 2, 3, 4, 5)
# Pairable values (values in units that at least two raters scored) below which an alpha is
# reported with its n and "too few to mean much". A stated rule of thumb, not a test.
MIN_PAIRABLE = 10

Ratings = Mapping[Hashable, Mapping[Hashable, int | None]]  # rater -> unit -> level


@dataclass(frozen=True)
class Alpha:
    value: float | None  # None: not computed (see ``reason``)
    raters: int  # raters with at least one pairable value
    units: int  # units that at least two raters scored
    pairable: int  # the values in those units: alpha's n
    reason: str = ""  # why there is no value

    @property
    def too_few(self) -> bool:
        return self.value is None or self.pairable < MIN_PAIRABLE

    @property
    def summary(self) -> str:
        """One sentence for a page: the value with its n, or why there is none."""
        if self.value is None:
            return self.reason
        n = f"{self.pairable} paired levels from {self.raters} raters"
        if self.pairable < MIN_PAIRABLE:
            return f"alpha {self.value:.2f} ({n}): too few to mean much."
        return f"alpha {self.value:.2f} ({n})."


def ordinal_alpha(ratings: Ratings, scale: Iterable[int] = SCALE) -> Alpha:
    """Krippendorff's ordinal alpha among raters. ``ratings``: each rater's level per unit
    (a unit is what was rated: a criterion of a vignette); ``None`` or absent is missing."""
    units = sorted({u for levels in ratings.values() for u in levels}, key=repr)
    by_unit = {
        u: [levels[u] for levels in ratings.values() if levels.get(u) is not None] for u in units
    }
    pairable_units = [u for u in units if len(by_unit[u]) >= 2]
    pairable = sum(len(by_unit[u]) for u in pairable_units)
    raters = sum(
        1 for levels in ratings.values() if any(levels.get(u) is not None for u in pairable_units)
    )
    values = {level for u in pairable_units for level in by_unit[u]}
    if len([r for r in ratings.values() if any(v is not None for v in r.values())]) < 2:
        return Alpha(None, raters, 0, 0, "Fewer than two raters: no agreement to measure.")
    if not pairable_units:
        return Alpha(None, raters, 0, 0, "No criterion was scored by two raters.")
    if len(values) < 2:
        return Alpha(
            None,
            raters,
            len(pairable_units),
            pairable,
            f"Every paired level is {values.pop()} ({pairable} paired levels): with no "
            "variation, alpha is undefined.",
        )
    matrix = np.array(
        [
            [np.nan if levels.get(u) is None else levels[u] for u in units]
            for levels in ratings.values()
        ],
        dtype=float,
    )
    value = krippendorff.alpha(
        reliability_data=matrix, level_of_measurement="ordinal", value_domain=list(scale)
    )
    return Alpha(float(value), raters, len(pairable_units), pairable)


@dataclass(frozen=True)
class GoldAgreement:
    """One rater's levels against the gold levels, where both give a level."""

    compared: int
    exact: int
    within_one: int  # including exact
    not_compared: int  # one side or both "not visible"

    @property
    def exact_share(self) -> float | None:
        return self.exact / self.compared if self.compared else None

    @property
    def within_one_share(self) -> float | None:
        return self.within_one / self.compared if self.compared else None

    def __add__(self, other: GoldAgreement) -> GoldAgreement:
        return GoldAgreement(
            self.compared + other.compared,
            self.exact + other.exact,
            self.within_one + other.within_one,
            self.not_compared + other.not_compared,
        )


NO_AGREEMENT = GoldAgreement(0, 0, 0, 0)


def gold_agreement(pairs: Iterable[tuple[int | None, int | None]]) -> GoldAgreement:
    """``pairs``: (rater's level, gold level) per criterion."""
    compared = exact = within = skipped = 0
    for level, gold in pairs:
        if level is None or gold is None:
            skipped += 1
            continue
        compared += 1
        exact += level == gold
        within += abs(level - gold) <= 1
    return GoldAgreement(compared, exact, within, skipped)


@dataclass(frozen=True)
class Divergence:
    key: Hashable
    level: int | None
    gold: int | None

    @property
    def gap(self) -> int | None:
        """Levels apart; None when one side is "not visible" and the other a level."""
        if self.level is None or self.gold is None:
            return None
        return abs(self.level - self.gold)


def divergences(
    levels: Mapping[Hashable, int | None], gold: Mapping[Hashable, int | None]
) -> list[Divergence]:
    """Where a rater's levels differ from gold, the widest gap first; a level where gold says
    "not visible" (or the reverse) after the numeric gaps. Agreements are left out."""
    found = [
        Divergence(key, levels.get(key), gold[key])
        for key in gold
        if key in levels and levels.get(key) != gold[key]
    ]
    return sorted(found, key=lambda d: (d.gap is None, -(d.gap or 0)))
