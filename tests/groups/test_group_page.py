"""The group page a member lands on: writing a case comes first; leaving is quiet, at the end."""

from __future__ import annotations

import re

from supervision.models import GroupKind, Role


def _header_actions(page: str) -> list[str]:
    match = re.search(r'<div class="page-header__actions">(.*?)</div>', page, re.DOTALL)
    assert match, "no header actions"
    return re.findall(r'<a class="button ([^"]+)" href="([^"]+)"', match.group(1))


def test_a_supervisee_is_offered_write_a_case_first(client, make_user, make_group, login_as):
    facilitator, supervisee = make_user(), make_user()
    group = make_group(members={facilitator: Role.FACILITATOR, supervisee: Role.SUPERVISEE})
    login_as(supervisee)
    page = client.get(f"/groups/{group.id}").get_data(as_text=True)
    actions = _header_actions(page)
    assert actions[0] == ("button--primary", f"/groups/{group.id}/cases/new")
    assert [kind for kind, _ in actions[1:]] == ["button--secondary"] * (len(actions) - 1)
    assert ">Write a case</a>" in page


def test_who_cannot_write_a_case_gets_the_cases_first(client, make_user, make_group, login_as):
    facilitator = make_user()
    group = make_group(members={facilitator: Role.FACILITATOR})  # supervision: not an author
    login_as(facilitator)
    page = client.get(f"/groups/{group.id}").get_data(as_text=True)
    assert _header_actions(page)[0] == ("button--primary", f"/groups/{group.id}/cases")
    assert "Write a case" not in page


def test_a_peer_is_offered_write_a_case_too(client, make_user, make_group, login_as):
    peer = make_user()
    group = make_group(GroupKind.PEER, members={peer: Role.PEER})
    login_as(peer)
    page = client.get(f"/groups/{group.id}").get_data(as_text=True)
    assert _header_actions(page)[0] == ("button--primary", f"/groups/{group.id}/cases/new")


def test_leaving_is_a_quiet_link_at_the_bottom_with_a_confirmation(
    client, make_user, make_group, login_as
):
    facilitator, supervisee = make_user(), make_user()
    group = make_group(members={facilitator: Role.FACILITATOR, supervisee: Role.SUPERVISEE})
    login_as(supervisee)
    page = client.get(f"/groups/{group.id}").get_data(as_text=True)
    leave = re.search(
        rf'<form class="inline-form" method="post" action="/groups/{group.id}/leave">.*?</form>',
        page,
        re.DOTALL,
    )
    assert leave, "no leave form"
    assert 'name="csrf_token"' in leave.group(0)
    assert 'class="button button--danger-link" data-confirm="Leave ' in leave.group(0)
    assert page.index("Members (") < leave.start()  # after everything else on the page
    assert "button--primary" not in leave.group(0) and "button--secondary" not in leave.group(0)
