"""A practitioner's licence or credential, shown on supervision records and exports."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from supervision.extensions import db
from supervision.models.types import UTCDateTime, utcnow
from supervision.models.user import User

CREDENTIAL_KIND_MAX = 120
CREDENTIAL_NUMBER_MAX = 60
JURISDICTION_MAX = 120


class Credential(db.Model):
    """One licence (e.g. "Licensed Professional Counselor-Supervisor", LPC-S 12345, Texas).
    A person may hold several; exports show every one that is current on the record's date."""

    __tablename__ = "credentials"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(CREDENTIAL_KIND_MAX))
    number: Mapped[str] = mapped_column(String(CREDENTIAL_NUMBER_MAX))
    jurisdiction: Mapped[str] = mapped_column(String(JURISDICTION_MAX))
    expires_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()

    def is_current_on(self, day: date) -> bool:
        return self.expires_on is None or self.expires_on >= day

    @property
    def summary(self) -> str:
        """One line for an export: "LPC-S 12345 (Texas, until 2027-06-30)"."""
        until = f", until {self.expires_on.isoformat()}" if self.expires_on else ""
        return f"{self.kind} {self.number} ({self.jurisdiction}{until})"
