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

import pytest
from export_support import annotate, exports_of, review
from flask import Flask
from support import CLEAN_SECTIONS, shared_case, supervision_world

from supervision.annotations.services import reply
from supervision.cases.privacy import REDACTED, redact_passage
from supervision.discussions.case_threads import case_thread
from supervision.discussions.services import add_post
from supervision.exports.sections import group_report_keys
from supervision.extensions import db
from supervision.models import AnnotationVisibility, Case, Group, GroupKind, Role, User

PASSAGE = "the blue harmonica under the porch"
MOMENT = CLEAN_SECTIONS["moment"] + f" She said she still keeps {PASSAGE}."
PRIVATE_NOTE = "Private-note-zebra-quartz"
PRIVATE_ANNOTATION = "Private-annotation-ocelot-fern"
DRAFT_FEEDBACK = "Draft-feedback-marmot-slate"
KEPT_FEEDBACK = "Kept-feedback-heron-lantern"
KEPT_COMMENT = "Kept-comment-the-pause-worked"
SECRETS = (PASSAGE, PRIVATE_NOTE, PRIVATE_ANNOTATION)


@dataclass
class LeakWorld:
    group: Group
    case: Case
    people: dict[str, User]


def plant_in_records(world: LeakWorld) -> None:
    """LEAD: after the merge, plant PASSAGE (and a private note each feature keeps, if any) in
    the records of meetings/hours, evaluations and agreements of ``world.group`` here, through
    their services, before the redaction runs; add their private texts to SECRETS."""


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
