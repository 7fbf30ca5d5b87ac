"""The world ``test_routes_by_principal`` walks the routes in: a supervision group with a member
of each role, cases in every state, reviews, rubric versions, annotations, discussions and a
notification, all made through the services.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from conftest import enrol_second_factor
from flask import current_app
from sqlalchemy import select
from support import pass_gate

from supervision.agreements.credentials import add_credential
from supervision.agreements.services import start_agreement
from supervision.annotations.services import create_annotation, section_texts
from supervision.calibration.services import GoldInput, create_calibration_vignette, save_gold
from supervision.cases.privacy import flag_case
from supervision.cases.services import close_case, create_case, revision_by_number
from supervision.discussions.case_threads import case_thread
from supervision.discussions.services import add_post, create_thread, hide_post, set_locked
from supervision.emergency.services import open_grant
from supervision.evaluations.services import (
    EVALUATOR,
    SELF,
    PartInput,
    ScheduleInput,
    save_part,
    schedule_evaluation,
)
from supervision.evaluations.supervisor import write_supervisor_evaluation
from supervision.extensions import db
from supervision.groups.services import invite
from supervision.growth.services import set_growth_share
from supervision.mail.services import outgoing
from supervision.models import (
    Agreement,
    Annotation,
    AnnotationVisibility,
    Case,
    CaseStatus,
    Credential,
    EmergencyGrant,
    Evaluation,
    EvaluationKind,
    Group,
    GroupKind,
    LoginSession,
    Meeting,
    MeetingAttendee,
    MeetingFormat,
    MeetingModality,
    Membership,
    Notification,
    NotificationEvent,
    OutboxMessage,
    Post,
    Review,
    Role,
    RubricVersion,
    SupervisorEvaluation,
    Thread,
    User,
)
from supervision.models.types import utcnow
from supervision.reviews.services import (
    ReviewInput,
    ScoreInput,
    release_review,
    save_review,
    start_review,
    submit_review,
)
from supervision.rubrics.services import builtin_rubric, latest_published, new_draft_version

PRINCIPALS = [
    "anonymous",
    "outsider",
    "supervisee",  # the author of the cases below
    "other_supervisee",
    "supervisor",
    "facilitator",
    "site_admin",
]


@dataclass
class World:
    group: Group
    other_group: Group
    users: dict[str, User]
    memberships: dict[str, Membership]
    invitation_id: int
    invitation_token: str
    cases: dict[str, Case]
    rubric_versions: dict[str, RubricVersion]
    reviews: dict[str, Review]
    annotations: dict[str, Annotation]
    threads: dict[str, Thread]
    posts: dict[str, Post]
    notification: Notification  # other_supervisee's, of the shared case
    login_session: LoginSession  # the supervisee's, on another device
    # -- Supervision agreements: a draft between supervisor and supervisee; a credential --
    agreement: Agreement | None = None
    credential: Credential | None = None
    meetings: dict[str, Meeting] = field(default_factory=dict)  # -- Meetings
    # evaluations: "drafting" (nothing ready), "ready" (both parts ready, unsigned)
    evaluations: dict[str, Evaluation] = field(default_factory=dict)
    # evaluations: the supervisee's of the supervisor, "private" and "shared"
    supervisor_evaluations: dict[str, SupervisorEvaluation] = field(default_factory=dict)
    # emergency access: the site admin's open grant to the *other* group (none to ``group``)
    emergency_grant: EmergencyGrant | None = None


PASSAGE = "went quiet"  # in CLEAN_SECTIONS["moment"]


def selection(case: Case) -> dict[str, Any]:
    """The passage, selected in the case's shared revision, as the case page's script sends it."""
    number = case.published_number
    assert number is not None
    text = section_texts(revision_by_number(case, number))["moment"]
    start = text.index(PASSAGE)
    return {
        "revision": number,
        "section": "moment",
        "start": start,
        "end": start + len(PASSAGE),
        "exact": PASSAGE,
    }


def build_world(make_user: Callable[..., User], make_group: Callable[..., Group]) -> World:
    users = {name: make_user(name.title()) for name in PRINCIPALS if name != "anonymous"}
    users["site_admin"].is_site_admin = True
    enrol_second_factor(users["site_admin"])
    group = make_group(
        GroupKind.SUPERVISION,
        {
            users["facilitator"]: Role.FACILITATOR,
            users["supervisor"]: Role.SUPERVISOR,
            users["supervisee"]: Role.SUPERVISEE,
            users["other_supervisee"]: Role.SUPERVISEE,
        },
    )
    other_group = make_group(GroupKind.PEER, {users["outsider"]: Role.FACILITATOR})
    memberships = {m.user.display_name.lower().replace(" ", "_"): m for m in group.memberships}
    with current_app.test_request_context():
        invitation = invite(group, users["facilitator"], "new.person@example.org", Role.SUPERVISEE)
        db.session.commit()
        cases = build_cases(group, users)
        builtin = latest_published(builtin_rubric())
        rubric_versions = {
            "builtin": builtin,
            "draft": new_draft_version(group, builtin, users["facilitator"]),
        }
        reviews = build_reviews(cases, users)
        cases["calibration"] = build_calibration(group, users)
        annotations = build_annotations(cases, users)
        threads, posts = build_discussions(group, cases, users)
        # The supervisee lets the supervisor (not the facilitator) read their growth page.
        set_growth_share(users["supervisee"], group, users["supervisor"].id, True)
        db.session.commit()
    # Sharing the case told the group (notifications/events.py); one of those is other_supervisee's.
    notification = db.session.scalars(
        select(Notification).where(
            Notification.user_id == users["other_supervisee"].id,
            Notification.event == NotificationEvent.CASE_SHARED,
            Notification.subject_id == cases["shared"].id,
        )
    ).one()
    # The token itself is only in the email; read it back from the queued link.
    invitation_mail = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.recipient == "new.person@example.org")
        .order_by(OutboxMessage.id.desc())
    ).first()
    body = outgoing(invitation_mail).body
    token = body.split("/groups/invitations/")[1].split()[0]
    login_session = LoginSession(user_id=users["supervisee"].id, key_hash=secrets.token_hex(32))
    db.session.add(login_session)
    db.session.commit()
    world = World(
        group,
        other_group,
        users,
        memberships,
        invitation.id,
        token,
        cases,
        rubric_versions,
        reviews,
        annotations,
        threads,
        posts,
        notification,
        login_session,
    )
    # -- Supervision agreements --
    world.agreement = start_agreement(group, users["supervisee"], users["supervisor"])
    world.credential = add_credential(users["supervisor"], "LPC-S", "12345", "Texas", None)
    db.session.commit()
    world.meetings = build_meetings(group, users)  # -- Meetings
    with current_app.test_request_context():  # -- evaluations
        world.evaluations, world.supervisor_evaluations = build_evaluations(group, users)
        # emergency access: an open grant to the other group, so ending one has a target
        world.emergency_grant = open_grant(
            users["site_admin"], other_group, "A grant to the other group, for the routes.", 4
        )
        db.session.commit()
    return world


# -- Meetings: the supervisor's meetings with the supervisee (not other_supervisee): one signed,
# one awaiting sign-off.
def build_meetings(group: Group, users: dict[str, User]) -> dict[str, Meeting]:
    def meeting(signed: bool) -> Meeting:
        entry = Meeting(
            group=group,
            held_on=date(2026, 3, 3),
            duration_minutes=60,
            format=MeetingFormat.INDIVIDUAL,
            modality=MeetingModality.VIDEO,
            supervisor_id=users["supervisor"].id,
            drafted_by_id=users["supervisee"].id,
            attendees=[MeetingAttendee(user_id=users["supervisee"].id)],
        )
        if signed:
            entry.signed_name, entry.signed_at = users["supervisor"].display_name, utcnow()
        db.session.add(entry)
        return entry

    meetings = {"signed": meeting(True), "draft": meeting(False)}
    db.session.commit()
    return meetings


def _scored(case: Case, reviewer: User, level: int) -> Review:
    review = start_review(case, reviewer)
    scores = {s.criterion_key: ScoreInput(not_visible=True) for s in review.scores}
    scores["boundaries"] = ScoreInput(level=level, evidence="R. went quiet", comment="Seen.")
    save_review(review, ReviewInput(scores, "Thoughtful work.", "Private thought."))
    submit_review(review)
    return review


def build_reviews(cases: dict[str, Case], users: dict[str, User]) -> dict[str, Review]:
    """Two submitted reviews two levels apart (a discrepancy) and a draft on another case.

    Blind scoring: on that second case, the supervisor's draft and the facilitator's released
    review; on a third, the supervisor's submitted review and the facilitator's draft."""
    submitted = _scored(cases["shared"], users["supervisor"], 1)
    _scored(cases["shared"], users["facilitator"], 4)
    group, author = cases["shared"].group, users["supervisee"]
    second = create_case(group, author, "Second", CLEAN_SECTIONS)
    pass_gate(second, author, commit=False)
    draft = start_review(second, users["supervisor"])
    released = _scored(second, users["facilitator"], 3)
    release_review(released)
    third = create_case(group, author, "Third", CLEAN_SECTIONS)
    pass_gate(third, author, commit=False)
    under_facilitator_draft = _scored(third, users["supervisor"], 2)
    start_review(third, users["facilitator"])
    return {
        "submitted": submitted,
        "draft": draft,
        "released_to_drafter": released,  # the supervisor may only choose to read it
        "under_facilitator_draft": under_facilitator_draft,  # hidden from the facilitator
    }


def build_calibration(group: Group, users: dict[str, User]) -> Case:
    """A calibration vignette the facilitator wrote, with a gold level, that the supervisor
    has scored (so may read their feedback)."""
    facilitator = users["facilitator"]
    case = create_calibration_vignette(group, facilitator, "Calibration", CLEAN_SECTIONS)
    pass_gate(case, facilitator, commit=False)
    save_gold(case, facilitator, {"boundaries": GoldInput(3, "Steady and warm.")})
    _scored(case, users["supervisor"], 2)
    return case


def build_annotations(cases: dict[str, Case], users: dict[str, User]) -> dict[str, Annotation]:
    """The supervisor's annotations of the shared case, for the whole group, for reviewers only
    and for themself; one of the flagged case (the flag hides it from its writer) and one of the
    closed case (read-only: it takes no more replies, answers or edits)."""

    def annotate(state: str, visibility: AnnotationVisibility) -> Annotation:
        case = cases[state]
        where = selection(case)
        return create_annotation(
            case,
            users["supervisor"],
            where["revision"],
            where["section"],
            where["start"],
            where["end"],
            where["exact"],
            "Notice the pause.",
            visibility=visibility,
        )

    return {
        "group": annotate("shared", AnnotationVisibility.GROUP),
        "reviewers": annotate("shared", AnnotationVisibility.REVIEWERS),
        "private": annotate("shared", AnnotationVisibility.PRIVATE),
        "flagged": annotate("flagged", AnnotationVisibility.GROUP),
        "closed": annotate("closed", AnnotationVisibility.GROUP),
    }


def build_discussions(
    group: Group, cases: dict[str, Case], users: dict[str, User]
) -> tuple[dict[str, Thread], dict[str, Post]]:
    """Free threads the supervisor started, each with other_supervisee's reply: one open (where
    the facilitator hid a post of the supervisee's), one locked, one "reply before you read";
    and the flagged case's own thread (opened when the case was shared)."""
    starter, replier = users["supervisor"], users["other_supervisee"]

    def thread(title: str, reply_before_read: bool = False) -> tuple[Thread, Post]:
        started = create_thread(
            group,
            starter,
            title,
            "How do you pace a first session?",
            reply_before_read=reply_before_read,
        )
        return started, add_post(started, replier, "I slow down when I notice I am rushing.")

    open_thread, reply = thread("Pacing")
    locked, locked_reply = thread("Silences")
    set_locked(locked, True)
    gated, gated_reply = thread("First impressions", reply_before_read=True)
    hidden = add_post(open_thread, users["supervisee"], "Something better left unsaid.")
    hide_post(hidden, users["facilitator"], "It named the client's workplace.")
    flagged_case = case_thread(cases["flagged"])
    assert flagged_case is not None
    threads = {
        "open": open_thread,
        "locked": locked,
        "gated": gated,
        "flagged_case": flagged_case,
    }
    posts = {
        "reply": reply,
        "locked_reply": locked_reply,
        "gated_reply": gated_reply,
        "hidden": hidden,
    }
    return threads, posts


CLEAN_SECTIONS = {
    "context": "Third session of twelve, short-term counselling.",
    "client": "The client is a woman in her thirties.",
    "moment": "R. went quiet after I named the pattern.",
    "reactions": "I felt I had rushed her.",
    "question": "How could I have paced this?",
}


def build_cases(group: Group, users: dict[str, User]) -> dict[str, Case]:
    author, facilitator = users["supervisee"], users["facilitator"]

    def shared(title: str) -> Case:
        case = create_case(group, author, title, CLEAN_SECTIONS)
        pass_gate(case, author, commit=False)
        return case

    cases = {
        "shared": shared("Shared case"),
        "draft": create_case(group, author, "Draft case", CLEAN_SECTIONS),
        "closed": shared("Closed case"),
        "flagged": shared("Flagged case"),
    }
    close_case(cases["closed"])
    flag_case(cases["flagged"], users["supervisor"], "", "The setting is too specific.")
    group.require_case_approval = True
    cases["pending"] = shared("Pending case")
    group.require_case_approval = False
    db.session.commit()
    assert cases["pending"].status is CaseStatus.PENDING and facilitator
    return cases


# -- evaluations -----------------------------------------------------------------------------------

EVALUATION_KEYS = (
    "boundaries",
    "pacing",
    "corrective_experience",
    "holding_steady",
    "attunement",
    "silence",
    "rupture_repair",
)


def build_evaluations(
    group: Group, users: dict[str, User]
) -> tuple[dict[str, Evaluation], dict[str, SupervisorEvaluation]]:
    """The supervisor's evaluations of the supervisee (one being drafted, one with both parts
    ready to sign), and the supervisee's evaluations of the supervisor (private and shared)."""
    today = utcnow().date()

    def scheduled() -> Evaluation:
        data = ScheduleInput(
            users["supervisee"].id,
            users["supervisor"].id,
            EvaluationKind.MIDTERM,
            "",
            today - timedelta(days=30),
            today,
            today + timedelta(days=5),
            latest_published(builtin_rubric()).id,  # type: ignore[union-attr]
        )
        return schedule_evaluation(group, users["facilitator"], data)

    drafting, ready = scheduled(), scheduled()
    for side in (EVALUATOR, SELF):
        levels = dict.fromkeys(EVALUATION_KEYS, "3")
        save_part(ready, side, PartInput(levels, {}, "Done.", True), ready.edit_version)
    answers = {"availability": 4, "clarity": 4, "safety": 5, "goals": 3, "respect": 5}

    def written(shared: bool) -> SupervisorEvaluation:
        supervisee, supervisor = users["supervisee"], users["supervisor"]
        return write_supervisor_evaluation(group, supervisee, supervisor.id, answers, "", shared)

    supervisor_evaluations = {"private": written(False), "shared": written(True)}
    db.session.commit()
    return {"drafting": drafting, "ready": ready}, supervisor_evaluations
