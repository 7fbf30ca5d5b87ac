"""The hash chain: each entry's hash covers its own fields and the hash of the entry before it,
so altering, removing or reordering any entry breaks every link after it.

Appending happens inside the transaction whose work the entries describe (a write and its entry
commit together or not at all), after the chain's head row has been locked: no two transactions
can link to the same head.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from supervision.models.audit import GENESIS_HASH, AuditChain, AuditEntry

CHAIN_ID = 1
HASHED_FIELDS = (
    "seq",
    "at",
    "actor_id",
    "action",
    "object_type",
    "object_id",
    "group_id",
    "subject_id",
    "address",
    "detail",
)


@dataclass
class PendingEntry:
    """An entry waiting for its transaction's commit to be numbered, linked and written."""

    at: datetime
    action: str
    actor_id: int | None = None
    object_type: str = ""
    object_id: int | None = None
    group_id: int | None = None
    subject_id: int | None = None
    address: str = ""
    detail: dict[str, Any] | None = None


def canonical_detail(detail: dict[str, Any] | None) -> str:
    return json.dumps(detail or {}, sort_keys=True, separators=(",", ":"), default=str)


def entry_hash(fields: dict[str, Any], prev_hash: str) -> str:
    """The SHA-256 of the entry's fields (in a fixed order and form) and the previous hash."""
    values = [fields[name] for name in HASHED_FIELDS]
    values[1] = _timestamp(values[1])
    payload = json.dumps([prev_hash, *values], separators=(",", ":"), default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


def _timestamp(value: datetime) -> str:
    # Microseconds survive both backends; the zone is always UTC (UTCDateTime).
    return value.strftime("%Y-%m-%dT%H:%M:%S.%f")


def _lock_chain(session: Session) -> AuditChain:
    """The head row, locked for this transaction (an UPDATE takes the row lock on PostgreSQL
    and the write lock on SQLite before the head is read)."""
    touched = session.execute(
        update(AuditChain)
        .where(AuditChain.id == CHAIN_ID)
        .values(head_seq=AuditChain.head_seq)
        .execution_options(synchronize_session=False)
    ).rowcount
    if touched == 0:  # a database made without the migration's first row (tests' create_all)
        session.add(AuditChain(id=CHAIN_ID, head_seq=0, head_hash=GENESIS_HASH))
        session.flush()
    chain = session.execute(
        select(AuditChain)
        .where(AuditChain.id == CHAIN_ID)
        .execution_options(populate_existing=True)
    ).scalar_one()
    return chain


def _lock_head(session: Session) -> tuple[int, str]:
    """The head's number and hash, its row locked for this transaction: ``_lock_chain`` in one
    statement (UPDATE ... RETURNING), as the lock is held from here until the commit ends."""
    row = session.execute(
        update(AuditChain)
        .where(AuditChain.id == CHAIN_ID)
        .values(head_seq=AuditChain.head_seq)
        .returning(AuditChain.head_seq, AuditChain.head_hash)
        .execution_options(synchronize_session=False)
    ).first()
    if row is None:  # a database made without the migration's first row (tests' create_all)
        chain = _lock_chain(session)
        return chain.head_seq, chain.head_hash
    return row.head_seq, row.head_hash


def append(session: Session, pending: Iterable[PendingEntry]) -> None:
    """Number, link and add ``pending`` to the session, and move the head (the entries are
    flushed with it: three statements while the head is locked)."""
    entries = list(pending)
    if not entries:
        return
    seq, prev = _lock_head(session)
    for item in entries:
        seq += 1
        fields = {
            "seq": seq,
            "at": item.at,
            "actor_id": item.actor_id,
            "action": item.action,
            "object_type": item.object_type,
            "object_id": item.object_id,
            "group_id": item.group_id,
            "subject_id": item.subject_id,
            "address": item.address,
            "detail": canonical_detail(item.detail),
        }
        digest = entry_hash(fields, prev)
        session.add(AuditEntry(**fields, prev_hash=prev, hash=digest))
        prev = digest
    session.execute(  # flushes the entries first (autoflush), then moves the head
        update(AuditChain)
        .where(AuditChain.id == CHAIN_ID)
        .values(head_seq=seq, head_hash=prev)
        .execution_options(synchronize_session="evaluate")
    )


@dataclass(frozen=True)
class Problem:
    seq: int
    what: str

    def __str__(self) -> str:
        return f"entry {self.seq}: {self.what}"


def verify(session: Session, batch: int = 1000) -> tuple[int, list[Problem]]:
    """Walk the chain from its anchor to its head; how many entries were read and what is
    wrong (empty when the chain is intact)."""
    chain = session.get(AuditChain, CHAIN_ID)
    anchor_seq = chain.anchor_seq if chain else 1
    expected_prev = chain.anchor_hash if chain else GENESIS_HASH
    expected_seq = anchor_seq
    problems: list[Problem] = []
    count = 0
    for entry in _entries(session, batch):
        count += 1
        fields = {name: getattr(entry, name) for name in HASHED_FIELDS}
        if entry.seq < anchor_seq:
            problems.append(Problem(entry.seq, "lies before the chain's start (put back?)"))
            continue
        if entry.seq != expected_seq:
            missing = (
                f"entry {expected_seq} is missing"
                if entry.seq == expected_seq + 1
                else f"entries {expected_seq} to {entry.seq - 1} are missing"
            )
            problems.append(Problem(entry.seq, f"{missing} (removed)"))
        if entry.prev_hash != expected_prev:
            problems.append(
                Problem(entry.seq, "does not link to the entry before it (removed or reordered)")
            )
        if entry_hash(fields, entry.prev_hash) != entry.hash:
            problems.append(Problem(entry.seq, "its contents were altered (hash does not match)"))
        expected_prev, expected_seq = entry.hash, entry.seq + 1
    if chain is not None and chain.head_seq >= anchor_seq:
        if expected_seq - 1 < chain.head_seq:
            problems.append(
                Problem(
                    chain.head_seq,
                    f"the last {chain.head_seq - expected_seq + 1} entries are missing "
                    f"(the chain's head is entry {chain.head_seq})",
                )
            )
        elif expected_prev != chain.head_hash:
            problems.append(Problem(chain.head_seq, "the chain's head does not match it"))
    return count, problems


def _entries(session: Session, batch: int) -> Iterator[AuditEntry]:
    after = None
    while True:
        query = select(AuditEntry).order_by(AuditEntry.seq).limit(batch)
        if after is not None:
            query = query.where(AuditEntry.seq > after)
        rows = session.execute(query).scalars().all()
        if not rows:
            return
        yield from rows
        after = rows[-1].seq
        session.expunge_all()  # a long chain must not fill the identity map


def purge_before(session: Session, cutoff: datetime) -> int:
    """Remove the entries older than ``cutoff`` from the start of the chain and move its anchor
    to the first kept entry, so ``verify`` still checks everything kept. Returns how many."""
    chain = _lock_chain(session)
    last_old = session.execute(
        select(AuditEntry.seq, AuditEntry.hash)
        .where(AuditEntry.at < cutoff)
        .order_by(AuditEntry.seq.desc())
        .limit(1)
    ).first()
    if last_old is None:
        return 0
    removed = session.execute(
        delete(AuditEntry)
        .where(AuditEntry.seq <= last_old.seq)
        .execution_options(synchronize_session=False)
    ).rowcount
    chain.anchor_seq, chain.anchor_hash = last_old.seq + 1, last_old.hash
    return removed
