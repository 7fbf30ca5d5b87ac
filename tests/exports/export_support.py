"""Helpers for the export tests: reviews and annotations made through the services, and a
person's whole export (the portfolio archive unzipped, every group report as CSV) built in a
fresh app context, as one request of theirs would."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from flask import Flask
from flask_login import login_user

from supervision.annotations.services import create_annotation, section_texts
from supervision.cases.services import revision_by_number
from supervision.exports.archive import archive_bytes, build_portfolio
from supervision.exports.csvfile import csv_text
from supervision.exports.sections import group_report, group_report_keys
from supervision.extensions import db
from supervision.models import Annotation, AnnotationVisibility, Case, Group, Review, User
from supervision.models.types import utcnow
from supervision.reviews.services import (
    ReviewInput,
    ScoreInput,
    release_review,
    save_review,
    start_review,
    submit_review,
)


def annotate(
    case: Case,
    user: User,
    phrase: str,
    body: str,
    visibility: AnnotationVisibility = AnnotationVisibility.SUPERVISEE,
    section: str = "moment",
) -> Annotation:
    number = case.published_number
    assert number is not None
    text = section_texts(revision_by_number(case, number))[section]
    start = text.index(phrase)
    annotation = create_annotation(
        case, user, number, section, start, start + len(phrase), phrase, body,
        visibility=visibility,
    )  # fmt: skip
    db.session.commit()
    return annotation


def review(
    case: Case,
    reviewer: User,
    *,
    level: int = 4,
    comment: str = "Seen.",
    evidence: str = "offered a small gift",
    feedback: str = "Warm and specific feedback.",
    private_notes: str = "",
    release: bool = True,
    submit: bool = True,
) -> Review:
    """A review of the case's current revision: ``level`` for boundaries, every other
    criterion not visible; released unless told otherwise; committed."""
    started = start_review(case, reviewer)
    scores = {s.criterion_key: ScoreInput(not_visible=True) for s in started.scores}
    scores["boundaries"] = ScoreInput(level=level, evidence=evidence, comment=comment)
    save_review(started, ReviewInput(scores, feedback, private_notes), started.edit_version)
    if submit or release:
        submit_review(started)
    if release:
        release_review(started)
    db.session.commit()
    return started


def unzip(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()}


def exports_of(app: Flask, user_id: int, group_id: int | None = None) -> dict[str, Any]:
    """Everything ``user`` could download: the archive's files by name, and (for
    ``group_id``) every registered group report's CSV as "report:<key>". Built in its own app
    context, so no per-request cache of the test's leaks in."""
    with app.app_context(), app.test_request_context():
        user = db.session.get(User, user_id)
        assert user is not None
        login_user(user)
        files: dict[str, Any] = unzip(archive_bytes(build_portfolio(user, utcnow())))
        if group_id is not None:
            group = db.session.get(Group, group_id)
            for key, _title in group_report_keys():
                built = group_report(key, group)
                assert built is not None
                files[f"report:{key}"] = csv_text(built.header, built.rows)
        db.session.rollback()
        return files
