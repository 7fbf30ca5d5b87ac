"""The evaluation pages through the test client: who sees what, bad input kept and explained,
the conflict page, signing with a password, and the supervisee's evaluation of a supervisor."""

from __future__ import annotations

import re

import pytest
from conftest import PASSWORD, post
from evaluation_support import (
    FEEDBACK,
    KEYS,
    PRIVATE_NOTE,
    Scene,
    build_scene,
    fill,
    schedule,
)
from support import Browser

from supervision.evaluations.services import EVALUATOR, SELF, default_rubric_version
from supervision.extensions import db
from supervision.models import Evaluation, SupervisorEvaluation
from supervision.models.types import utcnow


@pytest.fixture()
def scene(make_user, make_group) -> Scene:
    return build_scene(make_user, make_group)


def _part_form(evaluation: Evaluation, level: str = "4", **extra: str) -> dict[str, str]:
    data = {f"level-{key}": level for key in KEYS}
    data |= {
        "overall": "Warm, steady work this term.",
        "edit_version": str(evaluation.edit_version),
    }
    return data | extra


def test_the_group_page_links_to_evaluations_and_the_list_shows_ones_own(
    scene: Scene, login_as, make_user
) -> None:
    mine = schedule(scene)
    theirs = schedule(scene, supervisee_id=scene.other_supervisee.id)
    client = login_as(scene.supervisee)
    home = client.get(f"/groups/{scene.group.id}").get_data(as_text=True)
    assert f"/groups/{scene.group.id}/evaluations" in home
    page = client.get(f"/groups/{scene.group.id}/evaluations").get_data(as_text=True)
    assert f"/evaluations/{mine.id}" in page and f'/evaluations/{theirs.id}"' not in page
    assert "Write your self-evaluation" in page
    assert client.get(f"/evaluations/{theirs.id}").status_code == 404


def test_a_facilitator_lists_all_and_an_outsider_is_not_admitted(
    scene: Scene, app, make_user
) -> None:
    first, second = schedule(scene), schedule(scene, supervisee_id=scene.other_supervisee.id)
    page = Browser(app, scene.facilitator).text(f"/groups/{scene.group.id}/evaluations")
    assert f"/evaluations/{first.id}" in page and f"/evaluations/{second.id}" in page
    outsider = Browser(app, make_user())
    assert outsider.status(f"/evaluations/{first.id}") == 404
    assert outsider.status(f"/groups/{scene.group.id}/evaluations") == 404


def test_scheduling_with_bad_dates_keeps_the_input_and_says_why(scene: Scene, login_as) -> None:
    client = login_as(scene.facilitator)
    response = post(
        client,
        f"/groups/{scene.group.id}/evaluations/new",
        {
            "supervisee_id": scene.supervisee.id,
            "evaluator_id": scene.supervisor.id,
            "kind": "other",
            "label": "Placement review",
            "period_start": "2026-09-01",
            "period_end": "2026-08-01",
            "due_on": "2026-13-40",
            "rubric_version_id": "",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Enter a date as year-month-day" in page and "Choose a rubric." in page
    assert 'value="Placement review"' in page and 'value="2026-09-01"' in page
    assert db.session.scalar(db.select(db.func.count()).select_from(Evaluation)) == 0


def test_scheduling_through_the_page(scene: Scene, login_as) -> None:
    client = login_as(scene.supervisor)
    form = client.get(f"/groups/{scene.group.id}/evaluations/new").get_data(as_text=True)
    version_id = str(default_rubric_version(scene.group).id)
    assert f'<option selected value="{version_id}">' in form
    today = utcnow().date()
    response = post(
        client,
        f"/groups/{scene.group.id}/evaluations/new",
        {
            "supervisee_id": scene.supervisee.id,
            "evaluator_id": scene.supervisor.id,
            "kind": "final",
            "period_start": today.replace(day=1).isoformat(),
            "period_end": today.isoformat(),
            "due_on": today.isoformat(),
            "rubric_version_id": version_id,
        },
    )
    assert response.status_code == 302, re.findall(
        r"error-summary__list.*?</ul>", response.get_data(as_text=True), re.S
    )
    evaluation = db.session.scalars(db.select(Evaluation)).one()
    assert (
        evaluation.title == "Final evaluation" and evaluation.scheduled_by_id == scene.supervisor.id
    )


def test_the_evaluator_fills_in_beside_the_evidence_and_the_draft_stays_theirs(
    scene: Scene, login_as, app
) -> None:
    evaluation = schedule(scene)
    client = login_as(scene.supervisor)
    page = client.get(f"/evaluations/{evaluation.id}/evaluate").get_data(as_text=True)
    assert f"/cases/{scene.case.id}?revision=1" in page and "A gift at the end" in page
    assert PRIVATE_NOTE not in page and FEEDBACK not in page
    response = post(
        client, f"/evaluations/{evaluation.id}/evaluate", _part_form(evaluation, save="1")
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert evaluation.evaluator_comments == "Warm, steady work this term."
    assert evaluation.evaluator_ready_at is None
    supervisee = Browser(app, scene.supervisee)
    shown = supervisee.text(f"/evaluations/{evaluation.id}")
    assert "Warm, steady work" not in shown and "Not ready yet" in shown
    assert supervisee.status(f"/evaluations/{evaluation.id}/evaluate") == 403


def test_marking_ready_with_a_criterion_missing_keeps_the_text(scene: Scene, login_as) -> None:
    evaluation = schedule(scene)
    client = login_as(scene.supervisee)
    data = _part_form(evaluation, "3", ready="1")
    del data["level-silence"]
    data["comment-pacing"] = "I noticed my urge to hurry."
    response = post(client, f"/evaluations/{evaluation.id}/self", data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Use of silence" in page and "I noticed my urge to hurry." in page
    db.session.expire_all()
    assert evaluation.self_ready_at is None and evaluation.edit_version == 1


def test_a_stale_form_gets_the_conflict_page_with_both_versions(scene: Scene, login_as) -> None:
    evaluation = schedule(scene)
    stale = _part_form(evaluation, "2", save="1", overall="My text from the first tab.")
    fill(evaluation, EVALUATOR, ready=False)  # another tab saved meanwhile
    client = login_as(scene.supervisor)
    response = post(client, f"/evaluations/{evaluation.id}/evaluate", stale)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "version 1" in page and "version 2" in page
    assert "My text from the first tab." in page
    assert 'name="edit_version" type="hidden" value="2"' in page


def test_signing_on_the_page_asks_for_the_password(scene: Scene, login_as) -> None:
    evaluation = schedule(scene)
    fill(evaluation, EVALUATOR)
    fill(evaluation, SELF)
    client = login_as(scene.supervisee)
    path = f"/evaluations/{evaluation.id}/sign"
    version = str(evaluation.edit_version)
    wrong = post(
        client, path, {"signature": "Alex Supervisee", "password": "nope", "edit_version": version}
    )
    assert wrong.status_code == 400 and "That password is not correct." in wrong.get_data(
        as_text=True
    )
    right = post(
        client,
        path,
        {"signature": "alex supervisee", "password": PASSWORD, "edit_version": version},
    )
    assert right.status_code == 302
    db.session.expire_all()
    assert evaluation.supervisee_signed_at is not None
    assert evaluation.supervisee_signature == "alex supervisee"
    again = post(
        client, f"/evaluations/{evaluation.id}/response", {"response": "Late", "edit_version": "9"}
    )
    assert again.status_code == 403


def test_a_supervisor_evaluation_is_the_supervisors_to_read_only_when_shared(
    scene: Scene, app
) -> None:
    author = Browser(app, scene.supervisee)
    new = f"/groups/{scene.group.id}/supervisor-evaluations/new"
    answers = {"availability": "4", "clarity": "5", "safety": "3", "goals": "4", "respect": "5"}
    kept = {"supervisor_id": scene.supervisor.id, "comment": "Thank you for the patience."}
    missing = author.post(new, kept)
    assert missing.status_code == 400
    assert "Thank you for the patience." in missing.get_data(as_text=True)
    assert author.post(new, {**kept, **answers}).status_code == 302
    written = db.session.scalars(db.select(SupervisorEvaluation)).one()
    assert written.shared is False
    path = f"/supervisor-evaluations/{written.id}"
    supervisor = Browser(app, scene.supervisor)
    assert supervisor.status(path) == 404
    assert Browser(app, scene.facilitator).status(path) == 200
    assert Browser(app, scene.other_supervisee).status(path) == 404
    assert author.post(f"{path}/sharing", {"shared": "1"}).status_code == 302
    assert "Thank you for the patience." in supervisor.text(path)
    assert supervisor.post(f"{path}/sharing", {"shared": "0"}).status_code == 403


def test_a_facilitator_evaluated_reads_it_only_when_shared(scene: Scene, app) -> None:
    author = Browser(app, scene.supervisee)
    answers = {"availability": "2", "clarity": "2", "safety": "2", "goals": "3", "respect": "4"}
    new = f"/groups/{scene.group.id}/supervisor-evaluations/new"
    assert author.post(new, {"supervisor_id": scene.facilitator.id, **answers}).status_code == 302
    written = db.session.scalars(db.select(SupervisorEvaluation)).one()
    facilitator = Browser(app, scene.facilitator)
    assert facilitator.status(f"/supervisor-evaluations/{written.id}") == 404
    listing = facilitator.text(f"/groups/{scene.group.id}/evaluations")
    assert f"/supervisor-evaluations/{written.id}" not in listing
