"""Agreement among the reviewers of one revision: their levels, criterion by criterion."""

from __future__ import annotations

from collections.abc import Sequence

from supervision.agreement.statistics import Alpha, ordinal_alpha
from supervision.models import Review


def reviewers_alpha(reviews: Sequence[Review]) -> Alpha:
    """Ordinal alpha among ``reviews`` (units: the criteria, by stable key). Pass only blind
    submitted reviews of one revision (``reviews.blindness.blind_reviews_of``); "not visible"
    is a missing value."""
    return ordinal_alpha(
        {
            review.id: {
                score.criterion_key: None if score.not_visible else score.level
                for score in review.scores
            }
            for review in reviews
        }
    )
