"""Calibration of raters through the pages: a vignette with gold levels, scored blind, then
each rater's agreement with gold and alpha among raters, to whom the rules allow."""

from __future__ import annotations

import re
from typing import Any

import pytest
from calibration_support import (
    RATIONALE,
    CalibrationWorld,
    calibration_world,
    vignette,
    write_review,
)
from markupsafe import escape
from support import CLEAN_SECTIONS, Browser

from supervision.agreement.statistics import ordinal_alpha
from supervision.calibration.report import calibration_report
from supervision.cases.privacy import redact_passage
from supervision.extensions import db
from supervision.models import Case, CaseStatus, GoldLevel
from supervision.reviews.blindness import read_reviews_anyway
from supervision.rubrics.services import group_rubric_version

SAM = {"boundaries": 4, "pacing": 5, "attunement": 3, "rupture_repair": 2}  # pacing 3 apart
KIM = {"boundaries": 3, "pacing": 2, "attunement": 3, "rupture_repair": "n/o"}
LEE = {"boundaries": 4, "pacing": 3, "attunement": 2, "rupture_repair": 3}


@pytest.fixture
def world(app: Any, make_user: Any, make_group: Any) -> CalibrationWorld:
    return calibration_world(make_user, make_group)


def test_a_facilitator_writes_a_calibration_vignette_and_records_its_gold_levels(
    app: Any, world: CalibrationWorld
) -> None:
    fran = Browser(app, world.facilitator)
    page = fran.text(f"/groups/{world.group.id}/calibration/new")
    assert "Write a calibration vignette" in page
    response = fran.post(
        f"/groups/{world.group.id}/calibration/new", {"title": "Invented", **CLEAN_SECTIONS}
    )
    assert response.status_code == 302
    case = db.session.scalars(db.select(Case).where(Case.title == "Invented")).one()
    assert case.is_calibration and case.status is CaseStatus.DRAFT
    assert case.author_id == world.facilitator.id
    response = fran.post(
        f"/cases/{case.id}/calibration/gold",
        {"level_boundaries": "4", "rationale_boundaries": RATIONALE, "level_silence": "n/o"},
    )
    assert response.status_code == 302
    rows = {g.criterion_key: g for g in db.session.scalars(db.select(GoldLevel))}
    assert set(rows) == {"boundaries", "silence"}
    assert rows["boundaries"].level == 4 and rows["boundaries"].rationale == RATIONALE
    assert rows["silence"].level is None  # agreed "not visible"
    refused = fran.post(f"/cases/{case.id}/calibration/gold", {"level_boundaries": "9"})
    assert refused.status_code == 400


def test_gold_levels_stay_hidden_from_a_rater_until_their_review_is_in(
    app: Any, world: CalibrationWorld
) -> None:
    case = vignette(world)
    sam = Browser(app, world.raters[0])
    assert sam.status(f"/cases/{case.id}/calibration/gold") == 403
    assert sam.status(f"/cases/{case.id}/calibration/feedback") == 403
    draft = write_review(case, world.raters[0], SAM, submit_it=False)
    page = sam.text(f"/cases/{case.id}")
    assert RATIONALE not in page and "Your levels against the agreed levels" not in page
    assert sam.status(f"/cases/{case.id}/calibration/feedback") == 403
    from supervision.reviews.services import submit_review

    submit_review(draft)
    db.session.commit()
    assert "Your levels against the agreed levels" in sam.text(f"/cases/{case.id}")
    feedback = sam.text(f"/cases/{case.id}/calibration/feedback")
    # Pacing (5 against 2) is the widest gap, shown first, with both descriptors side by side.
    order = re.findall(r'id="divergence-(\w+)"', feedback)
    assert order == ["pacing", "rupture_repair"]
    pacing = next(c for c in group_rubric_version(world.group).criteria if c.key == "pacing")
    assert escape(pacing.levels["5"]) in feedback and escape(pacing.levels["2"]) in feedback
    assert "3 levels apart" in feedback
    assert "You agreed exactly on 2 of 3 criteria, and within one level on 2." in feedback
    assert escape(RATIONALE) in feedback  # boundaries: agreed, listed with its rationale


def test_the_report_shows_each_rater_their_own_agreement_and_the_facilitator_everyones(
    app: Any, world: CalibrationWorld
) -> None:
    case = vignette(world)
    for rater, levels in zip(world.raters, (SAM, KIM, LEE), strict=True):
        write_review(case, rater, levels)
    path = f"/groups/{world.group.id}/calibration"
    everyone = Browser(app, world.facilitator).text(path)
    for rater in world.raters:
        assert rater.display_name in everyone
    expected = ordinal_alpha(
        {
            i: {k: (None if v == "n/o" else v) for k, v in levels.items()}
            for i, levels in enumerate((SAM, KIM, LEE))
        }
    )
    assert expected.value is not None and f"{expected.value:.2f}" in everyone
    # Four criteria, Kim's "not visible" left out: 11 paired levels, enough to show plainly.
    assert expected.pairable == 11
    assert "(n = 11 paired levels, 3 raters)" in everyone
    sam_page = Browser(app, world.raters[0]).text(path)
    assert "Kim Supervisor" not in sam_page and "Lee Supervisor" not in sam_page
    assert f"{expected.value:.2f}" in sam_page  # the group's alpha, not others' levels
    assert Browser(app, world.supervisee).status(path) == 403


def test_report_figures_by_hand(app: Any, world: CalibrationWorld) -> None:
    case = vignette(world)
    for rater, levels in zip(world.raters, (SAM, KIM, LEE), strict=True):
        write_review(case, rater, levels)
    with app.test_request_context():
        report = calibration_report(world.group, world.facilitator)
    (round_,) = report.rounds
    agreement = {r.rater_name: r.agreement for r in round_.raters}
    # Gold: boundaries 4, pacing 2, attunement 3, rupture_repair not visible (not compared).
    sam, kim, lee = (agreement[u.display_name] for u in world.raters)
    assert (sam.compared, sam.exact, sam.within_one, sam.not_compared) == (3, 2, 2, 1)
    assert (kim.compared, kim.exact, kim.within_one) == (3, 2, 3)
    assert (lee.compared, lee.exact, lee.within_one) == (3, 1, 3)
    overall = {r.rater_name: r.agreement for r in report.overall}
    assert overall["Sam Supervisor"] == sam
    pacing = next(c for c in report.criteria if c.key == "pacing")
    assert {r.rater_name: r.agreement.exact for r in pacing.raters} == {
        "Sam Supervisor": 0,
        "Kim Supervisor": 1,
        "Lee Supervisor": 0,
    }


def test_a_round_shows_to_a_rater_only_once_they_have_rated_it_and_not_blind_is_left_out(
    app: Any, world: CalibrationWorld
) -> None:
    first = vignette(world, "Round one")
    second = vignette(world, "Round two")
    sam, kim, lee = world.raters
    write_review(first, sam, SAM)
    write_review(first, kim, KIM)
    read_reviews_anyway(lee, first, first.published_number or 1)
    write_review(first, lee, LEE)
    write_review(second, kim, KIM)
    with app.test_request_context():
        for_sam = calibration_report(world.group, sam)
        for_fran = calibration_report(world.group, world.facilitator)
    assert [r.title for r in for_sam.rounds] == ["Round one"]
    assert [r.title for r in for_sam.hidden_rounds] == ["Round two"]
    assert [r.rater_name for r in for_sam.overall] == ["Sam Supervisor"]
    assert [r.title for r in for_fran.rounds] == ["Round one", "Round two"]  # in time order
    assert for_fran.rounds[0].not_blind == ["Lee Supervisor"]
    assert {r.rater_name for r in for_fran.rounds[0].raters} == {"Sam Supervisor", "Kim Supervisor"}


def test_agreement_of_ordinary_reviews_shows_to_those_who_may_read_every_score(
    app: Any, world: CalibrationWorld
) -> None:
    from support import shared_case

    case = shared_case(world.group, world.supervisee)
    sam, kim, lee = world.raters
    write_review(case, sam, SAM)
    write_review(case, kim, KIM)
    fran = Browser(app, world.facilitator).text(f"/cases/{case.id}/reviews/list")
    assert "Agreement among blind reviewers" in fran
    assert "from 6 paired levels of 2 reviewers: too few to mean much" in fran
    # Lee may still score blind: no figure that would show through the hidden reviews.
    assert "Agreement among blind reviewers" not in Browser(app, lee).text(f"/cases/{case.id}")
    # The author reads no scores before release: no agreement either.
    assert "Agreement among blind reviewers" not in Browser(app, world.supervisee).text(
        f"/cases/{case.id}"
    )
    assert "Agreement among blind reviewers" in Browser(app, sam).text(f"/cases/{case.id}")


def test_a_facilitator_marks_a_shared_case_as_a_calibration_vignette(
    app: Any, world: CalibrationWorld
) -> None:
    from support import shared_case

    case = shared_case(world.group, world.supervisee)
    assert (
        Browser(app, world.raters[0])
        .post(f"/cases/{case.id}/calibration", {"state": "on"})
        .status_code
        == 403
    )
    fran = Browser(app, world.facilitator)
    assert fran.post(f"/cases/{case.id}/calibration", {"state": "on"}).status_code == 302
    assert fran.status(f"/cases/{case.id}/calibration/gold") == 200
    db.session.expire_all()
    assert db.session.get(Case, case.id).is_calibration
    db.session.rollback()  # end the read, so the next request may write
    fran.post(f"/cases/{case.id}/calibration", {"state": "off"})
    db.session.expire_all()
    assert not db.session.get(Case, case.id).is_calibration


def test_a_redaction_reaches_the_gold_rationale(app: Any, world: CalibrationWorld) -> None:
    case = vignette(world)
    gold = db.session.scalars(db.select(GoldLevel).where(GoldLevel.criterion_key == "pacing")).one()
    gold.rationale = "The client offered a small gift; the therapist hesitated."
    db.session.commit()
    redact_passage(case, world.facilitator, "small gift")
    db.session.commit()
    db.session.expire_all()
    row = db.session.scalars(db.select(GoldLevel).where(GoldLevel.criterion_key == "pacing")).one()
    assert row.rationale == "The client offered a [redacted]; the therapist hesitated."
