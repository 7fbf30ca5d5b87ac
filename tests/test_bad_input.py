"""Bad input never answers 500: out-of-range ids in paths, query strings, forms and JSON bodies,
and JSON nested deeper than anyone writes it. Run on SQLite and, with TEST_DATABASE_URL, on
PostgreSQL, whose ``integer`` columns refuse anything past 2**31 - 1.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from conftest import csrf_token
from flask import Flask
from routes_world import World, build_world, selection
from test_routes_by_principal import ROUTES, sign_in

from supervision.routing import DB_INT_MAX, DB_INT_MIN

HUGE = "999999999999999999999999999999"
# Zero, negative, just past PostgreSQL's integer, past BIGINT, and far past both.
BAD_IDS = ["0", "-1", str(DB_INT_MAX + 1), str(2**63), HUGE]
# What a mangled link or a curious user puts in a query string or a form.
BAD_NUMBERS = ["abc", "-1", "0", "1e9", str(DB_INT_MIN - 1), str(DB_INT_MAX + 1), HUGE]
# Every integer the views read from a query string (and a few other parameters next to them).
QUERY_PARAMETERS = ["page", "revision", "from", "to", "reply_to", "author", "status", "next"]
# Integer fields that forms and JSON bodies carry.
INT_FIELDS = ["edit_version", "revision", "start", "end", "reply_to", "page", "level"]
_INT_PARAMETER = re.compile(r"<int:(\w+)>")


def _path_with(rule: str, value: str) -> str:
    path = _INT_PARAMETER.sub(value, rule)
    return re.sub(r"<(?:\w+(?:\([^)]*\))?:)?\w+>", "boundaries", path)


def _world(app: Flask, make_user: Any, make_group: Any) -> World:
    return build_world(make_user, make_group)


def _problems(responses: list[tuple[str, int]], allowed: set[int] | None = None) -> list[str]:
    return [
        f"{what}: {status}"
        for what, status in responses
        if status >= 500 or (allowed is not None and status not in allowed)
    ]


def test_the_id_range_is_the_databases_integer(app: Flask) -> None:
    """The id columns are INTEGER: 32 bits on PostgreSQL, so that is the range a path accepts."""
    from sqlalchemy import Integer

    from supervision.extensions import db

    for table in db.metadata.sorted_tables:
        for column in table.primary_key.columns:
            assert isinstance(column.type, Integer), f"{table.name}.{column.name}"
    assert DB_INT_MAX == 2**31 - 1


@pytest.mark.parametrize("bad", BAD_IDS)
def test_every_route_with_an_id_refuses_ids_out_of_range(app, client, make_user, bad):
    """Every route of the URL map with an int in its path: an id no row can have is a 404."""
    sign_in(client, make_user(site_admin=True))
    token = csrf_token(client, "/cases/mine")
    answers: list[tuple[str, int]] = []
    rules = [r for r in app.url_map.iter_rules() if _INT_PARAMETER.search(r.rule)]
    assert len(rules) > 40  # the walk covers the app, not a sample
    for rule in rules:
        path = _path_with(rule.rule, bad)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if method == "GET":
                response = client.get(path)
            else:
                response = client.post(path, data={"csrf_token": token})
            answers.append((f"{method} {path}", response.status_code))
    assert not _problems(answers, {404}), _problems(answers, {404})


def test_ids_in_range_still_reach_the_views(app, client, make_user, make_group):
    """The converter only refuses what no row can have: the largest INTEGER is an unknown id."""
    user = make_user()
    sign_in(client, user)
    group = make_group()
    assert client.get(f"/groups/{DB_INT_MAX}").status_code == 404
    assert client.get(f"/groups/{group.id:05d}").status_code in (200, 404)
    with app.test_request_context():
        from flask import url_for

        assert url_for("groups.home", group_id=DB_INT_MAX) == f"/groups/{DB_INT_MAX}"


@pytest.mark.parametrize("who", ["facilitator", "supervisee"])
def test_query_parameters_out_of_range_never_fail(app, make_user, make_group, who):
    """Every page, with every known query parameter set to junk: never a 500."""
    world = _world(app, make_user, make_group)
    client = app.test_client()
    sign_in(client, world.users[who])
    pages = sorted({route.path(world) for route in ROUTES.values() if route.method == "GET"})
    answers: list[tuple[str, int]] = []
    for page in pages:
        for value in BAD_NUMBERS:
            query = "&".join(f"{name}={value}" for name in QUERY_PARAMETERS)
            answers.append((f"{page}?{query}", client.get(f"{page}?{query}").status_code))
        for name in QUERY_PARAMETERS:  # one at a time, so an early refusal hides no later read
            path = f"{page}?{name}={HUGE}"
            answers.append((path, client.get(path).status_code))
    assert not _problems(answers), _problems(answers)


def test_a_number_too_large_for_any_row_is_a_bad_request(app, make_user, make_group):
    world = _world(app, make_user, make_group)
    client = app.test_client()
    sign_in(client, world.users["supervisee"])
    case = world.cases["shared"]
    assert client.get(f"/cases/{case.id}?revision={HUGE}").status_code == 400
    assert client.get(f"/cases/{case.id}/revisions?from=1&to={HUGE}").status_code == 400
    # The lists page by cursor now: a page number, however large, is ignored (the first page).
    assert client.get(f"/notifications?page={DB_INT_MAX + 1}").status_code == 200
    # What Werkzeug's type=int always ignored is still ignored: the page is shown.
    assert client.get(f"/cases/{case.id}?revision=abc").status_code == 200
    assert client.get("/notifications?page=-1").status_code == 200


def test_form_posts_with_numbers_out_of_range_never_fail(app, make_user, make_group):
    """Every state change, with its valid form and each integer field set to junk."""
    answers: list[tuple[str, int]] = []
    for key, route in sorted(ROUTES.items()):
        if route.method != "POST" or route.json:
            continue
        world = _world(app, make_user, make_group)
        client = app.test_client()
        sign_in(client, world.users["facilitator"])
        token = csrf_token(client, "/cases/mine")
        path, form = route.path(world), route.form(world) if route.form else {}
        for value in (HUGE, str(DB_INT_MAX + 1), "abc"):
            data = {"csrf_token": token, **form, **dict.fromkeys(INT_FIELDS, value)}
            answers.append((f"{key} {value}", client.post(path, data=data).status_code))
    assert not _problems(answers), _problems(answers)


def _edit_forms(world: World) -> list[tuple[str, str, dict[str, Any]]]:
    """The edit forms that carry an ``edit_version``, as their pages would post them."""
    review = world.reviews["draft"]
    return [
        ("supervisee", f"/cases/{world.cases['draft'].id}/edit", {"title": "T", "context": "c"}),
        (
            "facilitator",
            f"/groups/{world.group.id}/rubrics/versions/{world.rubric_versions['draft'].id}/edit",
            {"name": "R"},
        ),
        ("supervisor", f"/reviews/{review.id}/edit", {"overall_feedback": "Fine."}),
    ]


@pytest.mark.parametrize("value", ["abc", HUGE, "1.5"])
def test_a_garbled_edit_version_is_not_a_server_error(app, make_user, make_group, value):
    world = _world(app, make_user, make_group)
    answers: list[tuple[str, int]] = []
    for who, path, fields in _edit_forms(world):
        client = app.test_client()
        sign_in(client, world.users[who])
        data = {"csrf_token": csrf_token(client, "/cases/mine"), **fields, "edit_version": value}
        answers.append((path, client.post(path, data=data).status_code))
    assert not _problems(answers), _problems(answers)


# -- JSON bodies ------------------------------------------------------------------------------


def _json_endpoints(world: World) -> list[tuple[str, str, dict[str, Any]]]:
    """Every view that reads a JSON body (grep get_json), with a valid body and its author."""
    review = world.reviews["draft"]
    return [
        (
            "supervisor",
            f"/cases/{world.cases['shared'].id}/annotations",
            {**selection(world.cases["shared"]), "body": "Notice the pause."},
        ),
        ("supervisor", f"/reviews/{review.id}/autosave", {"edit_version": review.edit_version}),
    ]


def test_every_json_endpoint_is_listed(app: Flask) -> None:
    """A new view reading JSON must join _json_endpoints (and so the tests below)."""
    import pathlib

    root = pathlib.Path(app.root_path)
    readers = sorted(
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if re.search(r"get_json\(|request\.json\b", path.read_text()) and path.name != "requests.py"
    )
    assert readers == ["annotations/views.py", "reviews/views.py"]


def _post_json(client: Any, path: str, body: Any = None, raw: str | None = None) -> Any:
    headers = {"X-CSRFToken": csrf_token(client, "/cases/mine")}
    if raw is not None:
        return client.post(path, data=raw, content_type="application/json", headers=headers)
    return client.post(path, json=body, headers=headers)


def test_json_ids_out_of_range_are_refused(app, make_user, make_group):
    world = _world(app, make_user, make_group)
    answers: list[tuple[str, int]] = []
    for who, path, body in _json_endpoints(world):
        client = app.test_client()
        sign_in(client, world.users[who])
        for field in INT_FIELDS:
            for value in (int(HUGE), DB_INT_MAX + 1, -(2**63), "abc", 1.5, [1], {"a": 1}):
                response = _post_json(client, path, {**body, field: value})
                answers.append((f"{path} {field}={value!r}", response.status_code))
        # A number with more digits than Python converts by default.
        raw = '{"edit_version": ' + "9" * 5000 + "}"
        answers.append((f"{path} 5000 digits", _post_json(client, path, raw=raw).status_code))
    assert not _problems(answers), _problems(answers)


@pytest.mark.parametrize("shape", ["list", "object", "mixed"])
def test_deeply_nested_json_is_a_bad_request(app, make_user, make_group, shape):
    depth = 100_000
    raw = {
        "list": "[" * depth + "]" * depth,
        "object": '{"a":' * depth + "1" + "}" * depth,
        "mixed": '{"edit_version": ' + '[{"a":' * (depth // 2) + "1" + "}]" * (depth // 2) + "}",
    }[shape]
    world = _world(app, make_user, make_group)
    for who, path, _body in _json_endpoints(world):
        client = app.test_client()
        sign_in(client, world.users[who])
        response = _post_json(client, path, raw=raw)
        assert response.status_code == 400, (path, response.status_code)
        assert response.is_json and response.get_json()["ok"] is False


def test_nesting_is_refused_past_the_limit_and_accepted_below_it(app):
    from werkzeug.exceptions import BadRequest

    from supervision.requests import MAX_JSON_DEPTH

    fine = "[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH
    deep = "[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1)
    with app.test_request_context("/", method="POST", data=fine, content_type="application/json"):
        from flask import request

        assert request.get_json() is not None
    with app.test_request_context("/", method="POST", data=deep, content_type="application/json"):
        assert request.get_json(silent=True) is None
        with pytest.raises(BadRequest):
            request.get_json()


def test_every_form_number_is_checked_against_the_database_range(app: Flask) -> None:
    """Forms read numbers through DbIntegerField only (a plain IntegerField takes any size)."""
    import pathlib

    root = pathlib.Path(app.root_path)
    plain = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if re.search(r"(?<!Db)IntegerField\(", path.read_text()) and path.name != "routing.py"
    ]
    assert plain == []


def test_a_deeply_nested_rubric_document_is_refused_with_a_reason(app, make_user, make_group):
    """The rubric import reads a JSON document from a file or a text box: the same limit."""
    world = _world(app, make_user, make_group)
    client = app.test_client()
    sign_in(client, world.users["facilitator"])
    depth = 100_000
    path = f"/groups/{world.group.id}/rubrics/import"
    for document in ("[" * depth + "]" * depth, '{"name": ' + "[" * 5000 + "]" * 5000 + "}"):
        data = {"csrf_token": csrf_token(client, path), "text": document}
        response = client.post(path, data=data)
        assert response.status_code == 400
        assert "nested too deeply" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("value", "number"),
    [
        ("1", 1),
        (" 7 ", 7),
        ("-1", -1),
        (str(DB_INT_MAX), DB_INT_MAX),
        (str(DB_INT_MIN), DB_INT_MIN),
        (str(DB_INT_MAX + 1), None),
        (str(DB_INT_MIN - 1), None),
        ("9" * 5000, None),  # past Python's default limit for int(): no error, just None
        ("1.5", None),
        ("\uff11", None),  # a full-width digit: isdigit() says yes, the database would not
        ("", None),
        (True, None),
        (2**40, None),
        (12, 12),
    ],
)
def test_parse_int_accepts_exactly_what_an_integer_column_holds(value, number):
    from supervision.routing import parse_int

    assert parse_int(value) == number


# Flask-WTF reads a JSON body as the form's data: values that are not text made WTForms raise.
_ODD_JSON = [True, None, {"a": "b"}, [["x"]], [None]]


def test_json_of_other_shapes_to_a_form_is_a_bad_request(app, make_user, make_group):
    """Found by the fuzzer (tests/fuzz): ``{"held_on": null}`` to the meeting form, ``{"body":
    true}`` to a reply, a bare ``"x"`` to an evaluation were server errors."""
    world = _world(app, make_user, make_group)
    forms = [
        ("supervisor", f"/groups/{world.group.id}/meetings/new", "held_on"),
        ("supervisor", f"/meetings/{world.meetings['draft'].id}/edit", "notes"),
        ("facilitator", f"/discussions/{world.threads['open'].id}/posts", "body"),
        ("supervisor", f"/annotations/{world.annotations['group'].id}/replies", "body"),
        ("supervisor", f"/evaluations/{world.evaluations['drafting'].id}/evaluate", "overall"),
    ]
    answers: list[tuple[str, int]] = []
    for who, path, field in forms:
        client = app.test_client()
        sign_in(client, world.users[who])
        for value in _ODD_JSON:
            response = _post_json(client, path, {field: value})
            answers.append((f"{path} {field}={value!r}", response.status_code))
        for raw in ('"x"', "[1]", "7", "null"):
            answers.append((f"{path} {raw}", _post_json(client, path, raw=raw).status_code))
    # Refused as it stands, or read without the odd values (a required field then missing, an
    # edit_version missing: a conflict).
    assert not _problems(answers, {400, 409}), _problems(answers, {400, 409})


def test_json_numbers_reach_a_form_as_text(app, make_user, make_group):
    """A JSON object is read as a submitted form: numbers as their text, the rest left out."""
    world = _world(app, make_user, make_group)
    client = app.test_client()
    sign_in(client, world.users["supervisor"])
    path = f"/meetings/{world.meetings['draft'].id}/edit"
    answers = [
        (f"{field}={value!r}", _post_json(client, path, {field: value}).status_code)
        for field in ("held_on", "duration_minutes", "notes", "edit_version", "attendees")
        for value in (12, 1.5, False, [3, "x"])
    ]
    assert not _problems(answers, {400, 409}), _problems(answers, {400, 409})
    with app.test_request_context(
        "/", method="POST", json={"n": 12, "f": 1.5, "b": True, "l": [1, "x"], "t": "y"}
    ):
        from flask import request

        assert request.get_json() == {"n": "12", "f": "1.5", "l": ["1", "x"], "t": "y"}
