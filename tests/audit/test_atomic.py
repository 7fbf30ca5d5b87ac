"""A write and its audit entry commit together or not at all (run on SQLite and, with
TEST_DATABASE_URL, on PostgreSQL)."""

from __future__ import annotations

import pytest
from audit_support import entries
from conftest import csrf_token
from sqlalchemy import func, select, text

from supervision.audit import chain
from supervision.extensions import db
from supervision.groups.services import change_role
from supervision.models import AuditEntry, Membership, Role


def _seen_from_elsewhere(membership_id: int) -> tuple[str, int]:
    """The role and the number of role_change entries, as another connection sees them."""
    with db.engine.connect() as other:
        role = other.execute(
            text("SELECT role FROM memberships WHERE id = :id"), {"id": membership_id}
        ).scalar_one()
        changes = other.execute(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "role_change")
        ).scalar_one()
    return role, changes


def test_the_change_and_its_entry_become_visible_at_the_same_commit(app, make_user, make_group):
    supervisee = make_user()
    group = make_group(members={make_user(): Role.FACILITATOR, supervisee: Role.SUPERVISEE})
    membership = db.session.scalars(
        select(Membership).where(Membership.user_id == supervisee.id)
    ).one()
    change_role(membership, Role.SUPERVISOR)
    db.session.flush()
    before = _seen_from_elsewhere(membership.id)
    assert before[1] == 0 and before[0] in ("SUPERVISEE", "supervisee")
    db.session.commit()
    after = _seen_from_elsewhere(membership.id)
    assert after[1] == 1 and after[0] in ("SUPERVISOR", "supervisor")
    assert entries(action="role_change")[0].group_id == group.id


def test_a_change_whose_entry_cannot_be_written_is_not_committed(
    app, make_user, make_group, login_as, monkeypatch
):
    facilitator, supervisee = make_user(), make_user()
    group = make_group(members={facilitator: Role.FACILITATOR, supervisee: Role.SUPERVISEE})
    membership_id = db.session.scalars(
        select(Membership.id).where(Membership.user_id == supervisee.id)
    ).one()
    db.session.rollback()
    client = login_as(facilitator)
    token = csrf_token(client, "/cases/mine")
    head = len(entries())

    def broken(*_args: object) -> str:
        raise RuntimeError("the trail cannot be written")

    monkeypatch.setattr(chain, "entry_hash", broken)
    with pytest.raises(RuntimeError, match="the trail cannot be written"):
        client.post(
            f"/groups/{group.id}/members/{membership_id}/role",
            data={"csrf_token": token, "role": "supervisor"},
        )
    monkeypatch.undo()
    db.session.rollback()
    assert db.session.get(Membership, membership_id).role is Role.SUPERVISEE
    assert len(entries()) == head  # neither the change nor any entry of it
