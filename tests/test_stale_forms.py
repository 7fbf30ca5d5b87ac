"""A stale edit form of every versioned object: opened, then the object changed elsewhere, then
submitted. The answer is 409 with a page that shows both the version now stored and the text the
person submitted (so nothing they wrote is lost and nothing is silently overwritten).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from fuzz.fuzz_support import form_posting_to, submitted
from routes_world import World, build_world
from test_concurrent_writes import WRITERS
from test_routes_by_principal import ROUTES, expected, sign_in
from werkzeug.datastructures import MultiDict

from supervision.extensions import db

STORED = "Stored elsewhere meanwhile"
MINE = "Submitted from the old form"


# object: (the edit page's row in the route table, for who may edit; the page of the object
# given; the field holding its text; the button; the writer of test_concurrent_writes that
# changes it elsewhere)
STALE: dict[str, tuple[str, Callable[[World, int], str], str, str | None, str]] = {
    "case": ("cases.edit", lambda w, i: f"/cases/{i}/edit", "moment", None, "case revision"),
    "review": (
        "reviews.edit",
        lambda w, i: f"/reviews/{i}/edit",
        "overall_feedback",
        "save_draft",
        "review draft",
    ),
    "rubric draft": (
        "rubrics.edit_version",
        lambda w, i: f"/groups/{w.group.id}/rubrics/versions/{i}/edit",
        "name",
        None,
        "rubric draft",
    ),
    "post": (
        "discussions.edit",
        lambda w, i: f"/discussions/posts/{i}/edit",
        "body",
        None,
        "post edit",
    ),
    "annotation": (
        "annotations.edit",
        lambda w, i: f"/annotations/{i}/edit",
        "body",
        None,
        "annotation edit",
    ),
    "agreement": (
        "agreements.edit",
        lambda w, i: f"/agreements/{w.agreement.id}/edit",  # type: ignore[union-attr]
        "goals",
        None,
        "agreement draft",
    ),
    "meeting": (
        "meetings.edit",
        lambda w, i: f"/meetings/{i}/edit",
        "notes",
        None,
        "meeting entry",
    ),
    "evaluation": (
        "evaluations.evaluate",
        lambda w, i: f"/evaluations/{i}/evaluate",
        "overall",
        "save",
        "evaluation part",
    ),
}

_PREFERENCE = ("supervisee", "other_supervisee", "supervisor", "facilitator")


def _editor(route_key: str, world: World) -> str:
    route = ROUTES[route_key]
    return next(p for p in _PREFERENCE if expected(route, p, world) == "allowed")


@pytest.mark.parametrize("name", sorted(STALE))
def test_a_stale_form_gets_a_conflict_page_with_both_versions(
    app: Flask, make_user: Callable[..., Any], make_group: Callable[..., Any], name: str
) -> None:
    route_key, page_of, text_field, button, writer = STALE[name]
    model, object_id, _conflict, write = WRITERS[writer]
    world = build_world(make_user, make_group)
    path = page_of(world, object_id(world))
    client = app.test_client()
    sign_in(client, world.users[_editor(route_key, world)])
    page = client.get(path)
    assert page.status_code == 200, (path, page.status_code)
    form = form_posting_to(page.get_data(as_text=True), path, path)
    assert form is not None and text_field in form.fields, (path, form)

    obj = db.session.get(model, object_id(world))
    write(obj, obj.edit_version, STORED)  # another tab, or the other person
    db.session.commit()

    data = [(k, MINE if k == text_field else v) for k, v in submitted(form, button)]
    response = client.post(path, data=MultiDict(data))
    text = response.get_data(as_text=True)
    problems = re.findall(r"error-summary__list.{0,400}", text, re.S)
    assert response.status_code == 409, (path, response.status_code, problems)
    assert STORED in text, "the page shows the version now stored"
    assert MINE in text, "the page keeps what was submitted"
