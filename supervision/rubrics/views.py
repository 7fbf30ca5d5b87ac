"""Rubrics: a group's rubric, versions, drafts, publishing, import and export.

Every rubric and version is loaded through the group in the URL and answers 404 unless it is
within the group's reach (the built-in rubric, or one of the group's own). Reading a published
version needs RUBRIC_VIEW; a draft, and every change, needs RUBRIC_MANAGE. A state error (editing
a published version, publishing twice) is answered with a flash and a redirect.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from supervision.audit.trail import note
from supervision.extensions import db
from supervision.models import Group, Rubric, RubricVersion
from supervision.models.rubric import LEVELS
from supervision.permissions import Permission, can, load_group, require
from supervision.routing import form_int
from supervision.rubrics.forms import ImportForm, VersionForm, version_form_data
from supervision.rubrics.schema import RubricFormatError, export_rubric
from supervision.rubrics.services import (
    RubricConflict,
    RubricError,
    available_rubrics,
    choose_rubric,
    discard_draft,
    draft_of,
    ensure_builtin_rubric,
    group_rubric_version,
    import_rubric,
    latest_published,
    new_draft_version,
    publish_version,
    rubric_in_reach,
    update_draft,
    version_data,
)

bp = Blueprint("rubrics", __name__, url_prefix="/groups/<int:group_id>/rubrics")

# "criteria[2].levels: ..." -> the place in the document, then what is wrong there.
_PLACED_PROBLEM = re.compile(r"(the document|[a-z_]+(?:\[\d+\]|\.\w+)*): (.+)", re.DOTALL)


@dataclass(frozen=True)
class RubricEntry:
    """One available rubric as the facilitator's list shows it."""

    rubric: Rubric
    builtin: bool
    in_use: bool
    published: list[RubricVersion]  # newest first
    draft: RubricVersion | None


def _entries(group: Group, current: RubricVersion) -> list[RubricEntry]:
    return [
        RubricEntry(
            rubric=rubric,
            builtin=rubric.group_id is None,
            in_use=rubric.id == current.rubric_id,
            published=[v for v in reversed(rubric.versions) if v.is_published],
            draft=draft_of(rubric),
        )
        for rubric in available_rubrics(group)
    ]


def _load_rubric(group: Group, rubric_id: int) -> Rubric:
    rubric = db.session.get(Rubric, rubric_id)
    if rubric is None or not rubric_in_reach(group, rubric):
        abort(404)
    return rubric


def _load_version(group: Group, version_id: int) -> RubricVersion:
    version = db.session.get(RubricVersion, version_id)
    if version is None or not rubric_in_reach(group, version.rubric):
        abort(404)
    return version


def _require_read(group: Group, version: RubricVersion) -> None:
    """Published versions are every member's reference; drafts are the facilitators' work."""
    require(Permission.RUBRIC_VIEW if version.is_published else Permission.RUBRIC_MANAGE, group)


def _version_url(endpoint: str, version: RubricVersion, group: Group) -> str:
    return url_for(endpoint, group_id=group.id, version_id=version.id)


def _placed(problem: str) -> tuple[str | None, str]:
    match = _PLACED_PROBLEM.fullmatch(problem)
    return (match.group(1), match.group(2)) if match else (None, problem)


def _filename(version: RubricVersion) -> str:
    ascii_name = unicodedata.normalize("NFKD", version.name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60].strip("-") or "rubric"
    draft = "" if version.is_published else "-draft"
    return f"{slug}-v{version.number}{draft}.json"


@bp.get("")
@login_required
def index(group_id: int) -> str:
    # The built-in rubric is made on first use: committed before the page loads anything, as a
    # commit afterwards would expire (and reload, one by one) every rubric and version listed.
    if ensure_builtin_rubric():
        db.session.commit()
    group = load_group(group_id)
    require(Permission.RUBRIC_VIEW, group)
    current = group_rubric_version(group)
    manage = can(current_user, Permission.RUBRIC_MANAGE, group)
    entries = _entries(group, current) if manage else []
    return render_template(
        "rubrics/index.html", group=group, current=current, entries=entries, can_manage=manage
    )


@bp.get("/versions/<int:version_id>")
@login_required
def show_version(group_id: int, version_id: int) -> str:
    group = load_group(group_id)
    version = _load_version(group, version_id)
    _require_read(group, version)
    return render_template(
        "rubrics/show_version.html",
        group=group,
        version=version,
        scale=[(n, version.scale_labels.get(str(n), "")) for n in LEVELS],
        in_use=version.id == group_rubric_version(group).id,
        latest=latest_published(version.rubric),
        draft=draft_of(version.rubric) if version.rubric.group_id is not None else None,
        can_manage=can(current_user, Permission.RUBRIC_MANAGE, group),
    )


@bp.get("/versions/<int:version_id>/export")
@login_required
def export(group_id: int, version_id: int) -> Response:
    group = load_group(group_id)
    version = _load_version(group, version_id)
    _require_read(group, version)
    body = json.dumps(export_rubric(version), ensure_ascii=False, indent=2) + "\n"
    note("export", "rubric_versions", version.id, group_id=group.id, detail={"export": "rubric"})
    response = current_app.response_class(body, mimetype="application/json")
    response.headers.set("Content-Disposition", "attachment", filename=_filename(version))
    return response


@bp.post("/<int:rubric_id>/choose")
@login_required
def choose(group_id: int, rubric_id: int) -> Response:
    group = load_group(group_id)
    rubric = _load_rubric(group, rubric_id)
    require(Permission.RUBRIC_MANAGE, group)
    try:
        choose_rubric(group, rubric)
    except RubricError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        version = group_rubric_version(group)
        flash(
            f"New reviews in {group.name} use “{version.name}”, version {version.number}. "
            "Reviews already started keep the version their reviewer saw.",
            "success",
        )
    return redirect(url_for("rubrics.index", group_id=group.id))


@bp.post("/versions/<int:version_id>/new-version")
@login_required
def new_version(group_id: int, version_id: int) -> Response:
    group = load_group(group_id)
    source = _load_version(group, version_id)
    require(Permission.RUBRIC_MANAGE, group)
    if not source.is_published:
        flash("This version is still a draft: edit it directly.", "info")
        return redirect(_version_url("rubrics.edit_version", source, group))
    existing = draft_of(source.rubric) if source.rubric.group_id is not None else None
    try:
        draft = new_draft_version(group, source, current_user)
    except RubricError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("rubrics.index", group_id=group.id))
    db.session.commit()
    if existing is not None:
        flash(
            f"This rubric already has a draft (version {draft.number}): continue it here, or "
            "discard it to start again.",
            "info",
        )
    else:
        flash(f"Draft version {draft.number} of “{draft.name}” is ready to edit.", "success")
    return redirect(_version_url("rubrics.edit_version", draft, group))


def _render_edit(
    group: Group, version: RubricVersion, form: VersionForm, notice: str | None, status: int
) -> tuple[str, int]:
    page = render_template(
        "rubrics/edit_version.html",
        group=group,
        version=version,
        form=form,
        notice=notice,
        problems=form.problems(),
    )
    return page, status


@bp.route("/versions/<int:version_id>/edit", methods=["GET", "POST"])
@login_required
def edit_version(group_id: int, version_id: int) -> Response | tuple[str, int]:
    group = load_group(group_id)
    version = _load_version(group, version_id)
    require(Permission.RUBRIC_MANAGE, group)
    if version.is_published:
        flash("A published version never changes. Make a new version to edit it.", "info")
        return redirect(_version_url("rubrics.show_version", version, group))
    initial = None if request.method == "POST" else version_form_data(version_data(version))
    form = VersionForm(data=initial)
    if request.method == "GET":
        form.edit_version.data = str(version.edit_version)
    form.label_levels(version.scale_labels)
    if not form.validate_on_submit():
        return _render_edit(group, version, form, None, 400 if form.is_submitted() else 200)
    try:
        expected = form_int(form.edit_version.data)
        if sorted(form.submitted_keys()) != sorted(c.key for c in version.criteria):
            expected = -1  # the criteria changed under this form: same answer as a stale save
        update_draft(version, form.rubric_data(), expected)
    except RubricConflict as error:
        db.session.rollback()
        return _render_edit(group, version, form, str(error), 409)
    except RubricError as error:
        db.session.rollback()
        return _render_edit(group, version, form, str(error), 400)
    db.session.commit()
    flash("Draft saved. Publish it when it is ready.", "success")
    return redirect(_version_url("rubrics.edit_version", version, group))


@bp.post("/versions/<int:version_id>/publish")
@login_required
def publish(group_id: int, version_id: int) -> Response:
    group = load_group(group_id)
    version = _load_version(group, version_id)
    require(Permission.RUBRIC_MANAGE, group)
    try:
        publish_version(version)
    except RubricError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(_version_url("rubrics.show_version", version, group))
    db.session.commit()
    if group_rubric_version(group).id == version.id:
        after = "New reviews in this group use it."
    else:
        after = "Choose “Use for this group” when reviews should use it."
    flash(f"Version {version.number} is published and will never change. {after}", "success")
    return redirect(_version_url("rubrics.show_version", version, group))


@bp.post("/versions/<int:version_id>/discard")
@login_required
def discard(group_id: int, version_id: int) -> Response:
    group = load_group(group_id)
    version = _load_version(group, version_id)
    require(Permission.RUBRIC_MANAGE, group)
    number, name = version.number, version.name
    try:
        discard_draft(version)
    except RubricError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(_version_url("rubrics.show_version", version, group))
    db.session.commit()
    flash(f"Draft version {number} of “{name}” is discarded.", "success")
    return redirect(url_for("rubrics.index", group_id=group.id))


@bp.route("/import", methods=["GET", "POST"], endpoint="import_rubric")
@login_required
def import_json(group_id: int) -> Response | tuple[str, int]:
    group = load_group(group_id)
    require(Permission.RUBRIC_MANAGE, group)
    form = ImportForm()
    problems: list[tuple[str | None, str]] = []
    if form.validate_on_submit():
        try:
            version = import_rubric(group, current_user, form.document())
        except RubricFormatError as error:
            db.session.rollback()
            problems = [_placed(problem) for problem in error.problems]
        else:
            db.session.commit()
            flash(f"Imported “{version.name}” as a draft. Check it, then publish it.", "success")
            return redirect(_version_url("rubrics.edit_version", version, group))
    page = render_template(
        "rubrics/import.html",
        group=group,
        form=form,
        problems=problems,
        source=form.file_name(),
    )
    return page, 400 if form.is_submitted() else 200
