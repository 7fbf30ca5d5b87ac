"""Redaction reaches every copy of a passage in reviews: evidence, comments, feedback, notes."""

from __future__ import annotations

from review_support import (
    QUOTE,
    Browser,
    escaped,
    fetch_review,
    make_world,
    shared_case,
    write_review,
)
from sqlalchemy import select

from supervision.cases.privacy import REDACTED, redact_passage
from supervision.extensions import db
from supervision.models import ConsensusScore, ReconciliationNote
from supervision.reviews.services import add_reconciliation_note, record_consensus

PASSAGE = "offered a small gift"


def test_redacting_a_passage_scrubs_it_from_reviews(app, make_user, make_group):
    w = make_world(make_user, make_group)
    case = shared_case(w.group, w.author)
    quoted = f"When she {PASSAGE}."
    draft = write_review(
        case, w.first, {"boundaries": 3}, submit=False, comment=quoted, private=quoted
    )
    released = write_review(
        case, w.second, {"boundaries": 5}, feedback=f"The moment she *{PASSAGE}*?", release=True
    )
    add_reconciliation_note(case, 1, "boundaries", w.second, quoted)
    record_consensus(case, 1, "boundaries", w.second, 4, quoted)
    db.session.commit()
    version = draft.edit_version

    count = redact_passage(case, w.author, PASSAGE)
    db.session.commit()
    # The revision; the draft's evidence, 7 comments and private notes; the released review's
    # evidence and feedback; the note and the dissent.
    assert count == 1 + (1 + 7 + 1) + (1 + 1) + 1 + 1

    draft, released = fetch_review(draft.id), fetch_review(released.id)
    for review in (draft, released):
        texts = [review.overall_feedback, review.overall_feedback_html, review.private_notes]
        texts += [s.evidence for s in review.scores] + [s.comment for s in review.scores]
        assert not [text for text in texts if PASSAGE in text]
    assert REDACTED in released.overall_feedback_html
    assert QUOTE.replace(PASSAGE, REDACTED) in {s.evidence for s in released.scores}
    assert draft.edit_version == version + 1  # an autosave from an open tab gets a conflict
    assert PASSAGE not in db.session.scalar(select(ReconciliationNote.body))
    assert PASSAGE not in db.session.scalar(select(ConsensusScore.dissent_note))
    page = Browser(app, w.author).text(f"/reviews/{released.id}")
    assert escaped(PASSAGE) not in page
