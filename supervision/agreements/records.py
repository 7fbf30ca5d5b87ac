"""What other parts of the platform read of agreements: the reminder of a signature awaited,
the portfolio section, and the redaction of a passage from a group's agreement texts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from supervision.agreements.credentials import credentials_of
from supervision.agreements.sections import SECTIONS
from supervision.cases.privacy import scrub
from supervision.exports.sections import PortfolioSection
from supervision.extensions import db
from supervision.models import (
    AGREEMENT_SECTION_KEYS,
    Agreement,
    AgreementTemplate,
    AgreementVersion,
    Membership,
    NotificationEvent,
    User,
)
from supervision.notifications.services import link_to
from supervision.reminders.sources import Due

# A version waits this long for a signature before its party is reminded.
REMIND_AFTER = timedelta(days=1)
PARTIES = ("supervisor", "supervisee")


def _awaiting_since(version: AgreementVersion, party: str) -> datetime:
    """Since when ``party`` has been asked to sign: the last save, or the other's signature."""
    other = "supervisee" if party == "supervisor" else "supervisor"
    moments = [version.updated_at, version.signed_at(other)]
    return max(moment for moment in moments if moment is not None)


def agreements_to_sign(now: datetime) -> Iterator[Due]:
    """A reminder source: each party who has not signed the newest version of an agreement,
    a day after it was last changed or signed by the other, while still in the group."""
    newest = (
        select(AgreementVersion.agreement_id, func.max(AgreementVersion.number).label("number"))
        .group_by(AgreementVersion.agreement_id)
        .subquery()
    )
    versions = db.session.scalars(
        select(AgreementVersion)
        .join(
            newest,
            (newest.c.agreement_id == AgreementVersion.agreement_id)
            & (newest.c.number == AgreementVersion.number),
        )
        .where(
            or_(
                AgreementVersion.supervisor_signed_at.is_(None),
                AgreementVersion.supervisee_signed_at.is_(None),
            )
        )
        .options(
            selectinload(AgreementVersion.agreement).selectinload(Agreement.supervisor),
            selectinload(AgreementVersion.agreement).selectinload(Agreement.supervisee),
        )
    ).all()
    group_ids = {version.agreement.group_id for version in versions}
    rows = db.session.execute(
        select(Membership.group_id, Membership.user_id).where(Membership.group_id.in_(group_ids))
    )
    members = {(group_id, user_id) for group_id, user_id in rows}
    for version in versions:
        agreement = version.agreement
        for party in PARTIES:
            person: User = getattr(agreement, party)
            other: User = agreement.supervisee if party == "supervisor" else agreement.supervisor
            if version.signed_at(party) is not None:
                continue
            if (agreement.group_id, person.id) not in members:
                continue
            if now - _awaiting_since(version, party) < REMIND_AFTER:
                continue
            yield Due(
                user_id=person.id,
                event=NotificationEvent.AGREEMENT_TO_SIGN,
                key=f"agreement:{version.id}:{person.id}",
                text=(
                    f"Your supervision agreement with {other.display_name} (version "
                    f"{version.number}) awaits your signature."
                ),
                url=link_to("agreements.show", agreement_id=agreement.id),
                group_id=agreement.group_id,
            )


# -- The portfolio ------------------------------------------------------------------------


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def agreements_section(user: User) -> PortfolioSection:
    """The user's agreements (as supervisee or supervisor), every version anyone has signed,
    with the supervisor's credentials current on the day the version was signed."""
    agreements = db.session.scalars(
        select(Agreement)
        .where(or_(Agreement.supervisee_id == user.id, Agreement.supervisor_id == user.id))
        .options(
            selectinload(Agreement.versions),
            selectinload(Agreement.group),
            selectinload(Agreement.supervisor),
            selectinload(Agreement.supervisee),
        )
        .order_by(Agreement.created_at, Agreement.id)
    ).all()
    # Every credential of these supervisors, expired ones too: each version picks its day's.
    held = credentials_of({a.supervisor_id for a in agreements}, date.min)
    records: list[dict] = []  # type: ignore[type-arg]
    lines = ["# Supervision agreements", ""]
    for agreement in agreements:
        for version in agreement.versions:
            if not version.is_locked:
                continue
            signed = version.supervisor_signed_at or version.supervisee_signed_at
            assert signed is not None
            credentials = [
                c.summary for c in held[agreement.supervisor_id] if c.is_current_on(signed.date())
            ]
            records.append(
                {
                    "group": agreement.group.name,
                    "supervisor": agreement.supervisor.display_name,
                    "supervisee": agreement.supervisee.display_name,
                    "supervisor_credentials": credentials,
                    "version": version.number,
                    "signed_by_both": version.is_signed_by_both,
                    "supervisor_signature": version.supervisor_signed_name,
                    "supervisor_signed_at": _when(version.supervisor_signed_at),
                    "supervisee_signature": version.supervisee_signed_name,
                    "supervisee_signed_at": _when(version.supervisee_signed_at),
                    "sections": version.sections(),
                }
            )
            lines += _markdown_of(agreement, version, credentials)
    if not records:
        lines.append("No signed agreement.")
    return PortfolioSection(
        key="agreements",
        title="Supervision agreements",
        records=records,
        markdown="\n".join(lines).rstrip() + "\n",
    )


def _markdown_of(
    agreement: Agreement, version: AgreementVersion, credentials: list[str]
) -> list[str]:
    state = "signed by both" if version.is_signed_by_both else "awaiting a signature"
    lines = [
        f"## {agreement.group.name}: {agreement.supervisor.display_name} and "
        f"{agreement.supervisee.display_name}, version {version.number} ({state})",
        "",
        f"Supervisor's credentials: {'; '.join(credentials) or 'none recorded'}",
        "",
    ]
    for section in SECTIONS:
        text = getattr(version, section.key)
        if text:
            lines += [f"### {section.label}", "", text, ""]
    for party, label in (("supervisor", "Supervisor"), ("supervisee", "Supervisee")):
        name = getattr(version, f"{party}_signed_name")
        at = version.signed_at(party)
        lines.append(
            f"- {label}: " + (f"signed “{name}”, {at.isoformat()}" if at else "not signed")
        )
    return [*lines, ""]


# -- Redaction ----------------------------------------------------------------------------


def redact_agreements(group_id: int, passage: str) -> int:
    """Scrub ``passage`` from every agreement version and the template of the group, signed
    versions included (a redaction reaches every copy); returns the occurrences removed."""
    count = 0
    versions = db.session.scalars(
        select(AgreementVersion)
        .join(Agreement, Agreement.id == AgreementVersion.agreement_id)
        .where(Agreement.group_id == group_id)
    ).all()
    templates = db.session.scalars(
        select(AgreementTemplate).where(AgreementTemplate.group_id == group_id)
    ).all()
    for obj in [*versions, *templates]:
        for key in AGREEMENT_SECTION_KEYS:
            text = getattr(obj, key)
            if passage and passage in text:
                count += text.count(passage)
                setattr(obj, key, scrub(text, passage))
    db.session.flush()
    return count
