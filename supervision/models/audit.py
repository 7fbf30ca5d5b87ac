"""The audit trail: an append-only list of who did or read what, each entry chained to the one
before by SHA-256, and the chain's one-row head.

Entries name people and objects by id only (no foreign keys): deleting an account or a case must
not rewrite the trail, and the hash covers the ids as written. No text of a case, no password or
token is ever in ``detail``: the writers put there names of fields and short codes only.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from supervision.extensions import db
from supervision.models.types import UTCDateTime

GENESIS_HASH = "0" * 64  # what the first entry links to


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"

    # The position in the chain, given by the writer under the chain's lock (not a sequence):
    # a removed entry leaves a gap, and the position is part of what the hash covers.
    seq: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=False
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    actor_id: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(40))
    object_type: Mapped[str] = mapped_column(String(60), default="")
    object_id: Mapped[int | None] = mapped_column(Integer)
    group_id: Mapped[int | None] = mapped_column(Integer)
    # Whose material it is (the author of a case read, the supervisee of an evaluation).
    subject_id: Mapped[int | None] = mapped_column(Integer)
    address: Mapped[str] = mapped_column(String(45), default="")
    detail: Mapped[str] = mapped_column(Text, default="{}")  # canonical JSON, as hashed
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    __table_args__ = (
        # The three readers' lists, newest first (keyset on seq): the site admin's filters by
        # actor, group, action and object type; the facilitator's by group; the author's
        # "who read my cases" by subject, action and object type.
        Index("ix_audit_entries_actor_seq", "actor_id", "seq"),
        Index("ix_audit_entries_group_seq", "group_id", "seq"),
        Index("ix_audit_entries_subject_action_seq", "subject_id", "action", "object_type", "seq"),
        Index("ix_audit_entries_action_seq", "action", "seq"),
        Index("ix_audit_entries_object_type_seq", "object_type", "seq"),
    )


class AuditChain(db.Model):
    """The chain's head (its last entry) and anchor (where it starts since the last purge).

    Every append updates this one row first, which serializes appenders: on PostgreSQL the row
    lock holds the next writer until the commit; on SQLite the write lock does.
    """

    __tablename__ = "audit_chain"

    id: Mapped[int] = mapped_column(primary_key=True)
    head_seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), default=0)
    head_hash: Mapped[str] = mapped_column(String(64), default=GENESIS_HASH)
    # The first kept entry links to anchor_hash (a purge removes the entries before it).
    anchor_seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), default=1)
    anchor_hash: Mapped[str] = mapped_column(String(64), default=GENESIS_HASH)
