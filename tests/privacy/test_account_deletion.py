"""Deleting one's account: cases withdrawn, the account anonymized as "Former member", what
others answered kept, every session ended; refused without the password, the code or the typed
confirmation, and for the only facilitator of a group with other members."""

from __future__ import annotations

from datetime import date

import pyotp
from conftest import PASSWORD, csrf_token, enrol_second_factor
from flask import Flask
from privacy_support import (
    ALEX_POST,
    RELEASED_FEEDBACK,
    ROBIN_REPLY,
    SHARED_ANNOTATION,
    privacy_world,
)
from sqlalchemy import func, select
from support import Browser, shared_case, supervision_world

from supervision.extensions import db
from supervision.models import (
    Annotation,
    AuditEntry,
    Case,
    GroupKind,
    LoginSession,
    Meeting,
    MeetingAttendee,
    MeetingFormat,
    MeetingModality,
    Membership,
    Notification,
    Post,
    Review,
    Role,
    TotpCredential,
    User,
)
from supervision.models.types import utcnow
from supervision.passwords import verify_password
from supervision.reviews.services import start_review


def _delete(client, password: str = PASSWORD, confirmation: str = "DELETE", code: str = ""):  # type: ignore[no-untyped-def]
    data = {"password": password, "code": code, "confirmation": confirmation}
    token = csrf_token(client, "/account/delete")
    return client.post("/account/delete", data={"csrf_token": token, **data})


def _count(model, *conditions) -> int:  # type: ignore[no-untyped-def]
    return db.session.scalar(select(func.count()).select_from(model).where(*conditions)) or 0


def test_the_page_explains_the_rule(app: Flask, make_user, login_as):
    page = login_as(make_user()).get("/account/delete").get_data(as_text=True)
    assert "Your cases are withdrawn" in page and "Former member" in page
    assert 'name="password"' in page and 'name="confirmation"' in page
    assert 'name="code"' not in page  # asked only of those with a second factor


def test_deleting_withdraws_anonymizes_and_keeps_what_others_answered(
    app: Flask, make_user, make_group, login_as
):
    w = privacy_world(app, make_user, make_group)
    alex_id, email = w.author.id, w.author.email
    assert _count(Case, Case.author_id == alex_id) == 2
    response = _delete(login_as(w.author))
    assert response.status_code == 302 and response.headers["Location"] == "/account/deleted"
    db.session.expire_all()
    assert _count(Case, Case.author_id == alex_id) == 0
    assert _count(Membership, Membership.user_id == alex_id) == 0
    assert _count(Notification, Notification.user_id == alex_id) == 0
    assert _count(LoginSession, LoginSession.user_id == alex_id) == 0
    alex = db.session.get(User, alex_id)
    assert alex.email == f"deleted-{alex_id}@invalid" and alex.display_name == "Former member"
    assert (
        alex.is_disabled and alex.is_deleted and not verify_password(alex.password_hash, PASSWORD)
    )
    assert db.session.get(Post, w.post.id).author_id == alex_id  # the post stays, theirs
    page = Browser(app, w.reader).text(f"/discussions/{w.post.thread_id}")
    assert ALEX_POST in page and ROBIN_REPLY in page and "Former member" in page
    assert "Alex Author" not in page and email not in page
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "account_deleted"))
    assert entry is not None and entry.subject_id == alex_id and "cases" in entry.detail


def test_it_ends_every_session_and_the_login(app: Flask, make_user, make_group, login_as):
    w = privacy_world(app, make_user, make_group)
    email = w.author.email
    elsewhere = Browser(app, w.author)  # another browser, signed in before
    assert elsewhere.status("/account/data") == 200
    client = login_as(w.author)
    assert _delete(client).status_code == 302
    done = client.get("/account/deleted").get_data(as_text=True)
    assert "Your account is deleted" in done
    assert client.get("/account/data").status_code == 302  # logged out here
    response = elsewhere.get("/account/data")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    login = client.post(
        "/login",
        data={"email": email, "password": PASSWORD, "csrf_token": csrf_token(client)},
    )
    assert login.status_code == 200 and "do not match" in login.get_data(as_text=True)


def test_the_address_is_free_to_register_again(app: Flask, make_user, login_as):
    user = make_user(email="again@example.org")
    client = login_as(user)
    assert _delete(client).status_code == 302
    response = client.post(
        "/register",
        data={
            "email": "again@example.org",
            "display_name": "Back Again",
            "password": "a different calm harbour",
            "confirm": "a different calm harbour",
            "csrf_token": csrf_token(client, "/register"),
        },
    )
    assert response.status_code == 302
    assert _count(User, User.email == "again@example.org") == 1


def test_refused_without_the_right_password_or_confirmation(app: Flask, make_user, login_as):
    user = make_user()
    client = login_as(user)
    wrong = _delete(client, password="not my password")
    assert wrong.status_code == 200 and "That password is not correct." in wrong.get_data(
        as_text=True
    )
    unconfirmed = _delete(client, confirmation="delete it")
    assert "Type DELETE in capital letters" in unconfirmed.get_data(as_text=True)
    empty = _delete(client, confirmation="")
    assert "Type DELETE to confirm." in empty.get_data(as_text=True)
    db.session.expire_all()
    assert not db.session.get(User, user.id).is_deleted
    assert client.get("/account/data").status_code == 200  # still signed in


def test_a_second_factor_code_is_asked_of_those_who_have_one(
    app: Flask, make_user, login_as, totp_clock
):
    user = make_user()
    secret = enrol_second_factor(user)
    client = login_as(user)
    assert 'name="code"' in client.get("/account/delete").get_data(as_text=True)
    missing = _delete(client)
    assert "Enter the code from your authenticator app." in missing.get_data(as_text=True)
    assert "That code is not right" in _delete(client, code="000000").get_data(as_text=True)
    db.session.expire_all()
    assert not db.session.get(User, user.id).is_deleted
    code = pyotp.TOTP(secret).at(totp_clock)
    assert _delete(client, code=code).status_code == 302
    assert _count(TotpCredential, TotpCredential.user_id == user.id) == 0


def test_the_only_facilitator_of_a_group_with_members_must_hand_it_over(
    app: Flask, make_user, make_group, login_as
):
    fran, robin = make_user("Fran Facilitator"), make_user("Robin Reader")
    group = make_group(GroupKind.PEER, {fran: Role.FACILITATOR, robin: Role.PEER}, name="Peers")
    client = login_as(fran)
    page = client.get("/account/delete").get_data(as_text=True)
    assert "Hand your groups over first" in page and "Peers" in page
    refused = _delete(client).get_data(as_text=True)
    assert "You are the only facilitator of Peers" in refused
    db.session.expire_all()
    assert not db.session.get(User, fran.id).is_deleted
    robin_membership = db.session.scalar(select(Membership).where(Membership.user_id == robin.id))
    robin_membership.role = Role.FACILITATOR  # handed over
    db.session.commit()
    assert _delete(client).status_code == 302
    assert db.session.get(User, fran.id).is_deleted
    assert group.id == db.session.get(Membership, robin_membership.id).group_id


def test_alone_in_a_group_one_may_go(app: Flask, make_user, make_group, login_as):
    fran = make_user()
    make_group(GroupKind.PEER, {fran: Role.FACILITATOR})
    assert _delete(login_as(fran)).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, fran.id).is_deleted


def test_a_deleted_reviewers_feedback_stays_under_former_member(
    app: Flask, make_user, make_group, login_as
):
    """The supervisee keeps the feedback they were given; the reviewer's private notes,
    private annotations and draft reviews go, and no check-in is offered about nobody."""
    w = privacy_world(app, make_user, make_group)
    review_id = db.session.scalar(select(Review.id).where(Review.case_id == w.case.id))
    with app.test_request_context():
        draft = start_review(shared_case(w.group, w.author, "A third vignette"), w.supervisor)
        db.session.commit()
        draft_id = draft.id
    alex = Browser(app, w.author)
    assert "check-in-offer" in alex.text(f"/reviews/{review_id}")
    assert _delete(login_as(w.supervisor)).status_code == 302
    page = alex.text(f"/reviews/{review_id}")
    assert RELEASED_FEEDBACK in page and "Former member" in page
    assert "Sam Supervisor" not in page and "check-in-offer" not in page
    db.session.expire_all()
    assert db.session.get(Review, review_id).private_notes == ""
    assert db.session.get(Review, draft_id) is None
    news = db.session.scalars(select(Notification.text).where(Notification.user_id == w.author.id))
    assert "Former member released a review of your case in Tuesday supervision" in list(news)
    comments = set(db.session.scalars(select(Annotation.body)))
    assert comments == {SHARED_ANNOTATION}  # the private aside went, the shared one stayed


def test_signatures_stay_with_the_date_under_former_member(
    app: Flask, make_user, make_group, login_as
):
    w = supervision_world(make_user, make_group)
    signed_at = utcnow()
    meeting = Meeting(
        group=w.group,
        held_on=date(2026, 3, 3),
        duration_minutes=60,
        format=MeetingFormat.INDIVIDUAL,
        modality=MeetingModality.VIDEO,
        supervisor_id=w.supervisor.id,
        attendees=[MeetingAttendee(user_id=w.author.id)],
        signed_name="Sam Supervisor",
        signed_at=signed_at,
    )
    db.session.add(meeting)
    db.session.commit()
    assert _delete(login_as(w.supervisor)).status_code == 302
    db.session.expire_all()
    kept = db.session.get(Meeting, meeting.id)
    assert kept.signed_name == "Former member" and kept.signed_at == signed_at
    assert kept.supervisor_id == w.supervisor.id
