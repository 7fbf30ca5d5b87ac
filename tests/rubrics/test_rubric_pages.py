"""Rubric pages: the built-in reference, choosing, versions, drafts and who may do what."""

from __future__ import annotations

import json

import pytest
from conftest import csrf_token
from rubric_support import (
    BUILTIN_KEYS,
    Browser,
    builtin_version,
    edit_payload,
    error_summary,
    escaped,
    index_of,
    make_world,
    rubric_count,
    section,
)
from sqlalchemy import select

from supervision.extensions import db
from supervision.models import Rubric, RubricVersion, VersionStatus
from supervision.rubrics.schema import export_rubric
from supervision.rubrics.services import (
    discard_draft,
    group_rubric_version,
    import_rubric,
    latest_published,
    new_draft_version,
    publish_version,
    version_data,
)


@pytest.fixture()
def world(make_user, make_group):
    return make_world(make_user, make_group)


def group_draft(world) -> RubricVersion:
    """A draft of the group's own copy of the built-in rubric, committed."""
    draft = new_draft_version(world.group, builtin_version(), world.facilitator)
    db.session.commit()
    return draft


def published_copy(world) -> RubricVersion:
    version = group_draft(world)
    publish_version(version)
    db.session.commit()
    return version


# -- the built-in rubric as a reference ---------------------------------------------------------


@pytest.mark.parametrize("role", ["supervisee", "supervisor", "facilitator"])
def test_builtin_rubric_is_every_members_reference(app, world, role):
    browser = Browser(app, getattr(world, role))
    index = browser.text(world.url())
    assert "Therapeutic relationship" in index and "Version 1" in index
    builtin = builtin_version()
    assert builtin.rubric.group_id is None and builtin.is_published

    page = browser.text(world.version_url(builtin))
    assert [c.key for c in builtin.criteria] == BUILTIN_KEYS
    assert "is not a score" in page
    for n, label in builtin.scale_labels.items():
        assert escaped(label) in page, n
    for criterion in builtin.criteria:
        part = section(page, f"criterion-{criterion.key}")
        assert f"<code>{criterion.key}</code>" in part
        assert escaped(criterion.title) in part
        assert escaped(criterion.guidance.split("\n")[0]) in part
        assert sorted(criterion.levels) == ["1", "2", "3", "4", "5"]
        for descriptor in criterion.levels.values():
            assert descriptor.strip(), criterion.key
            assert escaped(descriptor) in part
        assert "Not visible in this vignette" in part
        assert ("Experimental" in part) is criterion.experimental
    experimental = {c.key for c in builtin.criteria if c.experimental}
    assert experimental == {"corrective_experience", "silence"}


def test_members_see_the_groups_rubric_but_not_the_facilitators_tools(app, world):
    page = Browser(app, world.supervisee).text(world.url())
    assert "Used for new reviews" in page
    assert "Make a new version" not in page and "Import JSON" not in page
    page = Browser(app, world.facilitator).text(world.url())
    assert "Make a new version" in page and "Import JSON" in page and "Export JSON" in page


def test_builtin_rubric_is_created_once_and_kept(app, world):
    browser = Browser(app, world.supervisee)
    browser.text(world.url())
    browser.text(world.url())
    assert db.session.scalars(select(Rubric).where(Rubric.group_id.is_(None))).all() != []
    assert rubric_count() == 1


# -- who may do what ----------------------------------------------------------------------------


def test_non_members_get_404_everywhere(app, world):
    draft = group_draft(world)
    builtin = builtin_version()
    browser = Browser(app, world.outsider)
    for path in [
        world.url(),
        world.version_url(builtin),
        world.version_url(draft),
        world.version_url(builtin, "/export"),
        world.version_url(draft, "/edit"),
        world.url("/import"),
    ]:
        assert browser.get(path).status_code == 404, path
    for path in [
        world.url(f"/{builtin.rubric_id}/choose"),
        world.version_url(builtin, "/new-version"),
        world.version_url(draft, "/publish"),
        world.version_url(draft, "/discard"),
        world.url("/import"),
    ]:
        assert browser.post(path).status_code == 404, path
    assert db.session.get(RubricVersion, draft.id).status is VersionStatus.DRAFT


def test_anonymous_is_sent_to_login(client, world):
    assert "/login" in client.get(world.url()).headers["Location"]


@pytest.mark.parametrize("role", ["supervisee", "supervisor"])
def test_members_who_do_not_facilitate_get_403_on_manage_actions(app, world, role):
    draft = group_draft(world)
    builtin = builtin_version()
    count = rubric_count()
    browser = Browser(app, getattr(world, role))
    for path in [
        world.version_url(draft),  # a draft is the facilitators' work in progress
        world.version_url(draft, "/export"),
        world.version_url(draft, "/edit"),
        world.url("/import"),
    ]:
        assert browser.get(path).status_code == 403, path
    for path in [
        world.url(f"/{draft.rubric_id}/choose"),
        world.version_url(builtin, "/new-version"),
        world.version_url(draft, "/edit"),
        world.version_url(draft, "/publish"),
        world.version_url(draft, "/discard"),
        world.url("/import"),
    ]:
        assert browser.post(path).status_code == 403, path
    assert rubric_count() == count
    assert db.session.get(RubricVersion, draft.id).status is VersionStatus.DRAFT


def test_another_groups_rubric_is_404_by_id(app, world):
    document = json.dumps(export_rubric(builtin_version()) | {"name": "Their own rubric"})
    theirs = import_rubric(world.other_group, world.outsider, document)
    publish_version(theirs)
    db.session.commit()
    browser = Browser(app, world.facilitator)
    for suffix in ["", "/export", "/edit"]:
        assert browser.get(world.version_url(theirs, suffix)).status_code == 404, suffix
    for suffix in ["/new-version", "/publish", "/discard", "/edit"]:
        assert browser.post(world.version_url(theirs, suffix)).status_code == 404, suffix
    assert browser.post(world.url(f"/{theirs.rubric_id}/choose")).status_code == 404
    assert browser.get(world.url("/versions/999999")).status_code == 404
    assert "Their own rubric" not in browser.text(world.url())
    assert db.session.get(RubricVersion, theirs.id).is_published
    assert group_rubric_version(world.group).rubric.group_id is None


# -- new versions, drafts, publishing, choosing -------------------------------------------------


def test_new_version_from_builtin_makes_a_group_draft(app, world):
    builtin = builtin_version()
    before = export_rubric(builtin)
    browser = Browser(app, world.facilitator)
    response = browser.post(world.version_url(builtin, "/new-version"))
    draft = db.session.scalars(select(RubricVersion).where(RubricVersion.id != builtin.id)).one()
    assert response.status_code == 302
    assert response.headers["Location"] == world.version_url(draft, "/edit")
    assert draft.status is VersionStatus.DRAFT and draft.number == 1
    assert draft.rubric.group_id == world.group.id and draft.based_on_id == builtin.id
    assert export_rubric(draft) == before
    assert export_rubric(builtin) == before
    page = browser.text(world.version_url(draft, "/edit"))
    assert "Published versions never change" in page
    for key in BUILTIN_KEYS:
        assert f'value="{key}"' in page  # the keys ride along as hidden fields
    assert 'name="new-key"' in page


def test_editing_a_draft_changes_it(app, world):
    draft = group_draft(world)
    browser = Browser(app, world.facilitator)
    data = edit_payload(draft)
    pacing, silence = index_of(draft, "pacing"), index_of(draft, "silence")
    data |= {
        "name": "Therapeutic relationship (our group)",
        "scale_1": "Harmful",
        f"criteria-{pacing}-title": "Pacing, autonomy and choice",
        f"criteria-{pacing}-level_3": "Mostly follows the client's lead.",
        f"criteria-{pacing}-position": "1",
        f"criteria-{silence}-remove": "y",
        f"criteria-{silence}-title": "",  # nothing to check in what is thrown away
        "new-key": "self_disclosure",
        "new-title": "Purposeful self-disclosure",
        "new-guidance": "Note what the disclosure was for.",
        "new-experimental": "y",
    }
    data |= {f"new-level_{n}": f"Descriptor {n}" for n in range(1, 6)}
    response = browser.post(world.version_url(draft, "/edit"), data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    db.session.refresh(draft)
    keys = [c.key for c in draft.criteria]
    assert keys[0] == "pacing" and keys[-1] == "self_disclosure" and "silence" not in keys
    assert keys[1:-1] == [k for k in BUILTIN_KEYS if k not in ("pacing", "silence")]
    assert draft.name == "Therapeutic relationship (our group)"
    assert draft.scale_labels["1"] == "Harmful"
    assert draft.criteria[0].title == "Pacing, autonomy and choice"
    assert draft.criteria[0].levels["3"] == "Mostly follows the client's lead."
    added = draft.criteria[-1]
    assert added.experimental and added.guidance == "Note what the disclosure was for."
    assert added.levels == {str(n): f"Descriptor {n}" for n in range(1, 6)}
    assert draft.status is VersionStatus.DRAFT


def test_bad_input_is_explained_and_nothing_typed_is_lost(app, world):
    draft = group_draft(world)
    before = export_rubric(draft)
    browser = Browser(app, world.facilitator)
    data = edit_payload(draft)
    attunement = index_of(draft, "attunement")
    data |= {
        f"criteria-{attunement}-title": "Micro-attunement, revised wording",
        f"criteria-{attunement}-level_3": "   ",
        f"criteria-{attunement}-guidance": "x" * 2_001,
        "new-key": "Self Disclosure",
        "new-title": "Purposeful self-disclosure",
        "new-level_1": "Discloses to be liked",
    }
    response = browser.post(world.version_url(draft, "/edit"), data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Describe level 3" in page
    assert "Field cannot be longer than 2000 characters" in page
    assert "Use lower-case letters, digits and _" in page
    assert "Add a criterion · Title" not in page  # it was given
    summary = error_summary(page)
    assert summary.index("Add a criterion · Key") < summary.index("Add a criterion · Level 2")
    assert f'href="#criteria-{attunement}-level_3"' in page  # the summary links to the field
    assert "Micro-attunement, revised wording" in page
    assert 'value="Self Disclosure"' in page and "Discloses to be liked" in page
    db.session.refresh(draft)
    assert export_rubric(draft) == before


def test_new_criterion_key_must_be_unique(app, world):
    draft = group_draft(world)
    browser = Browser(app, world.facilitator)
    data = edit_payload(draft) | {
        "new-key": "pacing",
        "new-title": "Another pacing",
        f"criteria-{index_of(draft, 'pacing')}-remove": "y",
    }
    data |= {f"new-level_{n}": f"Level {n}" for n in range(1, 6)}
    response = browser.post(world.version_url(draft, "/edit"), data)
    assert response.status_code == 400
    assert "Another criterion already has this key" in response.get_data(as_text=True)
    db.session.refresh(draft)
    assert [c.key for c in draft.criteria] == BUILTIN_KEYS


def test_existing_keys_cannot_be_edited(app, world):
    draft = group_draft(world)
    before = export_rubric(draft)
    browser = Browser(app, world.facilitator)
    data = edit_payload(draft) | {"criteria-1-key": "renamed"}
    response = browser.post(world.version_url(draft, "/edit"), data)
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "changed elsewhere" in error_summary(page)
    assert 'value="renamed"' in page  # what was sent is shown back, not saved
    db.session.refresh(draft)
    assert export_rubric(draft) == before


def test_a_rubric_keeps_at_least_one_criterion(app, world):
    draft = group_draft(world)
    browser = Browser(app, world.facilitator)
    data = edit_payload(draft)
    data |= {f"criteria-{i}-remove": "y" for i in range(len(draft.criteria))}
    response = browser.post(world.version_url(draft, "/edit"), data)
    assert response.status_code == 400
    assert "A rubric needs at least one criterion." in response.get_data(as_text=True)
    db.session.refresh(draft)
    assert len(draft.criteria) == len(BUILTIN_KEYS)


@pytest.mark.parametrize("which", ["builtin", "group"])
def test_a_published_version_never_changes(app, world, which):
    version = builtin_version() if which == "builtin" else published_copy(world)
    before = export_rubric(version)
    browser = Browser(app, world.facilitator)
    response = browser.get(world.version_url(version, "/edit"))
    assert response.status_code == 302
    assert response.headers["Location"] == world.version_url(version)
    data = edit_payload(version) | {"criteria-0-title": "Changed after publishing", "name": "X"}
    response = browser.post(world.version_url(version, "/edit"), data)
    assert response.status_code == 302
    page = browser.text(world.version_url(version))
    assert "A published version never changes. Make a new version to edit it." in page
    response = browser.post(world.version_url(version, "/publish"))
    assert response.status_code == 302
    assert browser.post(world.version_url(version, "/discard")).status_code == 302
    assert "Only a draft can be discarded." in browser.text(world.version_url(version))
    db.session.expire_all()
    version = db.session.get(RubricVersion, version.id)
    assert version.is_published and export_rubric(version) == before


def test_publish_then_choose_makes_it_the_groups_rubric(app, world):
    draft = group_draft(world)
    browser = Browser(app, world.facilitator)
    assert "Published versions never change" in browser.text(world.url())
    assert browser.post(world.url(f"/{draft.rubric_id}/choose")).status_code == 302
    assert "Publish a version of this rubric before choosing it." in browser.text(world.url())
    assert group_rubric_version(world.group).rubric.group_id is None

    response = browser.post(world.version_url(draft, "/publish"))
    assert response.headers["Location"] == world.version_url(draft)
    assert "is published and will never change" in browser.text(world.version_url(draft))
    assert group_rubric_version(world.group).rubric.group_id is None  # not chosen yet

    assert browser.post(world.url(f"/{draft.rubric_id}/choose")).status_code == 302
    db.session.expire_all()
    assert group_rubric_version(world.group).id == draft.id
    index = browser.text(world.url())
    assert "New reviews in Tuesday supervision use" in index

    builtin = builtin_version()
    assert browser.post(world.url(f"/{builtin.rubric_id}/choose")).status_code == 302
    db.session.expire_all()
    assert group_rubric_version(world.group).id == builtin.id


def test_keys_are_kept_across_versions(app, world):
    first = published_copy(world)
    browser = Browser(app, world.facilitator)
    response = browser.post(world.version_url(first, "/new-version"))
    second = db.session.scalars(
        select(RubricVersion)
        .where(RubricVersion.rubric_id == first.rubric_id)
        .order_by(RubricVersion.number.desc())
    ).first()
    assert response.headers["Location"] == world.version_url(second, "/edit")
    assert second.number == 2 and second.based_on_id == first.id
    data = edit_payload(second)
    data |= {f"criteria-{i}-title": f"Reworded {i}" for i in range(len(second.criteria))}
    assert browser.post(world.version_url(second, "/edit"), data).status_code == 302
    assert browser.post(world.version_url(second, "/publish")).status_code == 302
    db.session.expire_all()
    first, second = (
        db.session.get(RubricVersion, first.id),
        db.session.get(RubricVersion, second.id),
    )
    assert [c.key for c in second.criteria] == [c.key for c in first.criteria] == BUILTIN_KEYS
    assert second.criteria[0].title == "Reworded 0" and first.criteria[0].title != "Reworded 0"
    assert latest_published(second.rubric).id == second.id


def test_one_draft_at_a_time(app, world):
    first = published_copy(world)
    browser = Browser(app, world.facilitator)
    browser.post(world.version_url(first, "/new-version"))
    response = browser.post(world.version_url(first, "/new-version"))
    page = browser.text(response.headers["Location"])
    assert "already has a draft (version 2)" in page
    assert len(db.session.get(Rubric, first.rubric_id).versions) == 2


def test_discarding_a_draft(app, world):
    first = published_copy(world)
    second = new_draft_version(world.group, first, world.facilitator)
    db.session.commit()
    second_id = second.id
    browser = Browser(app, world.facilitator)
    response = browser.post(world.version_url(second, "/discard"))
    assert response.headers["Location"] == world.url()
    assert "Draft version 2 of" in browser.text(world.url())
    db.session.expire_all()
    assert db.session.get(RubricVersion, second_id) is None
    assert [v.number for v in db.session.get(Rubric, first.rubric_id).versions] == [1]


def test_discarding_the_only_draft_removes_the_rubric(app, world):
    draft = group_draft(world)
    rubric_id = draft.rubric_id
    browser = Browser(app, world.facilitator)
    assert browser.post(world.version_url(draft, "/discard")).status_code == 302
    db.session.expire_all()
    assert db.session.get(Rubric, rubric_id) is None


def test_discarding_keeps_no_empty_rubric_behind(app, world):
    draft = group_draft(world)
    rubric = draft.rubric
    assert len(rubric.versions) == 1  # loaded before the discard, as a page listing it would
    discard_draft(draft)
    db.session.commit()
    assert db.session.scalars(select(Rubric).where(Rubric.group_id == world.group.id)).all() == []


def test_a_draft_cannot_be_published_incomplete(app, world):
    draft = group_draft(world)
    data = version_data(draft)
    draft.criteria[0].levels = {"1": "Only one level"}
    db.session.commit()
    browser = Browser(app, world.facilitator)
    assert browser.post(world.version_url(draft, "/publish")).status_code == 302
    assert "Describe all five levels of" in browser.text(world.version_url(draft))
    db.session.expire_all()
    assert db.session.get(RubricVersion, draft.id).status is VersionStatus.DRAFT
    assert data.criteria[0].key == "boundaries"


def test_state_changes_need_csrf(app, world):
    draft = group_draft(world)
    browser = Browser(app, world.facilitator)
    response = browser.client.post(world.version_url(draft, "/publish"), data={})
    assert response.status_code == 400
    assert csrf_token(browser.client, world.url())
    db.session.expire_all()
    assert db.session.get(RubricVersion, draft.id).status is VersionStatus.DRAFT


def test_a_stale_draft_form_is_a_conflict_and_keeps_the_text(app, world):
    draft = group_draft(world)
    browser = Browser(app, world.facilitator)
    stale = edit_payload(draft)
    first = edit_payload(draft) | {"name": "Saved first"}
    assert browser.post(world.version_url(draft, "/edit"), first).status_code == 302
    response = browser.post(world.version_url(draft, "/edit"), stale | {"name": "Saved second"})
    assert response.status_code == 409
    assert 'value="Saved second"' in response.get_data(as_text=True)
    db.session.refresh(draft)
    assert draft.name == "Saved first"


def test_the_landing_page_names_the_shipped_rubrics_criteria(client) -> None:
    from supervision.rubrics.services import default_rubric_data

    page = client.get("/").get_data(as_text=True)
    titles = [criterion.title for criterion in default_rubric_data().criteria]
    assert len(titles) == 7 and f"{len(titles)} criteria" in page
    for title in titles:
        assert f"<li>{title}</li>" in page
