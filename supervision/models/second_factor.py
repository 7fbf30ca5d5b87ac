"""A second factor: an authenticator app's TOTP secret and single-use recovery codes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from supervision.extensions import db
from supervision.models.types import UTCDateTime, utcnow


class TotpCredential(db.Model):
    """One per person. The secret is stored sealed (Fernet, a key derived from SECRET_KEY):
    a copy of the database alone does not let anyone generate codes."""

    __tablename__ = "totp_credentials"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    secret_sealed: Mapped[str] = mapped_column(Text)
    # The newest 30-second step a code was accepted for: a code is good once.
    last_used_step: Mapped[int] = mapped_column(Integer, default=0)
    enabled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RecoveryCode(db.Model):
    """A single-use code for when the phone is lost; only its SHA-256 is stored."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
