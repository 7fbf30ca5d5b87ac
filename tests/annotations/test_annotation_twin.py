"""``visible_annotations``, the SQL twin of ANNOTATION_VIEW the case page counts and orders by,
agrees with ``can`` for every kind of reader, every visibility and every state of a case,
including an admin reading under an emergency grant."""

from __future__ import annotations

from typing import Any

from flask import Flask, g
from support import shared_case as make_shared_case
from support import supervision_world

from supervision.annotations.services import create_annotation, section_texts
from supervision.cases.privacy import flag_case
from supervision.cases.services import close_case
from supervision.emergency.services import open_grant
from supervision.extensions import db
from supervision.models import (
    Annotation,
    AnnotationVisibility,
    Case,
    GroupKind,
    Membership,
    Role,
    User,
)
from supervision.permissions import Permission, can, forget_roles, visible_annotations


def _annotate_everywhere(case: Case, authors: list[User]) -> None:
    """One annotation by each author in each visibility, on the case's first revision."""
    revision = case.revisions[0]
    text = section_texts(revision)["moment"]
    for author in authors:
        for visibility in AnnotationVisibility:
            create_annotation(
                case, author, revision.number, "moment", 0, 8, text[:8], "A note.",
                visibility=visibility,
            )  # fmt: skip
    db.session.commit()


def _agree(case: Case, people: list[User]) -> None:
    annotations = list(
        db.session.scalars(db.select(Annotation).where(Annotation.case_id == case.id))
    )
    assert annotations
    for user in people:
        forget_roles()
        listed = set(db.session.scalars(visible_annotations(user, case)))
        allowed = {a for a in annotations if can(user, Permission.ANNOTATION_VIEW, a)}
        assert listed == allowed, (user.display_name, case.title)


def test_visible_annotations_agree_with_annotation_view(
    app: Flask, make_user: Any, make_group: Any
) -> None:
    w = supervision_world(make_user, make_group)
    outsider = make_user("Olu Outsider")
    admin = make_user("Ada Admin", site_admin=True)
    peer = make_user("Pat Peer")
    peers = make_group(GroupKind.PEER, {peer: Role.FACILITATOR, outsider: Role.SUPERVISEE})
    people = [w.facilitator, w.supervisor, w.author, w.reader, outsider, admin]

    open_case = make_shared_case(w.group, w.author, "Open")
    closed = make_shared_case(w.group, w.author, "Closed")
    flagged = make_shared_case(w.group, w.author, "Flagged")
    peer_case = make_shared_case(peers, outsider, "Among peers")
    writers = [w.author, w.supervisor, w.reader, w.facilitator]
    for case in (open_case, closed, flagged):
        _annotate_everywhere(case, writers)
    _annotate_everywhere(peer_case, [outsider, peer])
    close_case(closed)
    flag_case(flagged, w.reader, "", "Too specific.")
    db.session.commit()

    with app.test_request_context():
        for case in (open_case, closed, flagged):
            _agree(case, people)
        _agree(peer_case, [peer, outsider, w.author, admin])

    # Reading as an emergency grant lets a site admin read: as a facilitator would, on GET only.
    with app.test_request_context():
        open_grant(admin, w.group, "A complaint about a member needs checking.", 2)
        db.session.commit()
    with app.test_request_context(method="GET"):
        g._login_user = admin
        listed = set(db.session.scalars(visible_annotations(admin, open_case)))
        assert {a.visibility for a in listed} == set(AnnotationVisibility) - {
            AnnotationVisibility.PRIVATE
        }  # as a facilitator: all but the private ones
        assert len(listed) == len(writers) * 3
        _agree(open_case, [admin])
    with app.test_request_context(method="POST"):
        g._login_user = admin
        assert not list(db.session.scalars(visible_annotations(admin, open_case)))
        _agree(open_case, [admin])


def test_a_member_who_left_reads_none_of_them_not_even_their_own(
    app: Flask, make_user: Any, make_group: Any
) -> None:
    w = supervision_world(make_user, make_group)
    case = make_shared_case(w.group, w.author, "Open")
    _annotate_everywhere(case, [w.supervisor, w.reader])
    db.session.execute(
        db.delete(Membership).where(
            Membership.group_id == w.group.id, Membership.user_id == w.reader.id
        )
    )
    db.session.commit()
    with app.test_request_context():
        assert not list(db.session.scalars(visible_annotations(w.reader, case)))
        _agree(case, [w.reader, w.supervisor])
