"""A signed supervision meeting is an occasion for a relationship check (occasions.py): offered
to each attending supervisee, about the meeting's supervisor, once."""

from __future__ import annotations

from conftest import post
from meetings_support import logged, make_world

from supervision.extensions import db
from supervision.models import RelationshipCheck

ANSWERS = {"safety": "6", "goals": "5", "tasks": "6", "heard": "7", "note": ""}


def test_check_in_after_a_signed_meeting(app, client, login_as, make_user, make_group) -> None:  # type: ignore[no-untyped-def]
    with app.test_request_context():
        world = make_world(make_user, make_group)
        signed = logged(world, [world.alex, world.robin])
        unsigned = logged(world, [world.alex], signed=False)
    login_as(world.alex)
    index = client.get("/supervision/").get_data(as_text=True)
    assert f"/supervision/meetings/{signed.id}/check-in" in index
    assert f"/supervision/meetings/{unsigned.id}/check-in" not in index
    assert client.get(f"/supervision/meetings/{unsigned.id}/check-in").status_code == 403
    response = post(client, f"/supervision/meetings/{signed.id}/check-in", ANSWERS)
    assert response.status_code == 302
    check = db.session.scalars(db.select(RelationshipCheck)).one()
    assert (check.occasion_type, check.supervisor_id) == ("meeting", world.supervisor.id)
    assert f"/supervision/meetings/{signed.id}/check-in" not in client.get(
        "/supervision/"
    ).get_data(as_text=True)
    post(client, "/logout")
    login_as(world.kai)  # not there: the meeting does not exist for them
    assert client.get(f"/supervision/meetings/{signed.id}/check-in").status_code == 404
