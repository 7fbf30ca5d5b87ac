"""Export and import of rubrics as "attune.rubric/1" JSON, through the pages."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from rubric_support import Browser, builtin_version, escaped, make_world, rubric_count
from sqlalchemy import select

from supervision.extensions import db
from supervision.models import Rubric, RubricVersion, VersionStatus
from supervision.rubrics.schema import MAX_IMPORT_BYTES, SCHEMA_ID, export_rubric
from supervision.rubrics.services import new_draft_version, publish_version


@pytest.fixture()
def world(make_user, make_group):
    return make_world(make_user, make_group)


def upload(content: bytes, name: str = "rubric.json") -> tuple[io.BytesIO, str]:
    return (io.BytesIO(content), name)


def imported(world) -> RubricVersion:
    return db.session.scalars(
        select(RubricVersion).join(Rubric).where(Rubric.group_id == world.group.id)
    ).one()


def test_export_downloads_the_document(app, world):
    builtin = builtin_version()
    response = Browser(app, world.supervisee).get(world.version_url(builtin, "/export"))
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    disposition = response.headers["Content-Disposition"]
    assert (
        disposition.startswith("attachment") and "therapeutic-relationship-v1.json" in disposition
    )
    document = json.loads(response.get_data())
    assert document == export_rubric(builtin)
    assert document["schema"] == SCHEMA_ID
    assert [c["key"] for c in document["criteria"]][:2] == ["boundaries", "pacing"]


def test_export_filename_is_plain_ascii(app, world):
    draft = new_draft_version(world.group, builtin_version(), world.facilitator)
    draft.name = "Relación terapéutica / ours"
    db.session.commit()
    response = Browser(app, world.facilitator).get(world.version_url(draft, "/export"))
    assert (
        "filename=relacion-terapeutica-ours-v1-draft.json"
        in (response.headers["Content-Disposition"])
    )


@pytest.mark.parametrize("how", ["file", "paste"])
def test_export_then_import_gives_identical_content(app, world, how):
    builtin = builtin_version()
    browser = Browser(app, world.facilitator)
    body = browser.get(world.version_url(builtin, "/export")).get_data()
    data: dict[str, Any] = (
        {"file": upload(body)} if how == "file" else {"text": body.decode("utf-8")}
    )
    response = browser.post(world.url("/import"), data, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    version = imported(world)
    assert response.headers["Location"] == world.version_url(version, "/edit")
    assert version.status is VersionStatus.DRAFT and version.number == 1
    assert export_rubric(version) == export_rubric(builtin)
    assert "as a draft" in browser.text(response.headers["Location"])


def test_a_group_rubric_round_trips_too(app, world):
    version = new_draft_version(world.group, builtin_version(), world.facilitator)
    version.criteria[0].title = "Presence — “within” the frame"
    version.criteria[0].levels = {**version.criteria[0].levels, "2": "Line one.\nLine two."}
    version.scale_labels = {"1": "Harmful", "3": "Adequate"}
    publish_version(version)
    db.session.commit()
    original = export_rubric(version)
    browser = Browser(app, world.facilitator)
    body = browser.get(world.version_url(version, "/export")).get_data()
    response = browser.post(
        world.url("/import"), {"file": upload(body)}, content_type="multipart/form-data"
    )
    assert response.status_code == 302
    copy = db.session.scalars(
        select(RubricVersion)
        .where(RubricVersion.id != version.id)
        .where(RubricVersion.rubric.has(Rubric.group_id == world.group.id))
    ).one()
    assert copy.rubric.name == "Therapeutic relationship (2)"  # names stay unique in a group
    assert export_rubric(copy) == original | {"name": "Therapeutic relationship (2)"}


def _document(**changes: Any) -> dict[str, Any]:
    document = export_rubric(builtin_version())
    document.update(changes)
    return document


def _missing_levels() -> str:
    document = _document()
    del document["criteria"][2]["levels"]
    return json.dumps(document, indent=2)


def _duplicate_keys() -> str:
    document = _document()
    document["criteria"][4]["key"] = "pacing"
    return json.dumps(document, indent=2)


INVALID = {
    "not-json": (
        lambda: '{\n  "schema": "attune.rubric/1",\n  "name": "Broken"\n  "criteria": []\n}',
        ["This is not valid JSON (line 4, column 3)", "Expecting"],
    ),
    "missing-levels": (_missing_levels, ["<code>criteria[2]</code>", "levels"]),
    "duplicate-keys": (_duplicate_keys, ["pacing", "is used more than once"]),
    "wrong-schema": (
        lambda: json.dumps(_document(schema="attune.rubric/2")),
        ["<code>schema</code>", escaped("'attune.rubric/1' was expected")],
    ),
    "bad-key": (
        lambda: json.dumps(
            _document(criteria=[{**_document()["criteria"][0], "key": "Not A Key"}])
        ),
        ["<code>criteria[0].key</code>", "is not allowed here"],
    ),
    "blank-title": (
        lambda: json.dumps(
            _document(name="  ", criteria=[{**_document()["criteria"][0], "title": " "}])
        ),
        ["<code>name</code>", "<code>criteria[0].title</code>", "must not be empty"],
    ),
    "oversize": (
        lambda: json.dumps(_document()) + " " * MAX_IMPORT_BYTES,
        ["larger than 256 KB"],
    ),
}


@pytest.mark.parametrize("how", ["file", "paste"])
@pytest.mark.parametrize("case", sorted(INVALID))
def test_invalid_documents_are_refused_with_what_and_where(app, world, case, how):
    make_text, messages = INVALID[case]
    text = make_text()
    builtin_version()
    count = rubric_count()
    browser = Browser(app, world.facilitator)
    data: dict[str, Any] = (
        {"file": upload(text.encode("utf-8"), "mine.json")} if how == "file" else {"text": text}
    )
    response = browser.post(world.url("/import"), data, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Nothing was imported" in page
    assert ("“mine.json”" if how == "file" else "the pasted text") in page
    for message in messages:
        assert message in page, (case, message)
    if how == "paste" and case != "oversize":
        assert escaped(text) in page  # the pasted text stays in the box
    assert rubric_count() == count


def test_every_problem_is_listed(app, world):
    document = _document(name="")
    document["criteria"][1]["levels"]["3"] = ""
    document["criteria"][6]["colour"] = "blue"
    response = Browser(app, world.facilitator).post(
        world.url("/import"), {"text": json.dumps(document)}, content_type="multipart/form-data"
    )
    page = response.get_data(as_text=True)
    assert "3 problems" in page
    for place in ["name", "criteria[1].levels.3", "criteria[6]"]:
        assert f"<code>{place}</code>" in page, place
    assert "colour" in page


def test_import_needs_a_file_or_a_text_but_not_both(app, world):
    browser = Browser(app, world.facilitator)
    response = browser.post(world.url("/import"), {}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Choose a JSON file, or paste the JSON below." in response.get_data(as_text=True)
    body = json.dumps(_document())
    response = browser.post(
        world.url("/import"),
        {"file": upload(body.encode()), "text": "{pasted}"},
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "not both" in page and "{pasted}" in page
    assert rubric_count() == 1  # the built-in only


def test_not_utf8_is_explained(app, world):
    response = Browser(app, world.facilitator).post(
        world.url("/import"),
        {"file": upload('{"name": "Caf\u00e9"}'.encode("latin-1"))},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "not UTF-8 text" in response.get_data(as_text=True)


def test_import_page_explains_the_format(app, world):
    page = Browser(app, world.facilitator).text(world.url("/import"))
    assert "attune.rubric/1" in page and "256 KB" in page
    assert 'enctype="multipart/form-data"' in page
