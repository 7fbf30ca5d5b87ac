"""The demo workspace tells the relationship story: Tomás's check-ins pool into three periods,
the last one lower, so his desk suggests naming a possible rupture; each check-in follows the
released review it is about."""

from __future__ import annotations

from conftest import csrf_token
from flask import Flask
from sqlalchemy import select

from supervision.demo.accounts import DEMO_PASSWORD
from supervision.demo.people import demo_email
from supervision.extensions import db
from supervision.models import RelationshipCheck, Review, User
from supervision.models.types import utcnow
from supervision.permissions import Permission, can
from supervision.relationship.trend import trend_for


def _load(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()


def _person(handle: str) -> User:
    return db.session.scalars(select(User).where(User.email == demo_email(handle))).one()


def test_tomas_sees_a_pooled_trend_with_a_drop(app: Flask) -> None:
    _load(app)
    tomas = _person("tomas")
    assert can(tomas, Permission.RELATIONSHIP_TREND_VIEW, tomas)
    trend = trend_for(tomas)
    assert len(trend.periods) == 3
    assert trend.suggests_naming_rupture
    assert len(trend.notes) >= 3
    rosa = _person("rosa")
    assert not can(rosa, Permission.RELATIONSHIP_TREND_VIEW, rosa)  # nobody answered about her


def test_each_check_in_follows_its_review_and_is_in_the_past(app: Flask) -> None:
    _load(app)
    now = utcnow()
    rows = db.session.execute(
        select(RelationshipCheck.created_at, Review.released_at).join(
            Review, Review.id == RelationshipCheck.occasion_id
        )
    ).all()
    assert len(rows) == 9
    assert all(released < answered < now for answered, released in rows)


def test_the_demo_desk_shows_the_trend_and_the_wish_to_talk(app: Flask) -> None:
    _load(app)
    client = app.test_client()
    response = client.post(
        "/login",
        data={
            "email": demo_email("tomas"),
            "password": DEMO_PASSWORD,
            "csrf_token": csrf_token(client),
        },
    )
    assert response.status_code == 302
    desk = client.get("/desk/").get_data(as_text=True)
    assert "points down" in desk and "/desk/relationship" in desk
    notifications = client.get("/notifications").get_data(as_text=True)
    assert "would like to talk about how supervision is going" in notifications
