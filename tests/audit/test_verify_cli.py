"""`flask --app wsgi audit verify` through Click's runner: exit 0 on an intact chain, exit 1
naming the entry after any tampering."""

from __future__ import annotations

from audit_support import entries
from sqlalchemy import delete, update

from supervision.audit.trail import note
from supervision.extensions import db
from supervision.models import AuditEntry


def _chain(count: int) -> list[int]:
    for number in range(count):
        note("read", "cases", number + 1, group_id=1)
        db.session.commit()  # one commit each: one entry each
    return [e.seq for e in entries()]


def _verify(app):  # type: ignore[no-untyped-def]
    db.session.remove()  # the command reads the database afresh, as from another process
    return app.test_cli_runner().invoke(args=["audit", "verify"])


def test_an_intact_trail_verifies(app):
    _chain(3)
    result = _verify(app)
    assert result.exit_code == 0, result.output
    assert "intact: 3 entries" in result.output


def test_an_altered_entry_fails_and_is_named(app):
    seqs = _chain(4)
    db.session.execute(update(AuditEntry).where(AuditEntry.seq == seqs[2]).values(group_id=2))
    db.session.commit()
    result = _verify(app)
    assert result.exit_code == 1
    assert f"entry {seqs[2]}: its contents were altered" in result.output


def test_a_removed_entry_fails_and_is_named(app):
    seqs = _chain(4)
    db.session.execute(delete(AuditEntry).where(AuditEntry.seq == seqs[1]))
    db.session.commit()
    result = _verify(app)
    assert result.exit_code == 1
    assert f"entry {seqs[1]} is missing" in result.output


def test_reordered_entries_fail_and_are_named(app):
    seqs = _chain(4)
    first, second = seqs[1], seqs[2]
    # Swap the two rows' positions: each keeps its own hash, but the links no longer hold.
    db.session.execute(update(AuditEntry).where(AuditEntry.seq == first).values(seq=-1))
    db.session.execute(update(AuditEntry).where(AuditEntry.seq == second).values(seq=first))
    db.session.execute(update(AuditEntry).where(AuditEntry.seq == -1).values(seq=second))
    db.session.commit()
    result = _verify(app)
    assert result.exit_code == 1
    assert f"entry {first}:" in result.output and "reordered" in result.output
