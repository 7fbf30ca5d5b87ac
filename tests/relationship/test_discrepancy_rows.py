"""The kept discrepancies (``ReviewDiscrepancy``) the desk reads say what
``reviews.services.discrepancies`` works out from a case's reviews, after each write that can
change the answer, and a recount from the rows rebuilds exactly them."""

from __future__ import annotations

from typing import Any

import pytest
from relationship_support import case_by, make_world, review
from sqlalchemy import select

from supervision.counters import recount_all
from supervision.extensions import db
from supervision.models import Case, ReviewDiscrepancy
from supervision.reviews.blindness import read_reviews_anyway
from supervision.reviews.services import discrepancies, record_consensus


@pytest.fixture
def world(app: Any, make_user: Any, make_group: Any):  # type: ignore[no-untyped-def]
    return make_world(make_user, make_group)


def _kept(case: Case) -> set[tuple[int, str, str, int]]:
    return {
        (row.revision_number, row.criterion_key, row.criterion_title, row.spread)
        for row in db.session.scalars(
            select(ReviewDiscrepancy).where(ReviewDiscrepancy.case_id == case.id)
        )
    }


def _worked_out(case: Case) -> set[tuple[int, str, str, int]]:
    db.session.expire_all()
    return {
        (d.revision_number, d.criterion_key, d.criterion_title, d.spread)
        for d in discrepancies(db.session.get(Case, case.id))
    }


def test_the_kept_rows_follow_submissions_unblinding_and_a_recount(app, world) -> None:  # type: ignore[no-untyped-def]
    case = case_by(world, world.supervisee)
    quiet = case_by(world, world.supervisee, "Close scores")
    review(case, world.supervisor, {"boundaries": 1, "pacing": 3})
    assert _kept(case) == _worked_out(case) == set()  # one review: nothing to compare
    review(case, world.other_supervisor, {"boundaries": 4, "pacing": 4})
    assert _kept(case) == _worked_out(case)
    assert {key for _, key, _, _ in _kept(case)} == {"boundaries"}  # 3 apart; pacing 1 apart
    review(case, world.facilitator, {"boundaries": 2, "pacing": 1})
    assert {(key, spread) for _, key, _, spread in _kept(case)} == {
        ("boundaries", 3),
        ("pacing", 3),
    }
    assert _kept(case) == _worked_out(case)
    # A consensus settles it for the desk, which reads it; the row stays, as the case page does.
    record_consensus(case, 1, "boundaries", world.supervisor, 2)
    db.session.commit()
    assert _kept(case) == _worked_out(case)
    # A reviewer who reads the others' reviews after all no longer counts as blind.
    read_reviews_anyway(world.facilitator, case, 1)
    db.session.commit()
    assert _kept(case) == _worked_out(case) == {(1, "boundaries", _title(case), 3)}
    review(quiet, world.supervisor, {"boundaries": 3})
    review(quiet, world.other_supervisor, {"boundaries": 4})
    assert _kept(quiet) == _worked_out(quiet) == set()

    before = {case.id: _kept(case), quiet.id: _kept(quiet)}
    db.session.execute(db.delete(ReviewDiscrepancy))
    db.session.execute(  # a row no review supports (a restore from elsewhere) goes too
        db.insert(ReviewDiscrepancy).values(
            case_id=quiet.id,
            revision_number=1,
            criterion_key="pacing",
            criterion_title="P",
            spread=4,
        )
    )
    recount_all(db.session)
    db.session.commit()
    assert {case.id: _kept(case), quiet.id: _kept(quiet)} == before


def _title(case: Case) -> str:
    return next(iter(_worked_out(case)))[2]
