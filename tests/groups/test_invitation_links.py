"""An invitation link's token is in one URL only, the emailed one: the app then holds the
invitation in the server-side session, so no later URL, link, ``?next=`` or prefill carries the
token or the invitee's address (access logs and Referer headers see neither)."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import quote, unquote

from conftest import PASSWORD, post
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from supervision.extensions import db
from supervision.mail.services import outgoing
from supervision.models import Invitation, Membership, OutboxMessage, Role
from supervision.models.types import utcnow

INVITEE = "new.person@example.org"
NEW_PASSWORD = "sea glass and quiet rain"
_URL_ATTR = re.compile(r'(?:href|action|src)="([^"]*)"')


def invite(client: FlaskClient, group_id: int, email: str = INVITEE) -> str:
    """Invite ``email`` as supervisee; the path of the emailed link."""
    response = post(
        client,
        f"/groups/{group_id}/invitations",
        {"invite-email": email, "invite-role": Role.SUPERVISEE.value},
    )
    assert response.status_code == 302
    message = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    match = re.search(r"http://localhost(/groups/invitations/[\w-]+)", outgoing(message).body)
    assert match
    return match.group(1)


class Recorder:
    """Every URL a browser requested or was shown (redirects, links, form actions)."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client
        self.urls: list[str] = []

    def _keep(self, response: TestResponse) -> TestResponse:
        for step in [*response.history, response]:
            self.urls.append(step.request.full_path.rstrip("?"))
            if "Location" in step.headers:
                self.urls.append(step.headers["Location"])
        self.urls.extend(_URL_ATTR.findall(response.get_data(as_text=True)))
        return response

    def get(self, path: str) -> TestResponse:
        return self._keep(self.client.get(path, follow_redirects=True))

    def post(self, path: str, data: dict[str, str]) -> TestResponse:
        return self._keep(post(self.client, path, data, follow_redirects=True))


def test_after_the_emailed_link_no_url_carries_the_token_or_the_address(
    app, client, make_user, make_group, login_as
):
    facilitator = make_user("Fran Facilitator")
    group = make_group(members={facilitator: Role.FACILITATOR}, name="Harbour supervision")
    login_as(facilitator)
    link = invite(client, group.id)
    token = link.rsplit("/", 1)[1]

    browser = Recorder(app.test_client())
    landing = browser.get(link)
    assert "You are invited to Harbour supervision" in landing.get_data(as_text=True)
    assert landing.request.path == "/groups/invitation"
    form = browser.get("/register?next=/groups/invitation")
    assert f'value="{INVITEE}"' in form.get_data(as_text=True)  # prefilled from the session
    joined = browser.post(
        "/register?next=/groups/invitation",
        {
            "email": INVITEE,
            "display_name": "New Person",
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
    )
    assert "You are invited to Harbour supervision" in joined.get_data(as_text=True)
    done = browser.post("/groups/invitation", {})
    assert done.request.path == f"/groups/{group.id}"

    assert browser.urls[0] == link  # the one URL that carries the token: the emailed link
    later = browser.urls[1:]
    assert "/register?next=/groups/invitation" in later
    for url in later:
        for secret in (token, INVITEE, quote(INVITEE, safe="")):
            assert secret not in unquote(url), url
    person = db.session.scalar(
        select(Membership).where(
            Membership.group_id == group.id, Membership.user_id != facilitator.id
        )
    )
    assert (person.user.email, person.role) == (INVITEE, Role.SUPERVISEE)


def test_registration_prefill_comes_from_the_session_not_the_url(app, client):
    page = client.get("/register?email=someone@example.org").get_data(as_text=True)
    assert "someone@example.org" not in page


def test_an_expired_session_does_not_send_the_token_to_login(
    app, client, make_user, make_group, login_as
):
    facilitator, invitee = make_user(), make_user(email=INVITEE)
    group = make_group(members={facilitator: Role.FACILITATOR})
    login_as(facilitator)
    link = invite(client, group.id)

    browser = app.test_client()
    post(browser, "/login", {"email": invitee.email, "password": PASSWORD})
    with browser.session_transaction() as session:
        session["login_at"] = (utcnow() - timedelta(hours=13)).isoformat()
    response = browser.get(link)

    assert (response.status_code, response.headers["Location"]) == (303, "/groups/invitation")
    page = browser.get("/groups/invitation", follow_redirects=True).get_data(as_text=True)
    assert "Your session has ended" in page
    assert 'href="/login?next=/groups/invitation"' in page  # signed out; the link still works


def test_a_held_invitation_withdrawn_meanwhile_cannot_be_accepted(
    app, client, make_user, make_group, login_as
):
    facilitator, invitee = make_user(), make_user(email=INVITEE)
    group = make_group(members={facilitator: Role.FACILITATOR})
    login_as(facilitator)
    link = invite(client, group.id)
    browser = app.test_client()
    post(browser, "/login", {"email": invitee.email, "password": PASSWORD})
    assert browser.get(link).status_code == 303
    assert browser.get("/groups/invitation").status_code == 200

    invitation = db.session.scalar(select(Invitation))
    post(client, f"/groups/{group.id}/invitations/{invitation.id}/revoke")
    refused = post(browser, "/groups/invitation")

    assert refused.status_code == 404
    assert "This invitation cannot be used" in refused.get_data(as_text=True)
    assert db.session.scalar(select(Membership).where(Membership.user_id == invitee.id)) is None
    # Forgotten with it: the page now says there is nothing open here.
    again = browser.get("/groups/invitation", follow_redirects=True).get_data(as_text=True)
    assert "No invitation is open in this browser." in again


def test_nothing_open_in_this_browser_is_explained(client):
    response = client.get("/groups/invitation", follow_redirects=True)
    assert response.request.path == "/"
    assert "No invitation is open in this browser." in response.get_data(as_text=True)


def test_accepting_needs_an_account(app, client, make_user, make_group, login_as):
    facilitator = make_user()
    group = make_group(members={facilitator: Role.FACILITATOR})
    login_as(facilitator)
    link = invite(client, group.id)
    browser = app.test_client()
    browser.get(link)
    response = post(browser, "/groups/invitation")
    assert response.status_code == 302
    assert unquote(response.headers["Location"]) == "/login?next=/groups/invitation"


def test_the_invitation_survives_logging_in(app, client, make_user, make_group, login_as):
    facilitator, invitee = make_user(), make_user(email=INVITEE)
    group = make_group(members={facilitator: Role.FACILITATOR})
    login_as(facilitator)
    link = invite(client, group.id)
    browser = app.test_client()
    page = browser.get(link, follow_redirects=True).get_data(as_text=True)
    assert 'href="/login?next=/groups/invitation"' in page

    signed_in = post(
        browser,
        "/login?next=/groups/invitation",
        {"email": invitee.email, "password": PASSWORD},
        follow_redirects=True,
    )  # a fresh session id at login; the held invitation moves with it

    assert signed_in.request.path == "/groups/invitation"
    assert "Join the group" in signed_in.get_data(as_text=True)
    assert post(browser, "/groups/invitation").headers["Location"] == f"/groups/{group.id}"
    membership = db.session.scalar(select(Membership).where(Membership.user_id == invitee.id))
    assert membership is not None and membership.role is Role.SUPERVISEE
