"""A redaction in a group reaches the notes of relationship checks made there (a supervisee
may have quoted the case). Registered by ``create_app``."""

from __future__ import annotations

from supervision.cases.privacy import REDACTED, register_redaction_hook
from supervision.models import Case
from supervision.relationship.services import redact_checks


def _passage_redacted(case: Case, passage: str) -> int:
    return redact_checks(case.group_id, passage, REDACTED)


def register_hooks() -> None:
    register_redaction_hook(_passage_redacted)
