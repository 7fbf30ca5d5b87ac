"""Ready values for the agreement pages: rendered sections, signatures, a line diff between
versions, the supervisor's current credentials. Templates only display these."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date, datetime

from supervision.agreements.credentials import credentials_of
from supervision.agreements.sections import SECTIONS
from supervision.models import Agreement, AgreementVersion, Credential
from supervision.rendering import render_markdown


@dataclass(frozen=True)
class SignatureLine:
    role: str  # "Supervisor" / "Supervisee"
    person: str
    typed_name: str | None
    signed_at: datetime | None


@dataclass(frozen=True)
class ShownSection:
    key: str
    label: str
    html: str
    changes: list[tuple[str, str]]  # (kind: "added" | "removed", line) against the previous


@dataclass(frozen=True)
class ShownVersion:
    version: AgreementVersion
    sections: list[ShownSection]
    signatures: list[SignatureLine]
    previous_number: int | None


def signatures_of(version: AgreementVersion) -> list[SignatureLine]:
    agreement = version.agreement
    return [
        SignatureLine(
            "Supervisor",
            agreement.supervisor.display_name,
            version.supervisor_signed_name,
            version.supervisor_signed_at,
        ),
        SignatureLine(
            "Supervisee",
            agreement.supervisee.display_name,
            version.supervisee_signed_name,
            version.supervisee_signed_at,
        ),
    ]


def _line_changes(old: str, new: str) -> list[tuple[str, str]]:
    changes: list[tuple[str, str]] = []
    for line in difflib.ndiff(old.splitlines(), new.splitlines()):
        if line.startswith("- "):
            changes.append(("removed", line[2:]))
        elif line.startswith("+ "):
            changes.append(("added", line[2:]))
    return changes


def show_version(agreement: Agreement, number: int | None) -> ShownVersion | None:
    """The version numbered ``number`` (default: the newest), ready to display; None if there
    is no such version."""
    versions = {version.number: version for version in agreement.versions}
    version = versions.get(number if number is not None else agreement.latest.number)
    if version is None:
        return None
    previous = versions.get(version.number - 1)
    sections = [
        ShownSection(
            section.key,
            section.label,
            render_markdown(getattr(version, section.key)),
            _line_changes(getattr(previous, section.key), getattr(version, section.key))
            if previous is not None
            else [],
        )
        for section in SECTIONS
    ]
    return ShownVersion(
        version, sections, signatures_of(version), previous.number if previous else None
    )


def supervisor_credentials(agreement: Agreement, on_day: date) -> list[Credential]:
    return credentials_of([agreement.supervisor_id], on_day)[agreement.supervisor_id]
