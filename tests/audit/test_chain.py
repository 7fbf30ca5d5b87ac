"""The chain itself: every change leaves an entry with its commit, and `audit verify` finds an
altered, removed or reordered entry and names it."""

from __future__ import annotations

from sqlalchemy import delete, select, update

from supervision.audit.chain import verify
from supervision.audit.trail import note, record
from supervision.extensions import db
from supervision.models import AuditEntry, User


def _entries() -> list[AuditEntry]:
    return list(db.session.execute(select(AuditEntry).order_by(AuditEntry.seq)).scalars())


def _problems() -> list[str]:
    db.session.expire_all()
    return [str(problem) for problem in verify(db.session)[1]]


def test_a_change_commits_with_its_entry_and_a_rollback_takes_both(app, make_user):
    user = make_user(name="Ada Quill")
    db.session.commit()
    created = [e for e in _entries() if e.object_type == "users" and e.object_id == user.id]
    assert [e.action for e in created] == ["create"]
    user.display_name = "Ada Q."
    record("rename", "users", user.id)
    db.session.rollback()
    assert not [e for e in _entries() if e.action in ("rename", "update")]
    user = db.session.get(User, user.id)
    user.display_name = "Ada Q."
    db.session.commit()
    updated = [e for e in _entries() if e.action == "update"]
    assert len(updated) == 1 and "display_name" in updated[0].detail
    assert "Ada Q." not in updated[0].detail  # names of columns, never values
    assert _problems() == []


def test_a_note_survives_the_rollback_of_its_transaction(app, make_user):
    make_user()
    db.session.commit()
    note("denied", "cases", 99)
    record("never", "cases", 99)
    db.session.rollback()
    db.session.commit()
    actions = [e.action for e in _entries()]
    assert "denied" in actions and "never" not in actions


def _chain_of(count: int, make_user) -> list[int]:
    for number in range(count):
        make_user(email=f"person{number}@example.org")
        db.session.commit()
    return [e.seq for e in _entries()]


def test_verify_names_an_altered_entry(app, make_user):
    seqs = _chain_of(4, make_user)
    assert _problems() == []
    db.session.execute(update(AuditEntry).where(AuditEntry.seq == seqs[1]).values(object_id=777))
    db.session.commit()
    problems = _problems()
    assert any(p.startswith(f"entry {seqs[1]}:") and "altered" in p for p in problems), problems


def test_verify_names_a_removed_entry(app, make_user):
    seqs = _chain_of(4, make_user)
    db.session.execute(delete(AuditEntry).where(AuditEntry.seq == seqs[1]))
    db.session.commit()
    problems = _problems()
    assert any(f"entry {seqs[1]} is missing" in p for p in problems), problems


def test_verify_names_reordered_entries(app, make_user):
    seqs = _chain_of(4, make_user)
    first, second = (db.session.get(AuditEntry, s) for s in seqs[1:3])
    swapped = {
        name: (getattr(second, name), getattr(first, name))
        for name in ("actor_id", "object_id", "detail", "prev_hash", "hash", "at")
    }
    for name, (for_first, for_second) in swapped.items():
        setattr(first, name, for_first)
        setattr(second, name, for_second)
    db.session.commit()
    problems = _problems()
    assert any(p.startswith(f"entry {seqs[1]}:") for p in problems), problems


def test_verify_notices_the_newest_entries_cut_off(app, make_user):
    seqs = _chain_of(3, make_user)
    db.session.execute(delete(AuditEntry).where(AuditEntry.seq == seqs[-1]))
    db.session.commit()
    assert any("missing" in p for p in _problems())
