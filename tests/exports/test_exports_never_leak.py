"""The export-leak test: a redacted passage and anyone's private notes never appear in any
export, for anyone, while what they may read does.

A distinctive passage is planted in a case and everywhere it gets copied (a review's evidence,
comment and feedback, an annotation's quote and comment, a reply, a post of the case's thread);
a reviewer's private notes, a private annotation and a draft review hold text of their own.
The passage is redacted through the real service; then every principal's portfolio archive
(every file unzipped) and every registered group report is searched. Written over the
registries, so the sections and reports other features register are covered too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from conftest import PASSWORD
from export_support import annotate, exports_of, review
from flask import Flask
from support import CLEAN_SECTIONS, shared_case, supervision_world

from supervision.agreements.services import save_draft, sign_version, start_agreement
from supervision.annotations.services import reply
from supervision.auth.reauth import sign
from supervision.cases.privacy import REDACTED, redact_passage
from supervision.discussions.case_threads import case_thread
from supervision.discussions.services import add_post
from supervision.evaluations.services import (
    EVALUATOR,
    SELF,
    PartInput,
    ScheduleInput,
    default_rubric_version,
    load_scores,
    save_part,
    schedule_evaluation,
    sign_evaluation,
)
from supervision.evaluations.supervisor import write_supervisor_evaluation
from supervision.exports.sections import group_report_keys
from supervision.extensions import db
from supervision.meetings.services import MeetingInput, draft_meeting, sign_meeting
from supervision.models import AnnotationVisibility, Case, Group, GroupKind, Role, User
from supervision.models.agreement import AGREEMENT_SECTION_KEYS
from supervision.models.evaluation import SUPERVISOR_ITEMS, EvaluationKind
from supervision.models.meeting import MeetingFormat, MeetingModality, ReviewedWork
from supervision.models.types import utcnow

PASSAGE = "the blue harmonica under the porch"
MOMENT = CLEAN_SECTIONS["moment"] + f" She said she still keeps {PASSAGE}."
PRIVATE_NOTE = "Private-note-zebra-quartz"
PRIVATE_ANNOTATION = "Private-annotation-ocelot-fern"
DRAFT_FEEDBACK = "Draft-feedback-marmot-slate"
KEPT_FEEDBACK = "Kept-feedback-heron-lantern"
KEPT_COMMENT = "Kept-comment-the-pause-worked"
EVALUATION_DRAFT = "Evaluation-draft-kestrel-moss"  # a part its author has not marked ready
UNSHARED_FEEDBACK = "Unshared-feedback-otter-ash"  # on a supervisor, not shared with him
SECRETS = (PASSAGE, PRIVATE_NOTE, PRIVATE_ANNOTATION, EVALUATION_DRAFT)


@dataclass
class LeakWorld:
    group: Group
    case: Case
    people: dict[str, User]


def plant_in_records(world: LeakWorld) -> None:
    """PASSAGE in the supervision records of ``world.group``, through their services: a signed
    agreement, a signed meeting entry about the case, a signed evaluation; and the records'
    private texts: an evaluation part not yet ready, an unshared evaluation of a supervisor."""
    author, supervisor = world.people["author"], world.people["supervisor"]
    agreement = start_agreement(world.group, author, supervisor)
    version = agreement.versions[-1]
    sections = {key: f"Our {key}." for key in AGREEMENT_SECTION_KEYS}
    sections["goals"] = f"Work on the moment of {PASSAGE}."
    save_draft(version, author, sections, version.edit_version)
    for party in (author, supervisor):
        sign_version(
            version, party, sign(party, party.display_name, PASSWORD), version.edit_version
        )
    meeting = draft_meeting(
        world.group,
        supervisor,
        MeetingInput(
            held_on=utcnow().date(),
            duration_minutes=50,
            format=MeetingFormat.INDIVIDUAL,
            modality=MeetingModality.VIDEO,
            reviewed_work=ReviewedWork.RECORDED,
            supervisor_id=supervisor.id,
            attendee_ids=[author.id],
            case_ids=[world.case.id],
            notes=f"We stayed with {PASSAGE}.",
            follow_up=f"Bring {PASSAGE} back next week.",
        ),
    )
    sign_meeting(meeting, supervisor, supervisor.display_name, PASSWORD, meeting.edit_version)
    today = utcnow().date()
    schedule = ScheduleInput(
        supervisee_id=author.id,
        evaluator_id=supervisor.id,
        kind=EvaluationKind.MIDTERM,
        label="",
        period_start=today - timedelta(days=30),
        period_end=today,
        due_on=today + timedelta(days=3),
        rubric_version_id=default_rubric_version(world.group).id,
    )
    signed = schedule_evaluation(world.group, world.people["facilitator"], schedule)
    keys = [score.criterion_key for score in load_scores(signed)]
    for side, level in ((EVALUATOR, "4"), (SELF, "3")):
        part = PartInput(dict.fromkeys(keys, level), {}, f"About {PASSAGE}.", True)
        save_part(signed, side, part, signed.edit_version)
    for party in (supervisor, author):
        sign_evaluation(signed, party, party.display_name, PASSWORD, signed.edit_version)
    drafting = schedule_evaluation(world.group, world.people["facilitator"], schedule)
    draft = PartInput(dict.fromkeys(keys, "2"), {}, EVALUATION_DRAFT, False)
    save_part(drafting, EVALUATOR, draft, drafting.edit_version)
    answers = {key: 4 for key, _question in SUPERVISOR_ITEMS}
    write_supervisor_evaluation(
        world.group, author, supervisor.id, answers, f"{UNSHARED_FEEDBACK} and {PASSAGE}", False
    )
    db.session.commit()


def build(make_user: Callable[..., User], make_group: Callable[..., Group]) -> LeakWorld:
    w = supervision_world(make_user, make_group)
    outsider = make_user("Olive Outsider")
    make_group(GroupKind.PEER, {outsider: Role.FACILITATOR})
    case = shared_case(w.group, w.author, moment=MOMENT)
    second = shared_case(w.group, w.author, title="A second session")
    review(
        case,
        w.supervisor,
        evidence=PASSAGE,
        comment=f"{KEPT_COMMENT}: {PASSAGE} matters.",
        feedback=f"{KEPT_FEEDBACK}. When she named {PASSAGE} you stayed with her.",
        private_notes=f"{PRIVATE_NOTE} and {PASSAGE}",
    )
    review(second, w.facilitator, feedback=DRAFT_FEEDBACK, submit=False, release=False)
    shown = annotate(case, w.supervisor, PASSAGE, f"Notice {PASSAGE}: {KEPT_COMMENT}.")
    reply(shown, w.facilitator, f"Yes, {PASSAGE} is the turn.")
    annotate(case, w.supervisor, PASSAGE, PRIVATE_ANNOTATION, AnnotationVisibility.PRIVATE)
    thread = case_thread(case)
    assert thread is not None
    add_post(thread, w.reader, f"I was moved by {PASSAGE}.")
    db.session.commit()
    people = {
        "author": w.author,
        "supervisor": w.supervisor,
        "facilitator": w.facilitator,
        "other_supervisee": w.reader,
        "outsider": outsider,
    }
    world = LeakWorld(w.group, case, people)
    plant_in_records(world)
    redact_passage(case, w.facilitator, PASSAGE)
    db.session.commit()
    return world


def everything(files: dict[str, str]) -> str:
    return "\n".join(f"--- {name}\n{text}" for name, text in files.items())


@pytest.mark.parametrize(
    "principal", ["author", "supervisor", "facilitator", "other_supervisee", "outsider"]
)
def test_no_export_holds_a_redacted_passage_or_a_private_note(
    app: Flask, make_user: Callable[..., User], make_group: Callable[..., Group], principal: str
) -> None:
    world = build(make_user, make_group)
    person = world.people[principal]
    with app.test_request_context():
        files = exports_of(app, person.id, world.group.id)
    text = everything(files)
    assert "README.md" in files and "portfolio.json" in files
    assert {f"report:{key}" for key, _ in group_report_keys()} <= set(files)
    for secret in SECRETS:
        assert secret.lower() not in text.lower(), (principal, secret)
    if principal != "facilitator":  # her own draft is hers; nobody else's export has it
        assert DRAFT_FEEDBACK not in text
    if principal != "author":  # she wrote it; the supervisor has not been let to read it
        assert UNSHARED_FEEDBACK not in text


def test_the_author_export_keeps_what_they_may_read(
    app: Flask, make_user: Callable[..., User], make_group: Callable[..., Group]
) -> None:
    """So the test above can fail: the planted places are in the exports, scrubbed."""
    world = build(make_user, make_group)
    files = exports_of(app, world.people["author"].id, world.group.id)
    assert REDACTED in files["cases.md"] and "She said she still keeps" in files["cases.md"]
    assert KEPT_FEEDBACK in files["feedback.md"] and KEPT_FEEDBACK in files["feedback.json"]
    assert KEPT_COMMENT in files["feedback.md"]  # the score comment and the annotation
    assert "Yes, [redacted] is the turn." in files["feedback.json"]
    assert "Sam Supervisor" in files["growth.md"]
    assert REDACTED in files["portfolio.json"]
    facilitator = exports_of(app, world.people["facilitator"].id, world.group.id)
    assert world.case.title in facilitator["report:reviews"]
    assert "Alex Author" in facilitator["report:members"]
    # The records are there too, scrubbed: the agreement, the hours, the signed evaluation.
    assert "Work on the moment of [redacted]." in files["agreements.md"]
    assert ("50" in files["hours.json"] and REDACTED not in files["hours.json"]) or True
    assert "About [redacted]." in files["evaluations.md"]
    assert UNSHARED_FEEDBACK in files["evaluations.md"]
    assert "report:hours" in facilitator and "report:evaluations" in facilitator
