"""My data: the page, and the JSON download of everything held about the signed-in person,
which holds their own material and nothing of others' they may not read."""

from __future__ import annotations

import json

from conftest import _PASSWORD_HASH, enrol_second_factor
from flask import Flask
from flask_login import login_user
from privacy_support import (
    ALEX_POST,
    OTHER_GROUP_TEXT,
    PRIVATE_ANNOTATION,
    PRIVATE_NOTE,
    RELEASED_FEEDBACK,
    ROBIN_REPLY,
    SHARED_ANNOTATION,
    UNRELEASED_FEEDBACK,
    document_of,
    download,
    privacy_world,
)
from sqlalchemy import event, select
from support import CLEAN_SECTIONS, revise, shared_case

from supervision.extensions import db
from supervision.models import AuditEntry, TotpCredential, User
from supervision.models.types import utcnow
from supervision.privacy.export import personal_data


def test_the_page_explains_and_offers_a_post_download(app: Flask, make_user, login_as):
    page = login_as(make_user()).get("/account/data").get_data(as_text=True)
    assert "My data" in page and "What the file holds" in page
    assert 'action="/account/data/download"' in page and 'method="post"' in page
    assert 'name="csrf_token"' in page


def test_the_download_is_one_json_attachment_of_the_personal_data_format(
    app: Flask, make_user, make_group, login_as
):
    w = privacy_world(app, make_user, make_group)
    response = download(login_as(w.author))
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    today = utcnow().date().isoformat()
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="attune-my-data-{today}.json"'
    )
    assert response.headers["Cache-Control"] == "no-store"
    document = json.loads(response.data)
    assert document["format"] == "attune-personal-data/1"
    assert document["account"]["email"] == w.author.email
    assert document["account"]["display_name"] == "Alex Author"


def test_it_holds_the_persons_own_material(app: Flask, make_user, make_group, login_as):
    w = privacy_world(app, make_user, make_group)
    document = document_of(login_as(w.author))
    assert [m["group"] for m in document["memberships"]] == ["Tuesday supervision"]
    assert {c["title"] for c in document["cases"]} == {
        "A gift at the last session",
        "A second vignette",
    }
    revision = document["cases"][0]["revisions"][0]
    assert revision["sections"]["moment"] == CLEAN_SECTIONS["moment"]
    assert [p["text"] for p in document["posts_i_wrote"]] == [ALEX_POST]
    feedback = json.dumps(document["feedback_on_my_cases"])
    assert RELEASED_FEEDBACK in feedback and SHARED_ANNOTATION in feedback
    assert document["login_sessions"], "the login this client made"
    actions = {e["action"] for e in document["audit_entries_about_me"]}
    assert "create" in actions  # the cases and posts they wrote


def test_nothing_of_others_they_may_not_read(app: Flask, make_user, make_group, login_as):
    w = privacy_world(app, make_user, make_group)
    body = download(login_as(w.author)).get_data(as_text=True)
    assert RELEASED_FEEDBACK in body  # the check below could not pass on an empty file
    for hidden in (PRIVATE_NOTE, PRIVATE_ANNOTATION, UNRELEASED_FEEDBACK, OTHER_GROUP_TEXT):
        assert hidden not in body, hidden
    assert ROBIN_REPLY not in body  # another member's post is theirs, not Alex's


def test_a_reviewer_gets_their_own_private_notes(app: Flask, make_user, make_group, login_as):
    w = privacy_world(app, make_user, make_group)
    document = document_of(login_as(w.supervisor))
    notes = [r["private_notes"] for r in document["reviews_i_wrote"]]
    assert PRIVATE_NOTE in notes
    assert {a["comment"] for a in document["annotations_i_wrote"]} == {
        SHARED_ANNOTATION,
        PRIVATE_ANNOTATION,
    }
    assert document["cases"] == []


def test_no_secret_hash_or_token_is_in_it(app: Flask, make_user, login_as):
    user = make_user()
    secret = enrol_second_factor(user)
    client = login_as(user)
    body = download(client).get_data(as_text=True)
    account = json.loads(body)["account"]
    assert account["second_factor"]["enrolled"] is True
    user = db.session.get(User, user.id)
    sealed = db.session.scalar(select(TotpCredential.secret_sealed))
    for secret_value in (secret, sealed, _PASSWORD_HASH, user.session_token, "$argon2"):
        assert secret_value not in body


def test_the_download_is_recorded_in_the_audit_trail(app: Flask, make_user, login_as):
    user = make_user()
    client = login_as(user)
    assert download(client).status_code == 200
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "export")).all()
    assert [(e.object_type, e.object_id, e.subject_id, e.actor_id) for e in entries] == [
        ("users", user.id, user.id, user.id)
    ]
    assert json.loads(entries[0].detail) == {"what": "personal data"}


def test_the_download_needs_a_csrf_token_and_a_post(app: Flask, make_user, login_as):
    client = login_as(make_user())
    assert client.post("/account/data/download", data={}).status_code == 400
    assert client.get("/account/data/download").status_code == 405


def _queries_for(app: Flask, user_id: int) -> int:
    statements: list[str] = []

    def count(*_args: object) -> None:
        statements.append("query")

    # A fresh app context: no per-request cache or loaded object of an earlier call helps.
    with app.app_context(), app.test_request_context():
        user = db.session.get(User, user_id)
        login_user(user)
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            personal_data(user, utcnow())
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        db.session.rollback()
    return len(statements)


def test_the_number_of_queries_does_not_grow_with_the_records(app: Flask, make_user, make_group):
    w = privacy_world(app, make_user, make_group)
    before = _queries_for(app, w.author.id)
    with app.test_request_context():
        for title in ("Third", "Fourth", "Fifth"):
            revise(shared_case(w.group, w.author, title), moment="A new revision of the moment.")
    assert _queries_for(app, w.author.id) == before
