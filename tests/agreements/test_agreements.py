"""Supervision agreements through their pages: start from the template, edit the draft, sign
with re-authentication, lock, propose a change, read every version; who may see what."""

from __future__ import annotations

import pytest
from agreements_support import Scene, make_scene, sign_as
from conftest import post
from sqlalchemy import func, select

from supervision.agreements.sections import SECTION_BY_KEY
from supervision.agreements.services import AgreementError, save_draft
from supervision.extensions import db
from supervision.models import Agreement, AgreementVersion


@pytest.fixture()
def scene(make_user, make_group) -> Scene:  # type: ignore[no-untyped-def]
    return make_scene(make_user, make_group)


def _start(client, scene: Scene, other_id: int) -> Agreement:  # type: ignore[no-untyped-def]
    response = post(client, f"/groups/{scene.group.id}/agreements/new", {"other": str(other_id)})
    assert response.status_code == 302, response.get_data(as_text=True)[:800]
    return db.session.scalars(select(Agreement).order_by(Agreement.id.desc())).first()


def _sections(**changes: str) -> dict[str, str]:
    data = {key: section.default or "-" for key, section in SECTION_BY_KEY.items()}
    data.update(changes)
    return data


def _edit(client, agreement: Agreement, edit_version: str = "1", **changes: str):  # type: ignore[no-untyped-def]
    data = _sections(**changes) | {"edit_version": edit_version}
    return post(client, f"/agreements/{agreement.id}/edit", data)


def test_a_supervisee_starts_from_the_template_and_both_sign(client, login_as, scene) -> None:  # type: ignore[no-untyped-def]
    login_as(scene.supervisee)
    agreement = _start(client, scene, scene.supervisor.id)
    assert (agreement.supervisor_id, agreement.supervisee_id) == (
        scene.supervisor.id,
        scene.supervisee.id,
    )
    version = agreement.latest
    assert version.number == 1 and "imminent risk" in version.emergencies  # the default wording
    response = _edit(client, agreement, goals="Work on pacing with anxious clients.")
    assert response.status_code == 302
    page = client.get(f"/agreements/{agreement.id}").get_data(as_text=True)
    assert "Work on pacing with anxious clients." in page and "Not in force yet" in page

    # A wrong password or name: a clear message, nothing signed, the name kept.
    wrong = sign_as(client, agreement.id, scene.supervisee, password="not it")
    assert wrong.status_code == 400 and "That password is not correct." in wrong.get_data(True)
    assert 'value="Alex Trainee"' in wrong.get_data(as_text=True)
    misnamed = sign_as(client, agreement.id, scene.supervisee, signature="Someone Else")
    assert misnamed.status_code == 400
    assert "Type your name as it appears on your account: Alex Trainee." in misnamed.get_data(True)
    db.session.expire_all()
    assert agreement.latest.supervisee_signed_at is None

    assert sign_as(client, agreement.id, scene.supervisee).status_code == 302
    db.session.expire_all()
    assert agreement.latest.supervisee_signed_name == "Alex Trainee"
    # Locked once anyone signed: the edit page sends back, the service refuses.
    assert client.get(f"/agreements/{agreement.id}/edit").status_code == 302
    with pytest.raises(AgreementError, match="can no longer change"):
        save_draft(agreement.latest, scene.supervisee, _sections(), agreement.latest.edit_version)
    db.session.rollback()

    post(client, "/logout")
    login_as(scene.supervisor)
    page = client.get(f"/agreements/{agreement.id}").get_data(as_text=True)
    assert "Read and sign version 1" in page
    assert sign_as(client, agreement.id, scene.supervisor).status_code == 302
    db.session.expire_all()
    assert agreement.in_force is agreement.latest
    assert "Signed by both" in client.get(f"/agreements/{agreement.id}").get_data(as_text=True)


def test_a_change_is_a_new_version_signed_again_and_every_version_stays(  # type: ignore[no-untyped-def]
    client, login_as, scene
) -> None:
    login_as(scene.supervisor)
    agreement = _start(client, scene, scene.supervisee.id)
    sign_as(client, agreement.id, scene.supervisor)
    response = post(client, f"/agreements/{agreement.id}/propose")
    assert response.status_code == 302 and response.headers["Location"].endswith("/edit")
    db.session.expire_all()
    assert [v.number for v in agreement.versions] == [1, 2]
    assert agreement.versions[1].goals == agreement.versions[0].goals  # a copy to edit
    assert _edit(client, agreement, goals="New goals, agreed in March.").status_code == 302
    page = client.get(f"/agreements/{agreement.id}").get_data(as_text=True)
    assert "What changed since version 1" in page and "New goals, agreed in March." in page
    old = client.get(f"/agreements/{agreement.id}?version=1").get_data(as_text=True)
    assert "Dr. Sam Okoye" in old and "signed “Dr. Sam Okoye”" in old
    assert "New goals" not in old
    assert client.get(f"/agreements/{agreement.id}?version=9").status_code == 404
    # A draft is edited, not superseded by another proposal.
    post(client, f"/agreements/{agreement.id}/propose")
    assert db.session.scalar(select(func.count()).select_from(AgreementVersion)) == 2


def test_a_stale_draft_gets_the_conflict_page_with_both_texts(client, login_as, scene) -> None:  # type: ignore[no-untyped-def]
    login_as(scene.supervisee)
    agreement = _start(client, scene, scene.supervisor.id)
    assert _edit(client, agreement, "1", goals="Saved first.").status_code == 302
    response = _edit(client, agreement, "1", goals="My stale text.")
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "My stale text." in page and "Saved first." in page and "changed elsewhere" in page
    db.session.expire_all()
    assert agreement.latest.goals == "Saved first."


def test_signing_what_changed_since_reading_is_refused(client, login_as, scene) -> None:  # type: ignore[no-untyped-def]
    login_as(scene.supervisee)
    agreement = _start(client, scene, scene.supervisor.id)
    _edit(client, agreement, "1", goals="Changed after the signer opened it.")
    response = sign_as(client, agreement.id, scene.supervisee, edit_version="1")
    assert response.status_code == 302
    db.session.expire_all()
    assert agreement.latest.supervisee_signed_at is None


def test_bad_input_is_explained_and_kept(client, login_as, scene) -> None:  # type: ignore[no-untyped-def]
    login_as(scene.supervisee)
    agreement = _start(client, scene, scene.supervisor.id)
    response = _edit(client, agreement, goals="", meetings="x" * 7000)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Write something for “Goals of supervision”." in page
    assert "Keep this under 6,000 characters." in page and "x" * 7000 in page
    refused = post(client, f"/groups/{scene.group.id}/agreements/new", {"other": "99999"})
    assert refused.status_code == 400
    assert "Choose one of the people listed." in refused.get_data(as_text=True)


def test_several_supervisors_each_have_their_own_agreement(client, login_as, scene) -> None:  # type: ignore[no-untyped-def]
    login_as(scene.supervisee)
    first = _start(client, scene, scene.supervisor.id)
    second = _start(client, scene, scene.second_supervisor.id)
    assert first.id != second.id
    again = post(
        client, f"/groups/{scene.group.id}/agreements/new", {"other": str(scene.supervisor.id)}
    )
    assert again.status_code == 400 and "already have an agreement" in again.get_data(True)
    listing = client.get(f"/groups/{scene.group.id}/agreements").get_data(as_text=True)
    assert "Dr. Sam Okoye" in listing and "Kim Second" in listing


def test_only_the_parties_and_facilitators_read(client, login_as, scene) -> None:  # type: ignore[no-untyped-def]
    login_as(scene.supervisee)
    agreement = _start(client, scene, scene.supervisor.id)
    path = f"/agreements/{agreement.id}"
    for person, code in (
        (scene.other_supervisee, 404),
        (scene.second_supervisor, 404),
        (scene.outsider, 404),
        (scene.facilitator, 200),
    ):
        post(client, "/logout")
        login_as(person)
        assert client.get(path).status_code == code, person.display_name
        listing = client.get(f"/groups/{scene.group.id}/agreements")
        if code == 404 and person is not scene.outsider:
            assert "Alex Trainee" not in listing.get_data(as_text=True)
    # The facilitator reads, but neither edits nor signs.
    assert client.get(f"{path}/sign").status_code == 403
    assert client.get(f"{path}/edit").status_code == 403
    assert "Alex Trainee" in client.get(f"/groups/{scene.group.id}/agreements").get_data(True)


def test_the_group_template_is_the_facilitators_and_new_agreements_copy_it(  # type: ignore[no-untyped-def]
    client, login_as, scene
) -> None:
    login_as(scene.facilitator)
    path = f"/groups/{scene.group.id}/agreement-template"
    page = client.get(path).get_data(as_text=True)
    assert "platform&#39;s default wording" in page or "platform's default wording" in page
    data = _sections(goals="Our group's goals.") | {"edit_version": "0"}
    assert post(client, path, data).status_code == 302
    stale = post(client, path, _sections(goals="Stale.") | {"edit_version": "0"})
    assert stale.status_code == 409 and "Our group&#39;s goals." in stale.get_data(True)
    post(client, "/logout")
    login_as(scene.supervisee)
    assert client.get(path).status_code == 403
    agreement = _start(client, scene, scene.supervisor.id)
    assert agreement.latest.goals == "Our group's goals."


def test_the_desk_lists_agreements_awaiting_my_signature(client, login_as, scene) -> None:  # type: ignore[no-untyped-def]
    login_as(scene.supervisee)
    agreement = _start(client, scene, scene.supervisor.id)
    wanted = "Version 1 of the agreement between Dr. Sam Okoye and Alex Trainee"
    assert wanted in client.get("/desk/").get_data(as_text=True)
    sign_as(client, agreement.id, scene.supervisee)
    assert wanted not in client.get("/desk/").get_data(as_text=True)
    post(client, "/logout")
    login_as(scene.supervisor)
    assert wanted in client.get("/desk/").get_data(as_text=True)
