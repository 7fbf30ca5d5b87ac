"""The notification pages: the count in the navigation, the list, marking read, opening one,
someone else's notification, and the choice of channel per event."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from flask import Flask
from notification_support import (
    GROUP_NAME,
    Client,
    World,
    make_world,
    nav_badge,
    nav_link_name,
    notifications_of,
    shared_case,
)
from sqlalchemy import event, select

from supervision.extensions import db
from supervision.models import Channel, Notification, NotificationEvent, NotificationPreference
from supervision.models.types import utcnow
from supervision.notifications.services import PER_PAGE, default_channel

E = NotificationEvent


@pytest.fixture()
def world(make_user, make_group) -> World:  # type: ignore[no-untyped-def]
    return make_world(make_user, make_group)


def add_notifications(user, count: int, text: str = "Something happened") -> list[Notification]:  # type: ignore[no-untyped-def]
    """``count`` notifications, the later ones newer (text numbered from 0)."""
    start = utcnow() - timedelta(hours=count)
    made = [
        Notification(
            user_id=user.id,
            event=E.CASE_SHARED,
            text=f"{text} {number}",
            url="/groups/",
            created_at=start + timedelta(minutes=number),
        )
        for number in range(count)
    ]
    db.session.add_all(made)
    db.session.commit()
    return made


@contextmanager
def statements() -> Iterator[list[str]]:
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def unread(user) -> int:  # type: ignore[no-untyped-def]
    db.session.expire_all()
    return sum(1 for n in notifications_of(user) if n.read_at is None)


# -- the navigation -----------------------------------------------------------------------------


def test_the_navigation_shows_the_unread_count_with_an_accessible_name(app: Flask, world):
    shared_case(world.group, world.ana)
    add_notifications(world.ben, 2)
    ben = Client(app, world.ben)

    page = ben.text("/groups/")

    assert nav_link_name(page) == "Notifications, 3 unread"
    assert nav_badge(page) == "3"

    ana_page = Client(app, world.ana).text("/groups/")  # the author was not told
    assert nav_link_name(ana_page) == "Notifications"
    assert nav_badge(ana_page) is None


def test_a_large_count_is_shortened_in_the_badge_only(app: Flask, world):
    add_notifications(world.ben, 120)
    page = Client(app, world.ben).text("/groups/")
    assert nav_badge(page) == "99+"
    # The count stops at 100 (it runs on every page): past that, it is "more than 99".
    assert nav_link_name(page) == "Notifications, more than 99 unread"


def test_the_count_is_right_after_reading_and_deleting(app: Flask, world):
    made = add_notifications(world.ben, 5)
    ben = Client(app, world.ben)
    assert nav_badge(ben.text("/groups/")) == "5"
    made[0].read_at = utcnow()
    db.session.delete(made[1])
    db.session.commit()
    assert nav_badge(ben.text("/groups/")) == "3"
    assert ben.post(f"/notifications/{made[2].id}/read").status_code == 302
    assert nav_badge(ben.text("/groups/")) == "2"
    assert ben.post("/notifications/read").status_code == 302
    assert nav_badge(ben.text("/groups/")) is None


def test_the_count_costs_one_query_and_none_for_visitors(app: Flask, world, client):
    add_notifications(world.ben, 3)
    ben = Client(app, world.ben)
    with statements() as seen:
        assert ben.get("/groups/").status_code == 200
    assert len([s for s in seen if "FROM notifications" in s]) == 1

    with statements() as seen:
        page = client.get("/").get_data(as_text=True)
    assert not [s for s in seen if "notifications" in s]
    assert nav_link_name(page) is None


# -- the list -----------------------------------------------------------------------------------


def test_the_list_is_newest_first_marks_unread_and_pages_by_thirty(app: Flask, world):
    made = add_notifications(world.ben, PER_PAGE + 5)
    made[-1].read_at = utcnow()  # the newest is read
    db.session.commit()
    ben = Client(app, world.ben)

    first = ben.text("/notifications")
    texts = re.findall(r'class="notification__open">([^<]+)</button>', first)
    assert len(texts) == PER_PAGE
    assert texts[0] == f"Something happened {PER_PAGE + 4}"
    assert texts[1] == f"Something happened {PER_PAGE + 3}"
    assert first.count('class="notification notification--unread"') == PER_PAGE - 1
    assert first.count(">Unread</span>") == PER_PAGE - 1
    assert first.count(">Mark read<") == PER_PAGE - 1
    assert 'aria-label="Notification pages"' in first and 'rel="prev"' not in first

    second = ben.text(_older_link(first))
    assert re.findall(r'class="notification__open">([^<]+)</button>', second) == [
        f"Something happened {n}" for n in range(4, -1, -1)
    ]
    assert 'rel="next"' not in second
    # The old numbered pages are gone: such a link shows the newest.
    assert ben.text("/notifications?page=2").count('class="notification__open"') == PER_PAGE


def _older_link(page: str) -> str:
    return html.unescape(re.search(r'href="([^"]+)" rel="next"', page).group(1))


def test_the_list_shows_only_ones_own_notifications(app: Flask, world):
    shared_case(world.group, world.ana)
    add_notifications(world.rosa, 1, "For Rosa only")
    page = Client(app, world.ben).text("/notifications")
    assert f"A case was shared in {GROUP_NAME}" in page
    assert "For Rosa only" not in page


def test_an_empty_list_says_so(app: Flask, world):
    page = Client(app, world.otto).text("/notifications")
    assert "Nothing here yet" in page
    assert "Mark all as read" not in page


def test_visitors_are_sent_to_log_in(client, world):
    for path in ("/notifications", "/account/notifications"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


# -- marking read and opening -------------------------------------------------------------------


def test_opening_from_the_list_marks_it_read_and_goes_to_it(app: Flask, world):
    case = shared_case(world.group, world.ana)
    [notification] = notifications_of(world.ben)
    ben = Client(app, world.ben)

    response = ben.post(f"/notifications/{notification.id}/open")

    assert response.status_code == 302
    assert response.headers["Location"] == f"/cases/{case.id}"
    assert unread(world.ben) == 0
    assert ben.get(f"/cases/{case.id}").status_code == 200
    assert nav_link_name(ben.text("/groups/")) == "Notifications"


def test_opening_never_leaves_the_site(app: Flask, world):
    [stored] = add_notifications(world.ben, 1)
    stored.url = "//evil.example/phish"
    db.session.commit()

    response = Client(app, world.ben).post(f"/notifications/{stored.id}/open")

    assert response.headers["Location"] == "/notifications"


def test_mark_one_and_mark_all_read(app: Flask, world):
    made = add_notifications(world.ben, 3)
    ben = Client(app, world.ben)

    response = ben.post(f"/notifications/{made[0].id}/read")
    assert response.status_code == 302
    assert response.headers["Location"] == "/notifications"
    db.session.expire_all()
    assert [n.read_at is not None for n in notifications_of(world.ben)] == [True, False, False]

    response = ben.post("/notifications/read")
    assert response.status_code == 302
    assert unread(world.ben) == 0
    page = ben.text("/notifications")
    assert "notification--unread" not in page
    assert nav_link_name(page) == "Notifications"


def test_marking_read_keeps_the_page(app: Flask, world):
    made = add_notifications(world.ben, PER_PAGE + 1)
    ben = Client(app, world.ben)
    older = _older_link(ben.text("/notifications"))
    second = ben.text(older)
    assert f'action="/notifications/{made[0].id}/read"' in second
    cursor = older.split("after=")[1]
    assert f'name="after" value="{cursor}"' in second  # the form carries the page's cursor
    response = ben.post(f"/notifications/{made[0].id}/read", {"after": cursor})
    assert response.headers["Location"] == older


def test_someone_elses_notification_is_not_found(app: Flask, world):
    [rosas] = add_notifications(world.rosa, 1)
    add_notifications(world.ben, 1)
    ben = Client(app, world.ben)

    assert ben.post(f"/notifications/{rosas.id}/open").status_code == 404
    assert ben.post(f"/notifications/{rosas.id}/read").status_code == 404
    assert ben.post("/notifications/999999/read").status_code == 404
    ben.post("/notifications/read")  # all of Ben's, none of Rosa's
    assert unread(world.rosa) == 1
    assert unread(world.ben) == 0


def test_marking_read_needs_a_post_with_a_csrf_token(app: Flask, world):
    [notification] = add_notifications(world.ben, 1)
    ben = Client(app, world.ben)
    assert ben.get(f"/notifications/{notification.id}/open").status_code == 405
    assert ben.client.post(f"/notifications/{notification.id}/read").status_code == 400
    assert ben.client.post("/notifications/read").status_code == 400
    assert unread(world.ben) == 1


# -- preferences --------------------------------------------------------------------------------


def test_preferences_show_each_events_default_with_one_radio_group_per_event(app: Flask, world):
    page = Client(app, world.ben).text("/account/notifications")

    assert page.count("<fieldset") == len(NotificationEvent)
    for item in NotificationEvent:
        assert item.label in page
        checked = re.search(rf'<input checked[^>]*name="{item.value}"[^>]*value="([a-z_]+)"', page)
        # In the app, but reminders of records to sign go by email too (default_channel).
        assert checked and checked.group(1) == default_channel(item).value, item
    assert default_channel(E.MENTION) is Channel.IN_APP
    assert default_channel(E.MEETING_TO_SIGN) is Channel.EMAIL
    for channel in Channel:
        assert channel.label in page


def test_preferences_are_saved_and_shown_again(app: Flask, world):
    ben = Client(app, world.ben)
    choices = {item.value: Channel.IN_APP.value for item in NotificationEvent}
    choices[E.CASE_SHARED.value] = Channel.OFF.value
    choices[E.REVIEW_RELEASED.value] = Channel.EMAIL.value

    response = ben.post("/account/notifications", choices)

    assert response.status_code == 302
    saved = dict(
        db.session.execute(
            select(NotificationPreference.event, NotificationPreference.channel).where(
                NotificationPreference.user_id == world.ben.id
            )
        ).all()
    )
    assert saved[E.CASE_SHARED] is Channel.OFF
    assert saved[E.REVIEW_RELEASED] is Channel.EMAIL
    assert saved[E.MENTION] is Channel.IN_APP
    page = ben.text("/account/notifications")
    assert re.search(r'<input checked[^>]*name="case_shared"[^>]*value="off"', page)

    shared_case(world.group, world.ana)
    assert notifications_of(world.ben) == []


def test_preferences_refuse_unknown_channels(app: Flask, world):
    ben = Client(app, world.ben)
    choices = {item.value: Channel.IN_APP.value for item in NotificationEvent}
    choices[E.MENTION.value] = "carrier-pigeon"
    response = ben.post("/account/notifications", choices)
    assert response.status_code == 400
    assert db.session.scalars(select(NotificationPreference)).all() == []


def test_the_list_takes_the_same_number_of_queries_whatever_its_length(app: Flask, world):
    ben = Client(app, world.ben)
    add_notifications(world.ben, 2)
    with statements() as few:
        ben.text("/notifications")
    add_notifications(world.ben, PER_PAGE)
    with statements() as many:
        ben.text("/notifications")
    assert len(few) == len(many)


def test_the_facilitator_who_approves_a_case_is_not_told_of_it(app: Flask, world):
    world.group.require_case_approval = True
    db.session.commit()
    case = shared_case(world.group, world.ana)

    response = Client(app, world.fran).post(f"/cases/{case.id}/approve")

    assert response.status_code == 302
    assert notifications_of(world.fran, E.CASE_SHARED) == []
    [to_rosa] = notifications_of(world.rosa, E.CASE_SHARED)
    assert to_rosa.actor_id == world.fran.id
