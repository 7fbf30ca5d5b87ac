"""Registrations of the evaluations feature, called by ``create_app``: a redaction reaches
the evaluations' comments; the portfolio section and group report; the reminder source."""

from __future__ import annotations

from supervision.cases.privacy import register_redaction_hook
from supervision.evaluations.exports import group_report, portfolio_section
from supervision.evaluations.reminders import evaluations_due
from supervision.evaluations.services import redact_evaluations
from supervision.exports.sections import register_group_report, register_portfolio_section
from supervision.models import Case
from supervision.reminders.sources import register_due_source

EXPORT_ORDER = 50


def _passage_redacted(case: Case, passage: str) -> int:
    return redact_evaluations(case.group_id, passage)


def register_hooks() -> None:
    register_redaction_hook(_passage_redacted)
    register_portfolio_section(EXPORT_ORDER, "evaluations", portfolio_section)
    register_group_report(EXPORT_ORDER, "evaluations", "Evaluations", group_report)
    register_due_source(evaluations_due)
