"""Supervision meetings: the group's log, an entry's page, drafting, signing, correcting; one's
hours as a supervisee and as a supervisor, their CSV and the printable signed summary.

    GET       /groups/<id>/meetings            MEETING_LOG    the entries one may read
    GET|POST  /groups/<id>/meetings/new        MEETING_LOG
    GET       /meetings/<id>                   MEETING_VIEW   (load_meeting: others 404)
    GET|POST  /meetings/<id>/edit              MEETING_EDIT   409 on a concurrent edit
    GET|POST  /meetings/<id>/sign              MEETING_SIGN   typed name and password
    POST      /meetings/<id>/correct           MEETING_CORRECT
    GET       /meetings/hours[.csv|/print|/summary.pdf]   signed in: one's hours as a supervisee
    GET       /meetings/supervising[.csv]      signed in: the hours one gave as a supervisor
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload
from wtforms import SelectChoice

from supervision.audit.trail import note
from supervision.auth.reauth import ReauthError
from supervision.exports.csvfile import csv_text
from supervision.extensions import db
from supervision.meetings.forms import CorrectForm, MeetingForm, PeriodForm, SignForm
from supervision.meetings.ledger import supervisee_screen, supervisor_screen
from supervision.meetings.pages import entry_page, hours_page, list_rows
from supervision.meetings.pdf import pdf_available, pdf_from_html
from supervision.meetings.services import (
    MeetingConflict,
    MeetingError,
    attendee_choices,
    case_choices,
    draft_meeting,
    save_meeting,
    sign_meeting,
    start_correction,
    supervisor_choices,
)
from supervision.meetings.totals import CSV_HEADER, csv_row, supervisee_totals, supervisor_totals
from supervision.meetings.totals import hours as format_hours
from supervision.models import Group, Meeting, MeetingAttendee
from supervision.pagination import keyset_page
from supervision.permissions import (
    Permission,
    load_group,
    load_meeting,
    require,
    visible_meetings,
)
from supervision.routing import form_int

bp = Blueprint("meetings", __name__)

PER_PAGE = 25


def _with_choices(form: MeetingForm, group: Group) -> MeetingForm:
    form.supervisor.choices = [SelectChoice("", "Choose…")] + [
        SelectChoice(str(u.id), u.display_name) for u in supervisor_choices(group)
    ]
    form.attendees.choices = [
        SelectChoice(str(u.id), u.display_name) for u in attendee_choices(group)
    ]
    form.cases.choices = [
        SelectChoice(str(c.id), c.title) for c in case_choices(current_user, group)
    ]
    return form


def _render_form(form: MeetingForm, group: Group, meeting: Meeting | None, status: int = 200):  # type: ignore[no-untyped-def]
    current, seen = None, form.edit_version.data
    if status == 409 and meeting is not None:
        current = entry_page(meeting)
        # Saving again now applies this form over the entry as it is, knowingly.
        form.edit_version.data = str(meeting.edit_version)
    page = render_template(
        "meetings/form.html", form=form, group=group, meeting=meeting, current=current, seen=seen
    )
    return page, status


def _show_error(form: MeetingForm, error: MeetingError) -> None:
    target = form[error.field] if error.field and error.field in form else None
    if target is not None:
        target.errors = [*target.errors, str(error)]
    else:
        form.form_errors.append(str(error))


@bp.get("/groups/<int:group_id>/meetings")
@login_required
def group_list(group_id: int) -> str:
    group = load_group(group_id)
    require(Permission.MEETING_LIST, group)
    query = visible_meetings(current_user, group).options(
        selectinload(Meeting.attendees).selectinload(MeetingAttendee.user),
        selectinload(Meeting.supervisor),
    )
    page = keyset_page(query, (Meeting.held_on, Meeting.id), per_page=PER_PAGE)
    return render_template(
        "meetings/group_list.html",
        group=group,
        page=page,
        rows=list_rows(list(page.items)),
    )


@bp.route("/groups/<int:group_id>/meetings/new", methods=["GET", "POST"])
@login_required
def create(group_id: int):  # type: ignore[no-untyped-def]
    group = load_group(group_id)
    require(Permission.MEETING_LOG, group)
    form = _with_choices(MeetingForm(), group)
    if request.method == "GET":
        supervisors = [u.id for u in supervisor_choices(group)]
        mine = current_user.id if current_user.id in supervisors else None
        if mine or len(supervisors) == 1:
            form.supervisor.data = str(mine or supervisors[0])
        if current_user.id in {u.id for u in attendee_choices(group)}:
            form.attendees.data = [str(current_user.id)]
    if form.validate_on_submit():
        try:
            meeting = draft_meeting(group, current_user, form.to_input())
        except MeetingError as error:
            db.session.rollback()
            _show_error(form, error)
        else:
            db.session.commit()
            flash("Meeting entry saved as a draft. Its supervisor signs it off.", "success")
            return redirect(url_for("meetings.show", meeting_id=meeting.id))
    return _render_form(form, group, None, 400 if form.is_submitted() else 200)


@bp.get("/meetings/<int:meeting_id>")
@login_required
def show(meeting_id: int) -> str:
    meeting = load_meeting(meeting_id)
    return render_template(
        "meetings/show.html",
        entry=entry_page(meeting),
        group=meeting.group,
        correct_form=CorrectForm(),
    )


@bp.route("/meetings/<int:meeting_id>/edit", methods=["GET", "POST"])
@login_required
def edit(meeting_id: int):  # type: ignore[no-untyped-def]
    meeting = load_meeting(meeting_id)
    require(Permission.MEETING_EDIT, meeting)
    if request.method == "GET":
        form = MeetingForm(
            data={
                "held_on": meeting.held_on,
                "duration_minutes": meeting.duration_minutes,
                "format": meeting.format.value,
                "modality": meeting.modality.value,
                "reviewed_work": meeting.reviewed_work.value,
                "supervisor": str(meeting.supervisor_id),
                "attendees": [str(a.user_id) for a in meeting.attendees],
                "cases": [str(link.case_id) for link in meeting.cases],
                "notes": meeting.notes,
                "follow_up": meeting.follow_up,
                "edit_version": str(meeting.edit_version),
            }
        )
        return _render_form(_with_choices(form, meeting.group), meeting.group, meeting)
    form = _with_choices(MeetingForm(), meeting.group)
    if form.validate_on_submit():
        try:
            save_meeting(meeting, current_user, form.to_input(), form_int(form.edit_version.data))
        except MeetingConflict as error:
            db.session.rollback()
            form.form_errors.append(str(error))
            return _render_form(form, meeting.group, load_meeting(meeting_id), 409)
        except MeetingError as error:
            db.session.rollback()
            _show_error(form, error)
        else:
            db.session.commit()
            flash("Meeting entry saved.", "success")
            return redirect(url_for("meetings.show", meeting_id=meeting.id))
    return _render_form(form, meeting.group, meeting, 400)


@bp.route("/meetings/<int:meeting_id>/sign", methods=["GET", "POST"])
@login_required
def sign(meeting_id: int):  # type: ignore[no-untyped-def]
    meeting = load_meeting(meeting_id)
    require(Permission.MEETING_SIGN, meeting)
    form = SignForm()
    status = 200
    if request.method == "GET":
        form.edit_version.data = str(meeting.edit_version)
    elif form.validate_on_submit():
        try:
            sign_meeting(
                meeting,
                current_user,
                form.signature.data or "",
                form.password.data or "",
                form_int(form.edit_version.data),
                code=form.code.data or "",
            )
        except ReauthError as error:
            db.session.rollback()
            form[error.field].errors = [str(error)]
            status = 400
        except MeetingError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
            form.edit_version.data = str(load_meeting(meeting_id).edit_version)
            status = 409 if isinstance(error, MeetingConflict) else 400
        else:
            db.session.commit()
            flash("Signed. The entry is now locked.", "success")
            return redirect(url_for("meetings.show", meeting_id=meeting.id))
    else:
        status = 400
    form.password.data = ""
    page = render_template(
        "meetings/sign.html",
        form=form,
        entry=entry_page(load_meeting(meeting_id)),
        group=meeting.group,
    )
    return page, status


@bp.post("/meetings/<int:meeting_id>/correct")
@login_required
def correct(meeting_id: int) -> Response:
    meeting = load_meeting(meeting_id)
    require(Permission.MEETING_CORRECT, meeting)
    if not CorrectForm().validate_on_submit():
        abort(400)
    correction = start_correction(meeting, current_user)
    db.session.commit()
    if correction.is_signed:
        flash("This entry has already been corrected.", "info")
        return redirect(url_for("meetings.show", meeting_id=correction.id))
    flash("A correction is drafted from the entry. Change what was wrong and save.", "success")
    return redirect(url_for("meetings.edit", meeting_id=correction.id))


# -- Hours ------------------------------------------------------------------------------------


def _period() -> tuple[PeriodForm, date, date]:
    form = PeriodForm(request.args)
    today = date.today()
    start, end = date(today.year, 1, 1), date(today.year, 12, 31)
    if request.args and form.validate():
        start, end = form.start.data or start, form.end.data or end
    return form, start, end


def _noted_export(what: str) -> None:
    """One's own hours (or those of one's supervisees) leave the site: say so in the trail."""
    note("export", "users", current_user.id, subject_id=current_user.id, detail={"export": what})


def _csv(text: str, name: str) -> Response:
    return Response(
        text,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.get("/meetings/hours")
@login_required
def hours() -> ResponseReturnValue:
    form, start, end = _period()
    screen = supervisee_screen(current_user, start, end)
    page = render_template(
        "meetings/hours.html", form=form, screen=screen, **hours_page(start, end, "supervisee")
    )
    return page, 400 if form.errors else 200


@bp.get("/meetings/hours.csv")
@login_required
def hours_csv() -> Response:
    _form, start, end = _period()
    totals = supervisee_totals(current_user, start, end)
    _noted_export("hours.csv")
    return _csv(csv_text(CSV_HEADER, map(csv_row, totals.lines)), f"hours-{start}-{end}.csv")


@bp.get("/meetings/hours/print")
@login_required
def hours_print() -> str:
    _form, start, end = _period()
    totals = supervisee_totals(current_user, start, end)
    _noted_export("hours.print")
    return render_template(
        "meetings/print.html",
        totals=totals,
        person=current_user,
        hours=format_hours,
        pdf_available=pdf_available(),
    )


@bp.get("/meetings/hours/summary.pdf")
@login_required
def hours_pdf() -> Response:
    _form, start, end = _period()
    totals = supervisee_totals(current_user, start, end)
    html = render_template(
        "meetings/summary_pdf.html", totals=totals, person=current_user, hours=format_hours
    )
    pdf = pdf_from_html(html)
    if pdf is None:
        flash(
            "This server cannot make PDFs (the Pango library is not installed). "
            "Use your browser's Print command and choose \u201cSave as PDF\u201d.",
            "info",
        )
        return redirect(
            url_for("meetings.hours_print", start=start.isoformat(), end=end.isoformat())
        )
    _noted_export("hours.pdf")
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="hours-{start}-{end}.pdf"'},
    )


@bp.get("/meetings/supervising")
@login_required
def supervising() -> ResponseReturnValue:
    form, start, end = _period()
    screen = supervisor_screen(current_user, start, end)
    page = render_template(
        "meetings/hours.html", form=form, screen=screen, **hours_page(start, end, "supervisor")
    )
    return page, 400 if form.errors else 200


@bp.get("/meetings/supervising.csv")
@login_required
def supervising_csv() -> Response:
    _form, start, end = _period()
    totals = supervisor_totals(current_user, start, end)
    _noted_export("supervising.csv")
    return _csv(csv_text(CSV_HEADER, map(csv_row, totals.lines)), f"supervising-{start}-{end}.csv")
