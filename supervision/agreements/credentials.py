"""Practitioners' licences and credentials: one's own list on the profile page, and the
look-up other features (agreements, meetings, exports) use to show them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import select

from supervision.extensions import db
from supervision.models import Credential, User


def credentials_of(user_ids: Iterable[int], on_day: date) -> dict[int, list[Credential]]:
    """Each user's credentials current on ``on_day`` (not expired), in one query; every id
    asked about is a key, with an empty list when they hold none."""
    ids = set(user_ids)
    found: dict[int, list[Credential]] = {user_id: [] for user_id in ids}
    if not ids:
        return found
    rows = db.session.scalars(
        select(Credential)
        .where(
            Credential.user_id.in_(ids),
            (Credential.expires_on.is_(None)) | (Credential.expires_on >= on_day),
        )
        .order_by(Credential.kind, Credential.id)
    )
    for credential in rows:
        found[credential.user_id].append(credential)
    return found


def my_credentials(user: User) -> list[Credential]:
    """All of the user's credentials, expired ones included (the profile shows them so)."""
    return list(
        db.session.scalars(
            select(Credential)
            .where(Credential.user_id == user.id)
            .order_by(Credential.kind, Credential.id)
        )
    )


def add_credential(
    user: User, kind: str, number: str, jurisdiction: str, expires_on: date | None
) -> Credential:
    credential = Credential(user_id=user.id)
    update_credential(credential, kind, number, jurisdiction, expires_on)
    db.session.add(credential)
    db.session.flush()
    return credential


def update_credential(
    credential: Credential, kind: str, number: str, jurisdiction: str, expires_on: date | None
) -> None:
    credential.kind = " ".join(kind.split())
    credential.number = " ".join(number.split())
    credential.jurisdiction = " ".join(jurisdiction.split())
    credential.expires_on = expires_on
    db.session.flush()


def remove_credential(credential: Credential) -> None:
    db.session.delete(credential)
    db.session.flush()
