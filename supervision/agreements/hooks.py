"""Registrations of the agreements feature, called by ``create_app``: a redaction in a group
reaches its agreements, a signature awaited is a reminder, the agreements join the portfolio."""

from __future__ import annotations

from supervision.agreements.records import (
    agreements_section,
    agreements_to_sign,
    redact_agreements,
)
from supervision.cases.privacy import register_redaction_hook
from supervision.exports.sections import register_portfolio_section
from supervision.models import Case
from supervision.reminders.sources import register_due_source

PORTFOLIO_ORDER = 35


def _passage_redacted(case: Case, passage: str) -> int:
    return redact_agreements(case.group_id, passage)


def register_hooks() -> None:
    register_redaction_hook(_passage_redacted)
    register_due_source(agreements_to_sign)
    register_portfolio_section(PORTFOLIO_ORDER, "agreements", agreements_section)
