"""Credentials on one's own profile: add, edit, remove, validation, expiry; and the one-query
look-up other features use."""

from __future__ import annotations

from datetime import date, timedelta

from conftest import post
from sqlalchemy import event, select

from supervision.agreements.credentials import add_credential, credentials_of
from supervision.extensions import db
from supervision.models import Credential
from supervision.models.types import utcnow

VALID = {"kind": "LPC-S", "number": "12345", "jurisdiction": "Texas", "expires_on": "2031-06-30"}


def test_one_adds_edits_and_removes_their_own_credentials(client, login_as, make_user) -> None:  # type: ignore[no-untyped-def]
    user = make_user("Dr. Sam Okoye")
    login_as(user)
    assert "No licence or credential recorded yet." in client.get("/account/profile").get_data(
        as_text=True
    )
    assert post(client, "/account/credentials", VALID).status_code == 302
    credential = db.session.scalars(select(Credential)).one()
    assert (credential.user_id, credential.summary) == (
        user.id,
        "LPC-S 12345 (Texas, until 2031-06-30)",
    )
    page = client.get("/account/profile").get_data(as_text=True)
    assert "Valid until 2031-06-30" in page
    edited = VALID | {"number": "  67890 ", "expires_on": ""}
    path = f"/account/credentials/{credential.id}"
    assert post(client, f"{path}/edit", edited).status_code == 302
    db.session.expire_all()
    assert (credential.number, credential.expires_on) == ("67890", None)
    assert post(client, f"{path}/remove").status_code == 302
    assert db.session.scalars(select(Credential)).all() == []


def test_bad_input_is_explained_and_kept(client, login_as, make_user) -> None:  # type: ignore[no-untyped-def]
    login_as(make_user())
    response = post(
        client,
        "/account/credentials",
        {"kind": "", "number": "9" * 61, "jurisdiction": "Ohio", "expires_on": "30/06/2027"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Enter the type of licence or credential." in page
    assert "Keep this under 60 characters." in page
    assert "Enter the date as year-month-day, e.g. 2027-06-30." in page
    assert 'value="Ohio"' in page
    assert db.session.scalars(select(Credential)).all() == []


def test_an_expired_credential_shows_as_expired(client, login_as, make_user) -> None:  # type: ignore[no-untyped-def]
    user = make_user()
    add_credential(user, "LCSW", "A-1", "Oregon", utcnow().date() - timedelta(days=1))
    db.session.commit()
    login_as(user)
    assert "Expired" in client.get("/account/profile").get_data(as_text=True)


def test_someone_elses_credential_is_not_found(client, login_as, make_user) -> None:  # type: ignore[no-untyped-def]
    owner = make_user()
    credential = add_credential(owner, "LPC", "1", "Texas", None)
    db.session.commit()
    login_as(make_user())
    assert client.get(f"/account/credentials/{credential.id}/edit").status_code == 404
    assert post(client, f"/account/credentials/{credential.id}/remove").status_code == 404
    assert db.session.get(Credential, credential.id) is not None


def test_credentials_of_gives_each_person_their_current_ones_in_one_query(make_user) -> None:  # type: ignore[no-untyped-def]
    first, second, third = make_user(), make_user(), make_user()
    day = date(2027, 1, 1)
    add_credential(first, "LPC-S", "1", "Texas", date(2027, 6, 30))
    add_credential(first, "Old", "2", "Texas", date(2026, 12, 31))  # expired on that day
    add_credential(second, "BACP", "3", "UK", None)
    db.session.commit()
    ids = [first.id, second.id, third.id]
    statements: list[str] = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        found = credentials_of(ids, day)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert len(statements) == 1
    assert [c.kind for c in found[ids[0]]] == ["LPC-S"]
    assert [c.kind for c in found[ids[1]]] == ["BACP"]
    assert found[ids[2]] == []
