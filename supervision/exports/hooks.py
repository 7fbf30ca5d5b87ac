"""The parts this package registers itself: the portfolio's cases (10), feedback (20) and
growth (30), and the "members" and "reviews" group reports. Registered by ``create_app``."""

from __future__ import annotations

from supervision.cases.export import cases_section
from supervision.exports.reports import MEMBERS, REVIEWS, members_report, reviews_report
from supervision.exports.sections import register_group_report, register_portfolio_section
from supervision.growth.export import growth_section
from supervision.reviews.export import feedback_section


def register_hooks() -> None:
    register_portfolio_section(10, "cases", cases_section)
    register_portfolio_section(20, "feedback", feedback_section)
    register_portfolio_section(30, "growth", growth_section)
    register_group_report(10, *MEMBERS, members_report)
    register_group_report(20, *REVIEWS, reviews_report)
