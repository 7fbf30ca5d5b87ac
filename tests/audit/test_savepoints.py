"""A savepoint's rollback drops only the entries recorded inside it."""

from __future__ import annotations

from sqlalchemy import select

from supervision.audit.trail import record
from supervision.extensions import db
from supervision.models import AuditEntry


def test_a_rolled_back_savepoint_drops_only_its_own_entries(app, make_user):
    make_user()
    record("kept", "users")
    savepoint = db.session.begin_nested()
    record("dropped", "users")
    savepoint.rollback()
    with db.session.begin_nested():
        record("kept_too", "users")
    db.session.commit()
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"kept", "kept_too"} <= actions and "dropped" not in actions
