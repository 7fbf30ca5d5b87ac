"""No password, reset token or case text in the application's logs or in the audit trail: a
whole journey (register, log in, write a case, share it, be read, reset the password) watched
at DEBUG."""

from __future__ import annotations

import logging
import re

from conftest import csrf_token
from sqlalchemy import select
from support import CLEAN_SECTIONS

from supervision.extensions import db
from supervision.mail.services import outgoing
from supervision.models import AuditEntry, Case, GroupKind, OutboxMessage, Role, User

PASSWORD_1 = "juniper smoke over the estuary"
PASSWORD_2 = "lanterns drifting past the weir"
DISTINCTIVE = "the client folded the origami crane twice and said nothing"


def _post(client, path: str, data: dict) -> object:  # type: ignore[no-untyped-def]
    return client.post(path, data={"csrf_token": csrf_token(client, "/login"), **data})


def test_a_journey_leaves_no_secret_or_case_text_in_logs_or_trail(
    app, client, make_user, make_group, caplog
):
    caplog.set_level(logging.DEBUG)
    # SQLAlchemy keeps its own loggers at WARNING; an operator may well turn statements on.
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")
    registered = client.post(
        "/register",
        data={
            "csrf_token": csrf_token(client, "/register"),
            "email": "quinn@example.org",
            "display_name": "Quinn Writer",
            "password": PASSWORD_1,
            "confirm": PASSWORD_1,
        },
    )
    assert registered.status_code == 302
    db.session.rollback()
    quinn = db.session.scalars(select(User).where(User.email == "quinn@example.org")).one()
    supervisor = make_user("Sam Supervisor")
    group = make_group(
        GroupKind.SUPERVISION, {supervisor: Role.FACILITATOR, quinn: Role.SUPERVISEE}
    )
    group_id = group.id
    db.session.rollback()
    sections = {**CLEAN_SECTIONS, "moment": DISTINCTIVE}
    written = client.post(
        f"/groups/{group_id}/cases/new",
        data={"csrf_token": csrf_token(client, "/cases/mine"), "title": "A crane", **sections},
    )
    assert written.status_code == 302, written.text[:300]
    case_id = db.session.scalars(select(Case.id)).one()
    db.session.rollback()
    assert DISTINCTIVE in client.get(f"/cases/{case_id}").text
    client.post("/logout", data={"csrf_token": csrf_token(client, "/cases/mine")})

    # A failed login with the password typed into the email field, then the right one.
    _post(client, "/login", {"email": PASSWORD_1, "password": PASSWORD_1})
    _post(client, "/login", {"email": "quinn@example.org", "password": PASSWORD_2})
    assert _post(client, "/login", {"email": "quinn@example.org", "password": PASSWORD_1})
    client.post("/logout", data={"csrf_token": csrf_token(client, "/cases/mine")})

    assert _post(client, "/password/forgot", {"email": "quinn@example.org"}).status_code == 302
    mail = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    link = re.search(r"http://localhost(/password/reset/([\w-]+))", outgoing(mail).body)
    db.session.rollback()
    path, token = link.group(1), link.group(2)
    form_path = client.get(path, follow_redirects=True).request.path
    reset = _post(client, form_path, {"password": PASSWORD_2, "confirm": PASSWORD_2})
    assert reset.status_code == 302

    secrets = {"password": PASSWORD_1, "new password": PASSWORD_2, "token": token}
    secrets["case text"] = DISTINCTIVE
    logged = "\n".join(
        f"{record.getMessage()} {record.args!r} {record.exc_text or ''}"
        for record in caplog.records
    )
    assert caplog.records, "the journey logged nothing at all: is the capture working?"
    for name, secret in secrets.items():
        assert secret not in logged, f"the {name} is in the logs"
    trail = db.session.scalars(select(AuditEntry)).all()
    assert {"login", "login_failed", "read", "password_reset"} <= {e.action for e in trail}
    for entry in trail:
        columns = " ".join(str(getattr(entry, c.key)) for c in AuditEntry.__table__.columns)
        for name, secret in secrets.items():
            assert secret not in columns, f"the {name} is in audit entry {entry.seq}"
        assert "quinn@example.org" not in columns  # ids, never the typed address
