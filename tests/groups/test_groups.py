"""Groups, roles and invitations through the pages a facilitator and members use."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from conftest import PASSWORD, post
from sqlalchemy import select

from supervision.extensions import db
from supervision.groups.services import GroupError, change_role, remove_member
from supervision.mail.services import outgoing
from supervision.models import Group, GroupKind, Invitation, Membership, OutboxMessage, Role
from supervision.models.types import utcnow


def invitation_path(message: OutboxMessage) -> str:
    body = outgoing(message).body  # the link is sealed in the outbox, in the mail as sent
    match = re.search(r"http://localhost(/groups/invitations/\S+)", body)
    assert match, body
    return match.group(1)


def role_of(group: Group, user) -> Role | None:  # type: ignore[no-untyped-def]
    return db.session.scalar(
        select(Membership.role).where(
            Membership.group_id == group.id, Membership.user_id == user.id
        )
    )


def test_creator_becomes_facilitator(client, make_user, login_as):
    user = make_user()
    login_as(user)
    response = post(
        client,
        "/groups/new",
        {
            "name": "  Tuesday   supervision ",
            "kind": "supervision",
            "description": "We meet weekly.",
        },
    )
    group = db.session.scalar(select(Group))
    assert response.headers["Location"] == f"/groups/{group.id}"
    assert group.name == "Tuesday supervision"
    assert group.kind is GroupKind.SUPERVISION
    assert role_of(group, user) is Role.FACILITATOR
    page = client.get(f"/groups/{group.id}").get_data(as_text=True)
    assert "Tuesday supervision" in page and "Facilitator" in page


def test_create_group_explains_missing_name(client, make_user, login_as):
    login_as(make_user())
    page = post(client, "/groups/new", {"name": "", "kind": "peer"})
    assert page.status_code == 200
    assert "Give the group a name." in page.get_data(as_text=True)
    assert db.session.scalar(select(Group)) is None


def test_my_groups_lists_only_mine_with_role(client, make_user, make_group, login_as):
    me, other = make_user(), make_user()
    mine = make_group(members={me: Role.SUPERVISEE, other: Role.FACILITATOR}, name="Mine")
    make_group(members={other: Role.FACILITATOR}, name="Not mine")
    login_as(me)
    page = client.get("/groups/").get_data(as_text=True)
    assert mine.name in page and "Supervisee" in page
    assert "Not mine" not in page


def test_invite_new_person_who_registers_and_accepts(app, client, make_user, make_group, login_as):
    facilitator = make_user()
    group = make_group(members={facilitator: Role.FACILITATOR})
    login_as(facilitator)
    response = post(
        client,
        f"/groups/{group.id}/invitations",
        {"invite-email": "New.Person@Example.org", "invite-role": "supervisor"},
    )
    assert response.status_code == 302
    message = db.session.scalar(select(OutboxMessage))
    assert message.recipient == "new.person@example.org"
    path = invitation_path(message)

    newcomer = app.test_client()
    opened = newcomer.get(path)
    assert (opened.status_code, opened.headers["Location"]) == (303, "/groups/invitation")
    landing = newcomer.get("/groups/invitation").get_data(as_text=True)
    assert "Create an account" in landing
    assert 'href="/register?next=/groups/invitation"' in landing
    post(
        newcomer,
        "/register?next=/groups/invitation",
        {
            "email": "new.person@example.org",
            "display_name": "New Person",
            "password": "sea glass and quiet rain",
            "confirm": "sea glass and quiet rain",
        },
    )
    response = post(newcomer, "/groups/invitation")
    assert response.headers["Location"] == f"/groups/{group.id}"
    person = db.session.scalar(
        select(Membership).where(
            Membership.group_id == group.id, Membership.role == Role.SUPERVISOR
        )
    )
    assert person.user.email == "new.person@example.org"
    # Single use.
    assert newcomer.get(path).status_code == 404


def test_invite_existing_account(app, client, make_user, make_group, login_as):
    facilitator, colleague = make_user(), make_user(email="colleague@example.org")
    group = make_group(members={facilitator: Role.FACILITATOR})
    login_as(facilitator)
    post(
        client,
        f"/groups/{group.id}/invitations",
        {"invite-email": "colleague@example.org", "invite-role": "supervisee"},
    )
    path = invitation_path(db.session.scalar(select(OutboxMessage)))
    other = app.test_client()
    post(other, "/login", {"email": colleague.email, "password": PASSWORD})
    other.get(path)
    post(other, "/groups/invitation")
    assert role_of(group, colleague) is Role.SUPERVISEE


def test_invitation_for_another_address_is_refused(app, client, make_user, make_group, login_as):
    facilitator, stranger = make_user(), make_user()
    group = make_group(members={facilitator: Role.FACILITATOR})
    login_as(facilitator)
    post(
        client,
        f"/groups/{group.id}/invitations",
        {"invite-email": "someone@example.org", "invite-role": "supervisee"},
    )
    path = invitation_path(db.session.scalar(select(OutboxMessage)))
    other = app.test_client()
    post(other, "/login", {"email": stranger.email, "password": PASSWORD})
    other.get(path)
    page = post(other, "/groups/invitation", follow_redirects=True).get_data(as_text=True)
    assert "someone@example.org" in page
    assert role_of(group, stranger) is None


def test_expired_invitation_cannot_be_used(client, make_user, make_group, login_as):
    facilitator = make_user()
    group = make_group(members={facilitator: Role.FACILITATOR})
    login_as(facilitator)
    post(
        client,
        f"/groups/{group.id}/invitations",
        {"invite-email": "late@example.org", "invite-role": "supervisee"},
    )
    invitation = db.session.scalar(select(Invitation))
    assert invitation.expires_at - utcnow() > timedelta(days=6, hours=23)
    invitation.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    path = invitation_path(db.session.scalar(select(OutboxMessage)))
    assert client.get(path).status_code == 404


def test_invite_rejects_role_the_group_kind_lacks(client, make_user, make_group, login_as):
    facilitator = make_user()
    group = make_group(GroupKind.PEER, members={facilitator: Role.FACILITATOR})
    login_as(facilitator)
    response = post(
        client,
        f"/groups/{group.id}/invitations",
        {"invite-email": "x@example.org", "invite-role": "supervisee"},
    )
    assert response.status_code == 400
    assert "Not a valid choice" in response.get_data(as_text=True)
    assert db.session.scalar(select(Invitation)) is None


def test_invite_existing_member_is_explained(client, make_user, make_group, login_as):
    facilitator, member = make_user(), make_user(email="member@example.org")
    group = make_group(members={facilitator: Role.FACILITATOR, member: Role.SUPERVISEE})
    login_as(facilitator)
    response = post(
        client,
        f"/groups/{group.id}/invitations",
        {"invite-email": "member@example.org", "invite-role": "supervisee"},
    )
    assert response.status_code == 400
    assert "already a member" in response.get_data(as_text=True)


def test_reinvite_replaces_the_old_link(client, make_user, make_group, login_as):
    facilitator = make_user()
    group = make_group(members={facilitator: Role.FACILITATOR})
    login_as(facilitator)
    for _ in range(2):
        post(
            client,
            f"/groups/{group.id}/invitations",
            {"invite-email": "twice@example.org", "invite-role": "supervisee"},
        )
    first, second = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert client.get(invitation_path(first)).status_code == 404
    assert client.get(invitation_path(second)).status_code == 303


def test_facilitator_changes_role_and_removes_member(client, make_user, make_group, login_as):
    facilitator, member = make_user(), make_user("Robin")
    group = make_group(members={facilitator: Role.FACILITATOR, member: Role.SUPERVISEE})
    membership = db.session.scalar(select(Membership).where(Membership.user_id == member.id))
    login_as(facilitator)
    post(client, f"/groups/{group.id}/members/{membership.id}/role", {"role": "supervisor"})
    assert role_of(group, member) is Role.SUPERVISOR
    post(client, f"/groups/{group.id}/members/{membership.id}/remove")
    assert role_of(group, member) is None


def test_membership_of_another_group_is_not_found(client, make_user, make_group, login_as):
    facilitator, stranger = make_user(), make_user()
    group = make_group(members={facilitator: Role.FACILITATOR})
    other = make_group(members={stranger: Role.FACILITATOR})
    foreign = db.session.scalar(select(Membership).where(Membership.group_id == other.id))
    login_as(facilitator)
    response = post(client, f"/groups/{group.id}/members/{foreign.id}/remove")
    assert response.status_code == 404
    assert role_of(other, stranger) is Role.FACILITATOR


def test_group_keeps_at_least_one_facilitator(client, make_user, make_group, login_as):
    facilitator, member = make_user(), make_user()
    group = make_group(members={facilitator: Role.FACILITATOR, member: Role.SUPERVISEE})
    own = db.session.scalar(select(Membership).where(Membership.user_id == facilitator.id))
    login_as(facilitator)
    page = post(
        client,
        f"/groups/{group.id}/members/{own.id}/role",
        {"role": "supervisee"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "at least one facilitator" in page
    assert role_of(group, facilitator) is Role.FACILITATOR
    page = post(client, f"/groups/{group.id}/leave", follow_redirects=True).get_data(as_text=True)
    assert "at least one facilitator" in page
    with pytest.raises(GroupError):
        remove_member(own)
    with pytest.raises(GroupError):
        change_role(own, Role.SUPERVISOR)


def test_member_leaves(client, make_user, make_group, login_as):
    facilitator, member = make_user(), make_user()
    group = make_group(
        members={facilitator: Role.FACILITATOR, member: Role.PEER}, kind=GroupKind.PEER
    )
    login_as(member)
    response = post(client, f"/groups/{group.id}/leave")
    assert response.headers["Location"] == "/groups/"
    assert role_of(group, member) is None
    assert client.get(f"/groups/{group.id}").status_code == 404


def test_same_person_holds_different_roles_in_different_groups(make_user, make_group):
    person = make_user()
    supervision = make_group(members={person: Role.SUPERVISEE})
    peer = make_group(GroupKind.PEER, members={person: Role.FACILITATOR})
    assert role_of(supervision, person) is Role.SUPERVISEE
    assert role_of(peer, person) is Role.FACILITATOR


def test_settings_saves_name_and_description(client, make_user, make_group, login_as):
    facilitator = make_user()
    group = make_group(members={facilitator: Role.FACILITATOR})
    login_as(facilitator)
    post(client, f"/groups/{group.id}/settings", {"name": "Renamed", "description": "New aim"})
    db.session.refresh(group)
    assert (group.name, group.description) == ("Renamed", "New aim")
    page = post(client, f"/groups/{group.id}/settings", {"name": "x" * 121})
    assert "120 characters" in page.get_data(as_text=True)


def test_withdrawn_invitation_stops_working(client, make_user, make_group, login_as):
    facilitator = make_user()
    group = make_group(members={facilitator: Role.FACILITATOR})
    login_as(facilitator)
    post(
        client,
        f"/groups/{group.id}/invitations",
        {"invite-email": "maybe@example.org", "invite-role": "supervisee"},
    )
    invitation = db.session.scalar(select(Invitation))
    post(client, f"/groups/{group.id}/invitations/{invitation.id}/revoke")
    assert client.get(invitation_path(db.session.scalar(select(OutboxMessage)))).status_code == 404
