"""Every route in the URL map, tried as every kind of principal, against the declared rules.

A route missing from ROUTES fails ``test_every_route_is_classified``: new features must add
their routes here. Group-scoped routes are checked against ``permissions.can`` itself, so the
map and the views cannot drift apart: non-members get 404, members without the permission 403.
A POST route that names its valid input (``form``) must also get past validation when allowed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from conftest import PASSWORD, csrf_token
from flask import Flask
from routes_world import (
    CLEAN_SECTIONS,
    EVALUATION_KEYS,
    PASSAGE,
    PRINCIPALS,
    World,
    build_world,
    selection,
)
from support import sign_in

from supervision.extensions import db
from supervision.models import (
    Agreement,
    Annotation,
    AnnotationVisibility,
    Case,
    Channel,
    Evaluation,
    Group,
    Meeting,
    NotificationEvent,
    Post,
    ResponseKind,
    Review,
    SupervisorEvaluation,
    Thread,
    User,
)
from supervision.models.types import utcnow
from supervision.permissions import Permission, can

PUBLIC = "public"  # anyone, signed in or not
ANONYMOUS_ONLY = "anonymous-only"  # signed-in users are redirected away, never refused
SIGNED_IN = "signed-in"  # any account
# The login's second step: without a password step just taken it sends one back to log in;
# signed-in people are sent on.
SECOND_STEP = "second-step"
OWNER_ONLY = "owner-only"  # one's own notification; anyone else's is a 404 (load_notification)
SITE_ADMIN = "site-admin"  # site admins only; anyone else signed in is refused (403)


def _group(w: World) -> Group:
    return w.group


@dataclass(frozen=True)
class Route:
    method: str
    path: Callable[[World], str]
    rule: str | Permission
    target: Callable[[World], Any] = _group
    form: Callable[[World], dict[str, Any]] | None = None  # valid input for a POST
    json: bool = False  # the form goes as a JSON body (the CSRF token in X-CSRFToken)


def _object_route(prefix: str, objects: Callable[[World], dict[str, Any]]) -> Callable[..., Route]:
    """Routes of one kind of object, ``{prefix}/{id}{suffix}``, by the world's name for it."""

    def route(
        method: str,
        suffix: str,
        permission: Permission,
        which: str,
        form: Callable[[World], dict[str, Any]] | None = None,
    ) -> Route:
        return Route(
            method,
            lambda w: f"{prefix}/{objects(w)[which].id}{suffix}",
            permission,
            lambda w: objects(w)[which],
            form,
        )

    return route


_annotation_route = _object_route("/annotations", lambda w: w.annotations)
_thread_route = _object_route("/discussions", lambda w: w.threads)
_post_route = _object_route("/discussions/posts", lambda w: w.posts)


def _case_route(method: str, suffix: str, permission: Permission, state: str = "shared") -> Route:
    return Route(
        method,
        lambda w: f"/cases/{w.cases[state].id}{suffix}",
        permission,
        lambda w: w.cases[state],
    )


ROUTES: dict[str, Route] = {
    "main.index": Route("GET", lambda w: "/", PUBLIC),
    "auth.login": Route("GET", lambda w: "/login", ANONYMOUS_ONLY),
    "auth.register": Route("GET", lambda w: "/register", ANONYMOUS_ONLY),
    "auth.logout": Route("POST", lambda w: "/logout", PUBLIC),
    "auth.forgot_password": Route("GET", lambda w: "/password/forgot", PUBLIC),
    "auth.reset_link": Route("GET", lambda w: "/password/reset/not-a-token", PUBLIC),
    "auth.reset_password": Route("GET", lambda w: "/password/reset", PUBLIC),
    "auth.change_password": Route("GET", lambda w: "/account/password", SIGNED_IN),
    "auth.change_email": Route("GET", lambda w: "/account/email", SIGNED_IN),
    # second factor
    "two_factor.challenge": Route("GET", lambda w: "/login/second-factor", SECOND_STEP),
    "two_factor.settings": Route("GET", lambda w: "/account/two-factor", SIGNED_IN),
    "two_factor.setup": Route("GET", lambda w: "/account/two-factor/new", SIGNED_IN),
    "two_factor.start_setup": Route("POST", lambda w: "/account/two-factor/setup", SIGNED_IN),
    "two_factor.new_recovery_codes": Route(
        "POST", lambda w: "/account/two-factor/recovery-codes", SIGNED_IN
    ),
    "two_factor.turn_off": Route("POST", lambda w: "/account/two-factor/off", SIGNED_IN),
    # sessions
    "auth.sessions": Route("GET", lambda w: "/account/sessions", SIGNED_IN),
    "auth.end_other_sessions": Route("POST", lambda w: "/account/sessions/end-others", SIGNED_IN),
    "auth.end_one_session": Route(
        "POST",
        lambda w: f"/account/sessions/{w.login_session.id}/end",
        OWNER_ONLY,
        lambda w: w.login_session,
    ),
    "groups.index": Route("GET", lambda w: "/groups/", SIGNED_IN),
    "groups.create": Route("GET", lambda w: "/groups/new", Permission.GROUP_CREATE),
    "groups.open_invitation": Route(
        "GET", lambda w: f"/groups/invitations/{w.invitation_token}", PUBLIC
    ),
    "groups.invitation": Route("GET", lambda w: "/groups/invitation", PUBLIC),
    "groups.invitation[accept]": Route("POST", lambda w: "/groups/invitation", SIGNED_IN),
    "groups.home": Route("GET", lambda w: f"/groups/{w.group.id}", Permission.GROUP_VIEW),
    "groups.settings": Route(
        "GET", lambda w: f"/groups/{w.group.id}/settings", Permission.GROUP_MANAGE
    ),
    "groups.send_invitation": Route(
        "POST", lambda w: f"/groups/{w.group.id}/invitations", Permission.GROUP_MANAGE
    ),
    "groups.withdraw_invitation": Route(
        "POST",
        lambda w: f"/groups/{w.group.id}/invitations/{w.invitation_id}/revoke",
        Permission.GROUP_MANAGE,
    ),
    "groups.set_role": Route(
        "POST",
        lambda w: f"/groups/{w.group.id}/members/{w.memberships['supervisee'].id}/role",
        Permission.GROUP_MANAGE,
    ),
    "groups.remove": Route(
        "POST",
        lambda w: f"/groups/{w.group.id}/members/{w.memberships['supervisee'].id}/remove",
        Permission.GROUP_MANAGE,
    ),
    "groups.leave": Route("POST", lambda w: f"/groups/{w.group.id}/leave", Permission.GROUP_LEAVE),
    "cases.my_cases": Route("GET", lambda w: "/cases/mine", SIGNED_IN),
    "cases.group_list": Route(
        "GET", lambda w: f"/groups/{w.group.id}/cases", Permission.GROUP_VIEW
    ),
    "cases.create": Route(
        "GET", lambda w: f"/groups/{w.group.id}/cases/new", Permission.CASE_CREATE
    ),
    "cases.show": _case_route("GET", "", Permission.CASE_VIEW),
    "cases.show[draft]": _case_route("GET", "", Permission.CASE_VIEW, "draft"),
    "cases.show[pending]": _case_route("GET", "", Permission.CASE_VIEW, "pending"),
    "cases.show[flagged]": _case_route("GET", "", Permission.CASE_VIEW, "flagged"),
    # The case page's next chunk of annotations: the case page's own checks.
    "pages.case_annotations": _case_route("GET", "/annotations/more", Permission.CASE_VIEW),
    "pages.case_annotations[draft]": _case_route(
        "GET", "/annotations/more", Permission.CASE_VIEW, "draft"
    ),
    "cases.edit": _case_route("GET", "/edit", Permission.CASE_EDIT),
    "cases.edit[closed]": _case_route("GET", "/edit", Permission.CASE_EDIT, "closed"),
    "cases.share": _case_route("GET", "/share", Permission.CASE_EDIT, "draft"),
    "cases.resolve": _case_route("POST", "/findings", Permission.CASE_EDIT, "draft"),
    "cases.replace": _case_route("POST", "/findings/replace", Permission.CASE_EDIT, "draft"),
    "cases.approve": _case_route("POST", "/approve", Permission.CASE_APPROVE, "pending"),
    "cases.close": _case_route("POST", "/close", Permission.CASE_CLOSE),
    "cases.withdraw": _case_route("GET", "/withdraw", Permission.CASE_WITHDRAW),
    "cases.withdraw[post]": _case_route("POST", "/withdraw", Permission.CASE_WITHDRAW),
    "cases.revisions": _case_route("GET", "/revisions", Permission.CASE_VIEW),
    "cases.flag": _case_route("GET", "/flag", Permission.CASE_FLAG),
    "cases.clear": Route(
        "POST",
        lambda w: f"/cases/{w.cases['flagged'].id}/flags/{w.cases['flagged'].flags[0].id}/clear",
        Permission.CASE_CLEAR_FLAG,
        lambda w: w.cases["flagged"],
    ),
    "cases.redact": _case_route("GET", "/redact", Permission.CASE_REDACT),
}


def _rubric_route(method: str, suffix: str, permission: Permission, which: str) -> Route:
    return Route(
        method,
        lambda w: f"/groups/{w.group.id}/rubrics/versions/{w.rubric_versions[which].id}{suffix}",
        permission,
    )


ROUTES.update(
    {
        "rubrics.index": Route(
            "GET", lambda w: f"/groups/{w.group.id}/rubrics", Permission.RUBRIC_VIEW
        ),
        "rubrics.show_version": _rubric_route("GET", "", Permission.RUBRIC_VIEW, "builtin"),
        "rubrics.show_version[draft]": _rubric_route("GET", "", Permission.RUBRIC_MANAGE, "draft"),
        "rubrics.export": _rubric_route("GET", "/export", Permission.RUBRIC_VIEW, "builtin"),
        "rubrics.choose": Route(
            "POST",
            lambda w: (
                f"/groups/{w.group.id}/rubrics/{w.rubric_versions['builtin'].rubric_id}/choose"
            ),
            Permission.RUBRIC_MANAGE,
        ),
        "rubrics.new_version": _rubric_route(
            "POST", "/new-version", Permission.RUBRIC_MANAGE, "builtin"
        ),
        "rubrics.edit_version": _rubric_route("GET", "/edit", Permission.RUBRIC_MANAGE, "draft"),
        "rubrics.publish": _rubric_route("POST", "/publish", Permission.RUBRIC_MANAGE, "draft"),
        "rubrics.discard": _rubric_route("POST", "/discard", Permission.RUBRIC_MANAGE, "draft"),
        "rubrics.import_rubric": Route(
            "GET", lambda w: f"/groups/{w.group.id}/rubrics/import", Permission.RUBRIC_MANAGE
        ),
    }
)


_review_route = _object_route("/reviews", lambda w: w.reviews)


ROUTES.update(
    {
        "reviews.index": _case_route("GET", "/reviews/list", Permission.CASE_VIEW),
        "reviews.start": _case_route("POST", "/reviews", Permission.CASE_REVIEW),
        "reviews.edit": _review_route("GET", "/edit", Permission.REVIEW_EDIT, "draft"),
        "reviews.autosave": _review_route("POST", "/autosave", Permission.REVIEW_EDIT, "draft"),
        "reviews.show": _review_route("GET", "", Permission.REVIEW_READ_FEEDBACK, "submitted"),
        # Blind scoring: a reviewer still to score the revision gets the choice to read it.
        "reviews.show[released-to-drafter]": _review_route(
            "GET", "", Permission.REVIEW_READ_FEEDBACK, "released_to_drafter"
        ),
        "reviews.show[facilitator-draft]": _review_route(
            "GET", "", Permission.REVIEW_READ_FEEDBACK, "under_facilitator_draft"
        ),
        "reviews.read_anyway": _review_route(
            "POST", "/read-anyway", Permission.REVIEW_READ_ANYWAY, "released_to_drafter"
        ),
        "reviews.read_anyway[facilitator-draft]": _review_route(
            "POST", "/read-anyway", Permission.REVIEW_READ_ANYWAY, "under_facilitator_draft"
        ),
        "reviews.release": _review_route(
            "POST", "/release", Permission.REVIEW_RELEASE, "submitted"
        ),
        "reviews.descriptors": Route(
            "POST",
            lambda w: "/account/review-descriptors",
            SIGNED_IN,
            form=lambda w: {"collapsed": "1"},
        ),
        "reviews.scores_visibility": _case_route(
            "POST", "/scores-visibility", Permission.CASE_SCORES_VISIBILITY
        ),
        "reviews.reconcile": Route(
            "GET",
            lambda w: (
                f"/cases/{w.cases['shared'].id}/reconcile/"
                f"{w.reviews['submitted'].revision_number}/boundaries"
            ),
            Permission.CASE_RECONCILE,
            lambda w: w.cases["shared"],
        ),
    }
)


def _new_annotation(state: str) -> Callable[[World], dict[str, Any]]:
    return lambda w: {
        **selection(w.cases[state]),
        "body": "Notice the pause.",
        "visibility": AnnotationVisibility.GROUP.value,
    }


def _annotation_reply(w: World) -> dict[str, Any]:
    return {"body": "Thank you, that helps."}


def _annotation_answer(w: World) -> dict[str, Any]:
    return {"kind": ResponseKind.ACKNOWLEDGED.value}


def _annotation_fields(w: World) -> dict[str, Any]:
    return {
        "body": "Notice the pause, and what came after.",
        "criterion_key": "",
        "visibility": AnnotationVisibility.GROUP.value,
        "edit_version": 1,
    }


ROUTES.update(
    {
        "annotations.create": Route(
            "POST",
            lambda w: f"/cases/{w.cases['shared'].id}/annotations",
            Permission.CASE_ANNOTATE,
            lambda w: w.cases["shared"],
            _new_annotation("shared"),
            json=True,
        ),
        # A flagged case is still SHARED: its facilitator (who may read it) may annotate it.
        "annotations.create[flagged]": Route(
            "POST",
            lambda w: f"/cases/{w.cases['flagged'].id}/annotations",
            Permission.CASE_ANNOTATE,
            lambda w: w.cases["flagged"],
            _new_annotation("flagged"),
            json=True,
        ),
        "annotations.create[closed]": Route(
            "POST",
            lambda w: f"/cases/{w.cases['closed'].id}/annotations",
            Permission.CASE_ANNOTATE,
            lambda w: w.cases["closed"],
            _new_annotation("closed"),
            json=True,
        ),
        "annotations.new": _case_route("GET", "/annotations/new", Permission.CASE_ANNOTATE),
        "annotations.new[closed]": _case_route(
            "GET", "/annotations/new", Permission.CASE_ANNOTATE, "closed"
        ),
        "annotations.new[post]": Route(
            "POST",
            lambda w: f"/cases/{w.cases['shared'].id}/annotations/new",
            Permission.CASE_ANNOTATE,
            lambda w: w.cases["shared"],
            lambda w: {"section": "moment", "passage": PASSAGE, **_annotation_fields(w)},
        ),
        "annotations.reply": _annotation_route(
            "POST", "/replies", Permission.ANNOTATION_REPLY, "group", _annotation_reply
        ),
        "annotations.reply[reviewers]": _annotation_route(
            "POST", "/replies", Permission.ANNOTATION_REPLY, "reviewers", _annotation_reply
        ),
        "annotations.reply[private]": _annotation_route(
            "POST", "/replies", Permission.ANNOTATION_REPLY, "private", _annotation_reply
        ),
        "annotations.reply[flagged]": _annotation_route(
            "POST", "/replies", Permission.ANNOTATION_REPLY, "flagged", _annotation_reply
        ),
        "annotations.reply[closed]": _annotation_route(
            "POST", "/replies", Permission.ANNOTATION_REPLY, "closed", _annotation_reply
        ),
        "annotations.respond": _annotation_route(
            "POST", "/response", Permission.ANNOTATION_RESPOND, "group", _annotation_answer
        ),
        "annotations.respond[reviewers]": _annotation_route(
            "POST", "/response", Permission.ANNOTATION_RESPOND, "reviewers", _annotation_answer
        ),
        "annotations.respond[closed]": _annotation_route(
            "POST", "/response", Permission.ANNOTATION_RESPOND, "closed", _annotation_answer
        ),
        "annotations.edit": _annotation_route("GET", "/edit", Permission.ANNOTATION_EDIT, "group"),
        "annotations.edit[post]": _annotation_route(
            "POST", "/edit", Permission.ANNOTATION_EDIT, "group", _annotation_fields
        ),
        "annotations.edit[flagged]": _annotation_route(
            "GET", "/edit", Permission.ANNOTATION_EDIT, "flagged"
        ),
        "annotations.edit[closed]": _annotation_route(
            "GET", "/edit", Permission.ANNOTATION_EDIT, "closed"
        ),
        "annotations.delete": _annotation_route(
            "POST", "/delete", Permission.ANNOTATION_EDIT, "group"
        ),
        "annotations.delete[private]": _annotation_route(
            "POST", "/delete", Permission.ANNOTATION_EDIT, "private"
        ),
        "annotations.delete[closed]": _annotation_route(
            "POST", "/delete", Permission.ANNOTATION_EDIT, "closed"
        ),
    }
)


ROUTES.update(
    {
        "calibration.report": Route(
            "GET", lambda w: f"/groups/{w.group.id}/calibration", Permission.CALIBRATION_REPORT_VIEW
        ),
        "calibration.create": Route(
            "GET", lambda w: f"/groups/{w.group.id}/calibration/new", Permission.CALIBRATION_CREATE
        ),
        "calibration.create[post]": Route(
            "POST",
            lambda w: f"/groups/{w.group.id}/calibration/new",
            Permission.CALIBRATION_CREATE,
            form=lambda w: {"title": "Invented", **CLEAN_SECTIONS},
        ),
        "calibration.mark": Route(
            "POST",
            lambda w: f"/cases/{w.cases['shared'].id}/calibration",
            Permission.CALIBRATION_MARK,
            lambda w: w.cases["shared"],
            lambda w: {"state": "on"},
        ),
        "calibration.mark[pending]": Route(
            "POST",
            lambda w: f"/cases/{w.cases['pending'].id}/calibration",
            Permission.CALIBRATION_MARK,
            lambda w: w.cases["pending"],
            lambda w: {"state": "on"},
        ),
        "calibration.gold": _case_route(
            "GET", "/calibration/gold", Permission.CALIBRATION_GOLD_EDIT, "calibration"
        ),
        # An ordinary case has no gold levels: nobody may record them.
        "calibration.gold[ordinary]": _case_route(
            "GET", "/calibration/gold", Permission.CALIBRATION_GOLD_EDIT
        ),
        "calibration.gold[post]": Route(
            "POST",
            lambda w: f"/cases/{w.cases['calibration'].id}/calibration/gold",
            Permission.CALIBRATION_GOLD_EDIT,
            lambda w: w.cases["calibration"],
            lambda w: {"level_pacing": "2", "rationale_pacing": "Hurried."},
        ),
        "calibration.feedback": _case_route(
            "GET", "/calibration/feedback", Permission.CALIBRATION_FEEDBACK, "calibration"
        ),
    }
)


def _switch_on(w: World) -> dict[str, Any]:
    return {"state": "on"}


def _new_post(w: World) -> dict[str, Any]:
    return {"body": "I notice the same pull to fill a silence."}


def _edited_post(w: World) -> dict[str, Any]:
    return {
        "body": "I slow down when I notice the rush.",
        "edit_version": w.posts["reply"].edit_version,
    }


ROUTES.update(
    {
        "discussions.index": Route(
            "GET", lambda w: f"/groups/{w.group.id}/discussions", Permission.GROUP_VIEW
        ),
        "discussions.create": Route(
            "GET", lambda w: f"/groups/{w.group.id}/discussions/new", Permission.THREAD_CREATE
        ),
        "discussions.create[post]": Route(
            "POST",
            lambda w: f"/groups/{w.group.id}/discussions/new",
            Permission.THREAD_CREATE,
            form=lambda w: {"title": "Endings", "body": "How do you prepare a last session?"},
        ),
        "discussions.show": _thread_route("GET", "", Permission.THREAD_VIEW, "open"),
        "discussions.show[flagged-case]": _thread_route(
            "GET", "", Permission.THREAD_VIEW, "flagged_case"
        ),
        "discussions.reply": _thread_route(
            "POST", "/posts", Permission.POST_CREATE, "open", _new_post
        ),
        "discussions.reply[locked]": _thread_route(
            "POST", "/posts", Permission.POST_CREATE, "locked", _new_post
        ),
        "discussions.lock": _thread_route(
            "POST", "/lock", Permission.THREAD_LOCK, "open", _switch_on
        ),
        "discussions.pin": _thread_route("POST", "/pin", Permission.THREAD_PIN, "open", _switch_on),
        "discussions.settings": _thread_route(
            "POST",
            "/settings",
            Permission.THREAD_SETTINGS,
            "open",
            lambda w: {"reply_before_read": "y"},
        ),
        # The link to a post answers to the post's thread.
        "discussions.post_link": Route(
            "GET",
            lambda w: f"/discussions/posts/{w.posts['reply'].id}",
            Permission.THREAD_VIEW,
            lambda w: w.threads["open"],
        ),
        "discussions.history": _post_route("GET", "/history", Permission.POST_READ, "reply"),
        "discussions.history[gated]": _post_route(
            "GET", "/history", Permission.POST_READ, "gated_reply"
        ),
        "discussions.history[hidden]": _post_route(
            "GET", "/history", Permission.POST_READ, "hidden"
        ),
        "discussions.edit": _post_route("GET", "/edit", Permission.POST_EDIT, "reply"),
        "discussions.edit[post]": _post_route(
            "POST", "/edit", Permission.POST_EDIT, "reply", _edited_post
        ),
        "discussions.edit[locked]": _post_route(
            "GET", "/edit", Permission.POST_EDIT, "locked_reply"
        ),
        "discussions.delete": _post_route("POST", "/delete", Permission.POST_DELETE, "reply"),
        "discussions.hide": _post_route("GET", "/hide", Permission.POST_HIDE, "reply"),
        "discussions.hide[post]": _post_route(
            "POST", "/hide", Permission.POST_HIDE, "reply", lambda w: {"reason": "Off topic."}
        ),
        "discussions.unhide": _post_route("POST", "/unhide", Permission.POST_HIDE, "hidden"),
    }
)


def _notification_route(suffix: str) -> Route:
    return Route(
        "POST",
        lambda w: f"/notifications/{w.notification.id}{suffix}",
        OWNER_ONLY,
        lambda w: w.notification,
    )


ROUTES.update(
    {
        "notifications.index": Route("GET", lambda w: "/notifications", SIGNED_IN),
        "notifications.mark_all_read": Route("POST", lambda w: "/notifications/read", SIGNED_IN),
        "notifications.open": _notification_route("/open"),
        "notifications.mark_one_read": _notification_route("/read"),
        "notifications.preferences": Route("GET", lambda w: "/account/notifications", SIGNED_IN),
        "notifications.preferences[post]": Route(
            "POST",
            lambda w: "/account/notifications",
            SIGNED_IN,
            form=lambda w: {event.value: Channel.IN_APP.value for event in NotificationEvent},
        ),
    }
)


def _oneself(w: World) -> Any:
    """The target of a permission on the signed-in user themself (``expected`` resolves it)."""
    return None


_CHECK_IN = {"safety": "6", "goals": "5", "tasks": "6", "heard": "7", "note": ""}

ROUTES.update(
    {
        "desk.index": Route("GET", lambda w: "/desk/", SIGNED_IN),
        # The aggregation threshold: see test_relationship_trend_threshold below.
        "desk.relationship": Route(
            "GET", lambda w: "/desk/relationship", Permission.RELATIONSHIP_TREND_VIEW, _oneself
        ),
        "relationship.index": Route("GET", lambda w: "/supervision/", SIGNED_IN),
        "relationship.check": Route(
            "GET",
            lambda w: f"/supervision/reviews/{w.reviews['released_to_drafter'].id}/check-in",
            Permission.RELATIONSHIP_CHECK,
            lambda w: w.reviews["released_to_drafter"],
        ),
        "relationship.check[post]": Route(
            "POST",
            lambda w: f"/supervision/reviews/{w.reviews['released_to_drafter'].id}/check-in",
            Permission.RELATIONSHIP_CHECK,
            lambda w: w.reviews["released_to_drafter"],
            form=lambda w: _CHECK_IN,
        ),
        # The facilitator released a review of the supervisee's case: the supervisee may ask.
        "relationship.talk": Route(
            "POST",
            lambda w: f"/supervision/talk/{w.users['facilitator'].id}",
            Permission.RELATIONSHIP_TALK,
            lambda w: w.users["facilitator"],
        ),
    }
)


def _supervisee(w: World) -> User:
    return w.users["supervisee"]


ROUTES.update(
    {
        # One's own growth page; someone else's only if they shared it with you (404 otherwise).
        "growth.mine": Route("GET", lambda w: "/growth", SIGNED_IN),
        "growth.show": Route(
            "GET",
            lambda w: f"/growth/people/{_supervisee(w).id}",
            Permission.GROWTH_VIEW,
            _supervisee,
        ),
        "growth.chart": Route(
            "GET",
            lambda w: f"/growth/people/{_supervisee(w).id}/boundaries.svg",
            Permission.GROWTH_VIEW,
            _supervisee,
        ),
        "growth.sharing": Route("GET", lambda w: "/growth/sharing", SIGNED_IN),
        # The share-my-growth choice: a supervisee (or peer) of the group, for its reviewers.
        "growth.set_share": Route(
            "POST",
            lambda w: f"/groups/{w.group.id}/growth-sharing",
            Permission.GROWTH_SHARE,
            form=lambda w: {"reviewer_id": w.users["supervisor"].id, "shared": "1"},
        ),
    }
)


def _self_assessment_route(method: str, suffix: str, form: bool = False) -> Route:
    return Route(
        method,
        lambda w: f"/cases/{w.cases['shared'].id}/self-assessment{suffix}",
        Permission.CASE_SELF_ASSESS,
        lambda w: w.cases["shared"],
        (lambda w: {f"level-{key}": "n/o" for key in SELF_KEYS}) if form else None,
    )


SELF_KEYS = ("boundaries", "pacing", "corrective_experience", "holding_steady", "attunement")
ROUTES.update(
    {
        # The author alone scores their own shared revision; others are refused.
        "self_assessment.show": _self_assessment_route("GET", ""),
        "self_assessment.show[post]": _self_assessment_route("POST", "", form=True),
        "self_assessment.start": _self_assessment_route("POST", "/start"),
        "self_assessment.skip": _self_assessment_route("POST", "/skip"),
    }
)


# -- Supervision agreements and credentials ------------------------------------------------------


def _agreement(w: World) -> Agreement:
    assert w.agreement is not None
    return w.agreement


def _credential(w: World) -> Any:
    return w.credential


def _agreement_route(method: str, suffix: str, permission: Permission) -> Route:
    return Route(
        method, lambda w: f"/agreements/{_agreement(w).id}{suffix}", permission, _agreement
    )


_CREDENTIAL = {"kind": "LCSW", "number": "A-1", "jurisdiction": "Oregon", "expires_on": ""}
ROUTES.update(
    {
        "agreements.group_list": Route(
            "GET", lambda w: f"/groups/{w.group.id}/agreements", Permission.GROUP_VIEW
        ),
        "agreements.start": Route(
            "GET", lambda w: f"/groups/{w.group.id}/agreements/new", Permission.AGREEMENT_CREATE
        ),
        "agreements.start[post]": Route(
            "POST",
            lambda w: f"/groups/{w.group.id}/agreements/new",
            Permission.AGREEMENT_CREATE,
        ),
        "agreements.template": Route(
            "GET",
            lambda w: f"/groups/{w.group.id}/agreement-template",
            Permission.AGREEMENT_TEMPLATE_EDIT,
        ),
        "agreements.show": _agreement_route("GET", "", Permission.AGREEMENT_VIEW),
        "agreements.edit": _agreement_route("GET", "/edit", Permission.AGREEMENT_EDIT),
        "agreements.edit[post]": _agreement_route("POST", "/edit", Permission.AGREEMENT_EDIT),
        "agreements.sign_page": _agreement_route("GET", "/sign", Permission.AGREEMENT_SIGN),
        "agreements.sign_page[post]": _agreement_route("POST", "/sign", Permission.AGREEMENT_SIGN),
        "agreements.propose": _agreement_route("POST", "/propose", Permission.AGREEMENT_EDIT),
        "agreements.profile": Route("GET", lambda w: "/account/profile", SIGNED_IN),
        "agreements.add": Route(
            "POST", lambda w: "/account/credentials", SIGNED_IN, form=lambda w: _CREDENTIAL
        ),
        "agreements.edit_credential": Route(
            "GET",
            lambda w: f"/account/credentials/{_credential(w).id}/edit",
            OWNER_ONLY,
            _credential,
        ),
        "agreements.remove": Route(
            "POST",
            lambda w: f"/account/credentials/{_credential(w).id}/remove",
            OWNER_ONLY,
            _credential,
        ),
    }
)


# -- exports: one's own portfolio (nobody else's exists at any URL); a group's reports for its
# facilitators (non-members 404, other members 403, as for the group's settings).
ROUTES.update(
    {
        "exports.portfolio": Route("GET", lambda w: "/account/portfolio", SIGNED_IN),
        "exports.download": Route("POST", lambda w: "/account/portfolio/download", SIGNED_IN),
        "exports.reports": Route(
            "GET", lambda w: f"/groups/{w.group.id}/reports", Permission.GROUP_REPORTS
        ),
        "exports.report": Route(
            "GET", lambda w: f"/groups/{w.group.id}/reports/members.csv", Permission.GROUP_REPORTS
        ),
        "exports.report[reviews]": Route(
            "GET", lambda w: f"/groups/{w.group.id}/reports/reviews.csv", Permission.GROUP_REPORTS
        ),
    }
)


# -- Meetings: the supervisor's signed and unsigned entries with the supervisee; one's own hours.
def _meeting_route(method: str, suffix: str, permission: Permission, which: str) -> Route:
    return Route(
        method,
        lambda w: f"/meetings/{w.meetings[which].id}{suffix}",
        permission,
        lambda w: w.meetings[which],
    )


ROUTES.update(
    {
        "meetings.group_list": Route(
            "GET", lambda w: f"/groups/{w.group.id}/meetings", Permission.MEETING_LIST
        ),
        "meetings.create": Route(
            "GET", lambda w: f"/groups/{w.group.id}/meetings/new", Permission.MEETING_LOG
        ),
        "meetings.create[post]": Route(
            "POST", lambda w: f"/groups/{w.group.id}/meetings/new", Permission.MEETING_LOG
        ),
        "meetings.show": _meeting_route("GET", "", Permission.MEETING_VIEW, "signed"),
        "meetings.edit": _meeting_route("GET", "/edit", Permission.MEETING_EDIT, "draft"),
        "meetings.edit[post]": _meeting_route("POST", "/edit", Permission.MEETING_EDIT, "draft"),
        "meetings.sign": _meeting_route("GET", "/sign", Permission.MEETING_SIGN, "draft"),
        "meetings.sign[post]": _meeting_route("POST", "/sign", Permission.MEETING_SIGN, "draft"),
        "meetings.correct": _meeting_route(
            "POST", "/correct", Permission.MEETING_CORRECT, "signed"
        ),
        "meetings.hours": Route("GET", lambda w: "/meetings/hours", SIGNED_IN),
        "meetings.hours_csv": Route("GET", lambda w: "/meetings/hours.csv", SIGNED_IN),
        "meetings.hours_print": Route("GET", lambda w: "/meetings/hours/print", SIGNED_IN),
        "meetings.hours_pdf": Route("GET", lambda w: "/meetings/hours/summary.pdf", SIGNED_IN),
        "meetings.supervising": Route("GET", lambda w: "/meetings/supervising", SIGNED_IN),
        "meetings.supervising_csv": Route("GET", lambda w: "/meetings/supervising.csv", SIGNED_IN),
        "relationship.meeting_check": Route(
            "GET",
            lambda w: f"/supervision/meetings/{w.meetings['signed'].id}/check-in",
            Permission.RELATIONSHIP_CHECK_MEETING,
            lambda w: w.meetings["signed"],
        ),
        "relationship.meeting_check[post]": Route(
            "POST",
            lambda w: f"/supervision/meetings/{w.meetings['signed'].id}/check-in",
            Permission.RELATIONSHIP_CHECK_MEETING,
            lambda w: w.meetings["signed"],
            form=lambda w: _CHECK_IN,
        ),
    }
)


# -- evaluations ----------------------------------------------------------------------------------


def _evaluation_route(
    method: str,
    suffix: str,
    permission: Permission,
    which: str,
    form: Callable[[World], dict[str, Any]] | None = None,
) -> Route:
    return Route(
        method,
        lambda w: f"/evaluations/{w.evaluations[which].id}{suffix}",
        permission,
        lambda w: w.evaluations[which],
        form,
    )


def _evaluation_part(w: World) -> dict[str, Any]:
    levels = {f"level-{key}": "3" for key in EVALUATION_KEYS}
    return {**levels, "overall": "Steady.", "save": "1", "edit_version": "1"}


def _schedule(w: World) -> dict[str, Any]:
    today = utcnow().date()
    return {
        "supervisee_id": w.users["supervisee"].id,
        "evaluator_id": w.users["supervisor"].id,
        "kind": "final",
        "period_start": today.replace(day=1).isoformat(),
        "period_end": today.isoformat(),
        "due_on": today.isoformat(),
        "rubric_version_id": w.rubric_versions["builtin"].id,
    }


def _supervisor_evaluation_route(
    method: str, suffix: str, permission: Permission, which: str, form: Any = None
) -> Route:
    return Route(
        method,
        lambda w: f"/supervisor-evaluations/{w.supervisor_evaluations[which].id}{suffix}",
        permission,
        lambda w: w.supervisor_evaluations[which],
        form,
    )


_SUPERVISOR_ANSWERS = {"availability": "4", "clarity": "4", "safety": "5", "goals": "3"}

ROUTES.update(
    {
        "evaluations.index": Route(
            "GET", lambda w: f"/groups/{w.group.id}/evaluations", Permission.EVALUATION_LIST
        ),
        "evaluations.schedule": Route(
            "GET", lambda w: f"/groups/{w.group.id}/evaluations/new", Permission.EVALUATION_SCHEDULE
        ),
        "evaluations.schedule[post]": Route(
            "POST",
            lambda w: f"/groups/{w.group.id}/evaluations/new",
            Permission.EVALUATION_SCHEDULE,
            form=_schedule,
        ),
        "evaluations.show": _evaluation_route("GET", "", Permission.EVALUATION_VIEW, "drafting"),
        "evaluations.evaluate": _evaluation_route(
            "GET", "/evaluate", Permission.EVALUATION_EVALUATE, "drafting"
        ),
        "evaluations.evaluate[post]": _evaluation_route(
            "POST", "/evaluate", Permission.EVALUATION_EVALUATE, "drafting", _evaluation_part
        ),
        "evaluations.evaluate[ready]": _evaluation_route(
            "GET", "/evaluate", Permission.EVALUATION_EVALUATE, "ready"
        ),
        "evaluations.self_evaluate": _evaluation_route(
            "GET", "/self", Permission.EVALUATION_SELF, "drafting"
        ),
        "evaluations.self_evaluate[post]": _evaluation_route(
            "POST", "/self", Permission.EVALUATION_SELF, "drafting", _evaluation_part
        ),
        "evaluations.respond": _evaluation_route(
            "POST",
            "/response",
            Permission.EVALUATION_RESPOND,
            "ready",
            lambda w: {
                "response": "Thank you.",
                "edit_version": w.evaluations["ready"].edit_version,
            },
        ),
        "evaluations.respond[drafting]": _evaluation_route(
            "POST", "/response", Permission.EVALUATION_RESPOND, "drafting"
        ),
        # The signature's name and password differ per person: here only who may try.
        "evaluations.sign": _evaluation_route("POST", "/sign", Permission.EVALUATION_SIGN, "ready"),
        "evaluations.sign[drafting]": _evaluation_route(
            "POST", "/sign", Permission.EVALUATION_SIGN, "drafting"
        ),
        "evaluations.supervisor_new": Route(
            "GET",
            lambda w: f"/groups/{w.group.id}/supervisor-evaluations/new",
            Permission.SUPERVISOR_EVALUATION_CREATE,
        ),
        "evaluations.supervisor_new[post]": Route(
            "POST",
            lambda w: f"/groups/{w.group.id}/supervisor-evaluations/new",
            Permission.SUPERVISOR_EVALUATION_CREATE,
            form=lambda w: {
                "supervisor_id": w.users["supervisor"].id,
                "respect": "5",
                **_SUPERVISOR_ANSWERS,
            },
        ),
        # Facilitators read all; the supervisor only the shared one; others are not admitted.
        "evaluations.supervisor_show": _supervisor_evaluation_route(
            "GET", "", Permission.SUPERVISOR_EVALUATION_VIEW, "private"
        ),
        "evaluations.supervisor_show[shared]": _supervisor_evaluation_route(
            "GET", "", Permission.SUPERVISOR_EVALUATION_VIEW, "shared"
        ),
        "evaluations.supervisor_share": _supervisor_evaluation_route(
            "POST",
            "/sharing",
            Permission.SUPERVISOR_EVALUATION_SHARE,
            "shared",
            lambda w: {"shared": "0"},
        ),
    }
)


# -- Audit trail: the whole trail for site admins (403 to others); a group's entries for its
# facilitators (404 to everyone else, members included: load_group_audit); one's own readers.
ROUTES.update(
    {
        "audit.admin_index": Route(
            "GET", lambda w: "/admin/audit", Permission.AUDIT_VIEW_ALL, _oneself
        ),
        "audit.group_index": Route(
            "GET", lambda w: f"/groups/{w.group.id}/audit", Permission.GROUP_AUDIT
        ),
        "audit.my_reads": Route("GET", lambda w: "/account/reads", SIGNED_IN),
    }
)


# -- privacy: one's own data and account (nobody else's exists at any URL); the page after a
# deletion is for the signed-out (the signed-in are sent on). The deletion's valid input deletes
# the principal's own account, or is refused with the reason (the only facilitator of a group).
ROUTES.update(
    {
        "privacy.my_data": Route("GET", lambda w: "/account/data", SIGNED_IN),
        "privacy.download": Route("POST", lambda w: "/account/data/download", SIGNED_IN),
        "privacy.delete": Route("GET", lambda w: "/account/delete", SIGNED_IN),
        "privacy.delete[submit]": Route(
            "POST",
            lambda w: "/account/delete",
            SIGNED_IN,
            form=lambda w: {"password": PASSWORD, "confirmation": "DELETE"},
        ),
        "privacy.deleted": Route("GET", lambda w: "/account/deleted", ANONYMOUS_ONLY),
    }
)


# Emergency access: site admins open and end grants; a group's facilitators see them. (What a
# grant lets its admin read is tested in tests/emergency.)
ROUTES.update(
    {
        "emergency.index": Route("GET", lambda w: "/admin/emergency", SITE_ADMIN),
        "emergency.index[post]": Route(
            "POST", lambda w: "/admin/emergency", SITE_ADMIN
        ),  # without its fields: the page again, 400
        "emergency.end": Route(
            "POST",
            lambda w: f"/admin/emergency/{w.emergency_grant.id}/end",
            SITE_ADMIN,
            lambda w: w.emergency_grant,
        ),
        "emergency.group_grants": Route(
            "GET",
            lambda w: f"/groups/{w.group.id}/emergency-access",
            Permission.GROUP_EMERGENCY_VIEW,
        ),
    }
)


def endpoint_of(key: str) -> str:
    return key.split("[")[0]


def test_every_route_is_classified(app: Flask) -> None:
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()} - {"static"}
    classified = {endpoint_of(key) for key in ROUTES}
    unclassified = endpoints - classified
    assert not unclassified, f"add these routes to ROUTES with their rule: {sorted(unclassified)}"
    assert not classified - endpoints, "ROUTES names endpoints that no longer exist"


def expected(route: Route, principal: str, world: World) -> str:
    user = world.users.get(principal)
    if route.rule == PUBLIC:
        return "allowed"
    if route.rule == ANONYMOUS_ONLY:
        return "allowed"
    if user is None:
        return "login"
    if route.rule in (SIGNED_IN, SECOND_STEP):
        return "allowed"
    if route.rule == OWNER_ONLY:
        return "allowed" if route.target(world).user_id == user.id else "not-found"
    if route.rule == SITE_ADMIN:
        return "allowed" if user.is_site_admin else "forbidden"
    permission = Permission(route.rule)
    if route.target is _oneself:
        return "allowed" if can(user, permission, user) else "forbidden"
    if permission is Permission.GROWTH_VIEW:  # load_growth_of: a page not shared does not exist
        return "allowed" if can(user, permission, route.target(world)) else "not-found"
    if permission is Permission.GROUP_AUDIT:  # load_group_audit: not admitted to exist
        return "allowed" if can(user, permission, route.target(world)) else "not-found"
    if permission is Permission.GROUP_CREATE:
        return "allowed" if can(user, permission, None) else "forbidden"
    target = route.target(world)
    if not any(m.user_id == user.id for m in world.group.memberships):
        return "not-found"  # another group's objects are indistinguishable from missing ones
    if isinstance(target, Case) and not can(user, Permission.CASE_VIEW, target):
        return "not-found"  # a case one may not read is not admitted to exist
    if isinstance(target, Review) and not (
        can(user, Permission.CASE_VIEW, target.case)
        and (
            can(user, Permission.REVIEW_READ_FEEDBACK, target)
            or can(user, Permission.REVIEW_READ_ANYWAY, target)
        )
    ):
        return "not-found"  # load_review: its page offers a blind reviewer the choice
    if isinstance(target, Review) and permission is Permission.REVIEW_READ_FEEDBACK:
        return "allowed"  # the review's page, or, to a reviewer still to score blind, the choice
    if isinstance(target, Annotation) and not (
        can(user, Permission.CASE_VIEW, target.case)
        and can(user, Permission.ANNOTATION_VIEW, target)
    ):
        return "not-found"  # load_annotation: the case, then the annotation's visibility
    # -- Supervision agreements: load_agreement admits only the parties and the facilitators --
    if isinstance(target, Agreement) and not can(user, Permission.AGREEMENT_VIEW, target):
        return "not-found"
    # evaluations: one a principal may not read is not admitted to exist (load_evaluation)
    if isinstance(target, Evaluation) and not can(user, Permission.EVALUATION_VIEW, target):
        return "not-found"
    if isinstance(target, SupervisorEvaluation) and not can(
        user, Permission.SUPERVISOR_EVALUATION_VIEW, target
    ):
        return "not-found"
    thread = target.thread if isinstance(target, Post) else target
    if isinstance(thread, Thread) and not (
        (thread.case is None or can(user, Permission.CASE_VIEW, thread.case))
        and can(user, Permission.THREAD_VIEW, thread)
    ):
        return "not-found"  # load_thread (and load_post, through the post's thread)
    if isinstance(target, Meeting) and not can(user, Permission.MEETING_VIEW, target):
        return "not-found"  # load_meeting (-- Meetings): not a party nor a facilitator
    return "allowed" if can(user, permission, target) else "forbidden"


def outcome(response: Any) -> str:
    if response.status_code == 302 and "/login" in response.headers.get("Location", ""):
        return "login"
    if response.status_code == 404:
        return "not-found"
    if response.status_code == 403:
        return "forbidden"
    if response.status_code in (200, 201, 302, 303, 400):
        return "allowed"
    return f"unexpected {response.status_code}"


def check(client: Any, world: World, endpoint: str, principal: str) -> str | None:
    """What is wrong with ``endpoint`` as ``principal`` (None when it answers as declared)."""
    route = ROUTES[endpoint]
    want = expected(route, principal, world)
    if principal != "anonymous":
        sign_in(client, world.users[principal])
    path = route.path(world)
    form = route.form(world) if route.form else {}
    if route.method == "GET":
        response = client.get(path)
    elif route.json:
        response = client.post(path, json=form, headers={"X-CSRFToken": csrf_token(client)})
    else:
        response = client.post(path, data={"csrf_token": csrf_token(client), **form})
    where = f"{route.method} {path} as {principal}"
    if outcome(response) != want:
        return f"{where}: got {response.status_code}, expected {want}"
    if route.form and want == "allowed" and response.status_code == 400:
        return f"{where}: input refused"
    return None


# Pages change nothing that decides who may see what, so one world serves every principal;
# each state change gets a world of its own.
_PAGES = sorted(e for e, r in ROUTES.items() if r.method == "GET")
_CHANGES = sorted(e for e, r in ROUTES.items() if r.method == "POST")


@pytest.mark.parametrize("endpoint", _PAGES)
def test_page_as_every_principal(
    app: Flask, make_user: Any, make_group: Any, endpoint: str
) -> None:
    world = build_world(make_user, make_group)
    wrong = [check(app.test_client(), world, endpoint, principal) for principal in PRINCIPALS]
    assert not [w for w in wrong if w], [w for w in wrong if w]


@pytest.mark.parametrize("principal", PRINCIPALS)
@pytest.mark.parametrize("endpoint", _CHANGES)
def test_state_change_as_principal(
    app: Flask, client: Any, make_user: Any, make_group: Any, endpoint: str, principal: str
) -> None:
    world = build_world(make_user, make_group)
    problem = check(client, world, endpoint, principal)
    assert problem is None, problem


@pytest.mark.parametrize("endpoint", sorted(e for e, r in ROUTES.items() if r.method == "POST"))
def test_state_changes_require_csrf(
    app: Flask, client: Any, make_user: Any, make_group: Any, endpoint: str
) -> None:
    world = build_world(make_user, make_group)
    sign_in(client, world.users["facilitator"])
    response = client.post(ROUTES[endpoint].path(world), data={})
    assert response.status_code == 400


_GET_PAGES = {endpoint_of(e) for e, r in ROUTES.items() if r.method == "GET"}
_POST_ONLY = sorted(
    e for e, r in ROUTES.items() if r.method == "POST" and endpoint_of(e) not in _GET_PAGES
)


@pytest.mark.parametrize("endpoint", _POST_ONLY)
def test_state_changes_refuse_get(
    app: Flask, client: Any, make_user: Any, make_group: Any, endpoint: str
) -> None:
    world = build_world(make_user, make_group)
    sign_in(client, world.users["facilitator"])
    assert client.get(ROUTES[endpoint].path(world)).status_code == 405


@pytest.mark.parametrize("answers", [2, 3])
def test_relationship_trend_threshold(
    app: Flask, client: Any, make_user: Any, make_group: Any, answers: int
) -> None:
    """A supervisor with two relationship answers sees nothing of them; with three, the pooled
    trend. Everyone else never sees it."""
    from routes_world import _scored
    from support import CLEAN_SECTIONS, pass_gate

    from supervision.cases.services import create_case
    from supervision.relationship.occasions import occasion_of
    from supervision.relationship.services import record_check
    from supervision.reviews.services import release_review

    world = build_world(make_user, make_group)
    supervisor, supervisee = world.users["supervisor"], world.users["supervisee"]
    with app.test_request_context():
        released = [world.reviews["submitted"], world.reviews["under_facilitator_draft"]]
        for review in released:
            release_review(review)
        extra = create_case(world.group, supervisee, "Fourth", CLEAN_SECTIONS)
        pass_gate(extra, supervisee, commit=False)
        third = _scored(extra, supervisor, 3)
        release_review(third)
        for review in [*released, third][:answers]:
            values = {"safety": 5, "goals": 5, "tasks": 5, "heard": 5}
            record_check(supervisee, occasion_of(review), values)
        db.session.commit()
    want = "allowed" if answers >= 3 else "forbidden"
    assert expected(ROUTES["desk.relationship"], "supervisor", world) == want
    for principal in PRINCIPALS:
        problem = check(app.test_client(), world, "desk.relationship", principal)
        assert problem is None, problem


def test_a_growth_page_is_its_supervisees_and_whom_they_chose(
    app: Flask, make_user: Any, make_group: Any
) -> None:
    """The share-my-growth choice: the supervisor chosen sees it; nobody else, not even a
    facilitator or a site admin, is admitted that the page exists."""
    world = build_world(make_user, make_group)
    with app.test_request_context():
        seen = {p: expected(ROUTES["growth.show"], p, world) for p in PRINCIPALS}
    assert seen == {
        "anonymous": "login",
        "outsider": "not-found",
        "supervisee": "allowed",
        "other_supervisee": "not-found",
        "supervisor": "allowed",
        "facilitator": "not-found",
        "site_admin": "not-found",
    }
