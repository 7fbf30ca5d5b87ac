"""The case page as assembled by supervision/pages: the author's own business comes first.

Under the title the author finds their actions (edit, close, redact, withdraw), the annotations
still waiting for their answer and the choice of who sees their scores; on a phone the aside
only follows the whole case, so none of this may live there for the author. Readers keep the
actions in the aside.
"""

from __future__ import annotations

import re

from support import Browser, shared_case, supervision_world

from supervision.annotations.services import create_annotation, respond, section_texts
from supervision.cases.services import latest_revision
from supervision.extensions import db
from supervision.models import AnnotationVisibility, ResponseKind

OPEN_QUOTE = "offered a small gift"
QUESTIONED_QUOTE = "I hesitated"
ANSWERED_QUOTE = "touched and uneasy"


def _annotate(case, user, section, quote):
    revision = latest_revision(case)
    start = section_texts(revision)[section].index(quote)
    return create_annotation(
        case,
        user,
        revision.number,
        section,
        start,
        start + len(quote),
        quote,
        f"About “{quote}”.",
        visibility=AnnotationVisibility.SUPERVISEE,
    )


def _world(make_user, make_group):
    w = supervision_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    waiting = _annotate(case, w.supervisor, "moment", OPEN_QUOTE)
    questioned = _annotate(case, w.supervisor, "moment", QUESTIONED_QUOTE)
    answered = _annotate(case, w.supervisor, "reactions", ANSWERED_QUOTE)
    respond(questioned, w.author, ResponseKind.QUESTION)
    respond(answered, w.author, ResponseKind.ACKNOWLEDGED)
    db.session.commit()
    return w, case, (waiting, questioned, answered)


def _desk(page: str) -> str:
    match = re.search(r'<section class="author-desk.*?</section>', page, re.S)
    assert match, "no author desk on the page"
    return match.group(0)


def test_the_author_finds_their_actions_and_waiting_annotations_before_the_text(
    app, make_user, make_group
):
    w, case, (waiting, questioned, answered) = _world(make_user, make_group)
    page = Browser(app, w.author).text(f"/cases/{case.id}")

    desk = _desk(page)
    assert page.index(desk) < page.index('data-section="context"')
    for action in ("/edit", "/close", "/redact", "/withdraw"):
        assert f'/cases/{case.id}{action}"' in desk, action
    assert "2 annotations wait for your answer" in desk
    assert f'href="#annotation-{waiting.id}"' in desk
    assert f'href="#annotation-{questioned.id}"' in desk
    assert f'href="#annotation-{answered.id}"' not in desk  # acknowledged: nothing waits
    assert "Show my scores to the group" in desk
    # Each thing once: neither the aside's action card nor the review section repeats it.
    assert page.count('id="scores-visibility"') == 1
    assert page.count('id="actions-title"') == 1
    assert page.count(f'/cases/{case.id}/withdraw"') == 1


def test_readers_keep_the_actions_beside_the_text_and_see_no_author_desk(
    app, make_user, make_group
):
    w, case, _ = _world(make_user, make_group)
    page = Browser(app, w.facilitator).text(f"/cases/{case.id}")

    assert 'class="author-desk' not in page
    assert "wait for your answer" not in page
    assert "Show my scores to the group" not in page
    aside = page[page.index("<aside") :]
    assert 'id="actions-title"' in aside
    assert f'/cases/{case.id}/redact"' in aside


def test_an_author_with_nothing_waiting_sees_only_the_actions(app, make_user, make_group):
    w = supervision_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    desk = _desk(Browser(app, w.author).text(f"/cases/{case.id}"))

    assert "wait for your answer" not in desk
    assert f'/cases/{case.id}/edit"' in desk


def test_the_annotation_help_has_a_touch_version_for_readers_who_annotate(
    app, make_user, make_group
):
    w = supervision_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    page = Browser(app, w.supervisor).text(f"/cases/{case.id}")

    pointer = re.search(r'<p class="[^"]*annotate-help--pointer[^"]*">(.*?)</p>', page, re.S)
    touch = re.search(r'<p class="[^"]*annotate-help--touch[^"]*">(.*?)</p>', page, re.S)
    assert pointer and touch
    assert "<kbd>Alt</kbd>" in pointer.group(1) and "<kbd>F7</kbd>" in pointer.group(1)
    assert "finger" in touch.group(1) and "Annotate selection" in touch.group(1)
    assert "Alt" not in touch.group(1) and "F7" not in touch.group(1)
    assert "css/case-page.css" in page
