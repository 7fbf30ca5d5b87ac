"""Group discussions: threads, a case's own thread, posts, replies, moderation.

Every route loads its object first (404 for what the viewer may not see), then requires its
permission (403), then validates, then calls a service and commits once.

    GET      /groups/<id>/discussions           GROUP_VIEW        ?after=, ?before= (thread ids)
    GET|POST /groups/<id>/discussions/new       THREAD_CREATE
    GET      /discussions/<id>                  THREAD_VIEW       ?after=, ?before= (post ids),
                                                                  ?page=, ?reply_to=
    POST     /discussions/<id>/posts            POST_CREATE
    POST     /discussions/<id>/lock             THREAD_LOCK       state=on|off
    POST     /discussions/<id>/pin              THREAD_PIN        state=on|off
    POST     /discussions/<id>/settings         THREAD_SETTINGS   reply_before_read
    GET      /discussions/posts/<id>            THREAD_VIEW       redirect to the post's page
    GET      /discussions/posts/<id>/history    POST_READ
    GET|POST /discussions/posts/<id>/edit       POST_EDIT         409 on a concurrent edit
    POST     /discussions/posts/<id>/delete     POST_DELETE
    GET|POST /discussions/posts/<id>/hide       POST_HIDE
    POST     /discussions/posts/<id>/unhide     POST_HIDE
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from supervision.auth.sessions import signed_in_user
from supervision.discussions import case_threads, redaction  # noqa: F401  (register case hooks)
from supervision.discussions.forms import (
    EditPostForm,
    HideForm,
    PostForm,
    SwitchForm,
    ThreadForm,
    ThreadSettingsForm,
)
from supervision.discussions.listing import DiscussionLink, case_discussion_link, thread_rows
from supervision.discussions.mentions import audience
from supervision.discussions.panel import (
    candidates_json,
    last_page,
    mention_candidates,
    page_of,
    post_history,
    thread_view,
)
from supervision.discussions.services import (
    DiscussionError,
    PostConflict,
    add_post,
    create_thread,
    edit_post,
    hide_post,
    mark_read,
    post_position,
    remove_post,
    set_locked,
    set_pinned,
    set_reply_before_read,
    unhide_post,
)
from supervision.extensions import db
from supervision.groups.services import members_of
from supervision.models import Case, Post, Thread
from supervision.permissions import (
    Permission,
    can,
    load_group,
    load_post,
    load_thread,
    require,
)
from supervision.routing import arg_int

bp = Blueprint("discussions", __name__)

LOCKED_MESSAGE = (
    "This thread is locked: it takes no new posts. Your text was not posted; it is kept below so "
    "you can copy it."
)
CANNOT_EDIT_MESSAGE = (
    "This post can no longer be edited: the thread was locked, or the post was hidden or "
    "removed. Your text was not saved; it is kept below so you can copy it."
)


@bp.app_template_global("case_discussion")
def case_discussion(case: Case) -> DiscussionLink | None:
    """The case page's link to the case's thread, with its counts (None if there is none)."""
    if not current_user.is_authenticated:
        return None
    return case_discussion_link(case, current_user)


def _page_arg() -> int:
    page = arg_int("page", 1)
    return page if page and page > 0 else 1


def _post_location(post: Post) -> str:
    page = page_of(post_position(post))
    return url_for(
        "discussions.show",
        thread_id=post.thread_id,
        page=page if page > 1 else None,
        _anchor=f"post-{post.id}",
    )


def _thread_url(thread: Thread) -> str:
    return url_for("discussions.show", thread_id=thread.id)


# -- the group's threads ------------------------------------------------------------------------


@bp.get("/groups/<int:group_id>/discussions")
@login_required
def index(group_id: int) -> str:
    group = load_group(group_id)
    require(Permission.GROUP_VIEW, group)
    user = signed_in_user()
    rows, links = thread_rows(user, group, arg_int("after"), arg_int("before"))
    return render_template(
        "discussions/index.html",
        group=group,
        rows=rows,
        links=links,
        can_create=can(user, Permission.THREAD_CREATE, group),
    )


@bp.route("/groups/<int:group_id>/discussions/new", methods=["GET", "POST"])
@login_required
def create(group_id: int):  # type: ignore[no-untyped-def]
    group = load_group(group_id)
    require(Permission.THREAD_CREATE, group)
    form = ThreadForm()
    if form.validate_on_submit():
        try:
            thread = create_thread(
                group,
                current_user,
                form.title.data or "",
                form.body.data or "",
                reply_before_read=bool(form.reply_before_read.data),
            )
        except DiscussionError as error:
            db.session.rollback()
            form.body.errors = [*form.body.errors, str(error)]
        else:
            db.session.commit()
            flash("Your thread is started. The group can reply now.", "success")
            return redirect(_thread_url(thread))
    status = 400 if form.is_submitted() else 200
    members = mention_candidates(members_of(group), current_user)
    return render_template(
        "discussions/new.html",
        group=group,
        form=form,
        members=members,
        members_json=candidates_json(members),
    ), status


# -- one thread ---------------------------------------------------------------------------------


def _render_thread(  # type: ignore[no-untyped-def]
    thread: Thread,
    form: PostForm,
    status: int = 200,
    *,
    page: int | None = None,
    reply_to: int | None = None,
    refused: str | None = None,
):
    if page is None:
        view = thread_view(
            thread,
            signed_in_user(),
            _page_arg(),
            reply_to,
            after=arg_int("after"),
            before=arg_int("before"),
        )
    else:  # a refused post: the last page, where it would have landed
        view = thread_view(thread, signed_in_user(), page, reply_to)
    html = render_template(
        "discussions/show.html",
        view=view,
        thread=thread,
        group=thread.group,
        form=form,
        refused=refused,
        settings_form=ThreadSettingsForm(formdata=None, reply_before_read=thread.reply_before_read),
    )
    # Reading is what moves the viewer's own read mark (as opening a case records a read).
    # After rendering: a commit first would expire what the template then reads again.
    if status == 200 and mark_read(thread, current_user, view.last_shown_id, view.last_read_id):
        db.session.commit()
    return html, status


@bp.get("/discussions/<int:thread_id>")
@login_required
def show(thread_id: int):  # type: ignore[no-untyped-def]
    thread = load_thread(thread_id)
    require(Permission.THREAD_VIEW, thread)
    return _render_thread(thread, PostForm(), reply_to=arg_int("reply_to"))


@bp.post("/discussions/<int:thread_id>/posts")
@login_required
def reply(thread_id: int):  # type: ignore[no-untyped-def]
    thread = load_thread(thread_id)
    form = PostForm()
    last = last_page(thread)
    if not can(current_user, Permission.POST_CREATE, thread):
        # The loader proved they may read it, so the thread is locked: keep what they typed.
        return _render_thread(thread, form, 403, page=last, refused=LOCKED_MESSAGE)
    if form.validate_on_submit():
        parent = db.session.get(Post, form.reply_to.data) if form.reply_to.data else None
        try:
            if form.reply_to.data and (
                parent is None
                or parent.thread_id != thread.id
                or not can(current_user, Permission.POST_READ, parent)
            ):
                raise DiscussionError(
                    "The post you were answering is no longer available. Post to the thread "
                    "instead: your text is still here."
                )
            post = add_post(thread, current_user, form.body.data or "", parent)
        except DiscussionError as error:
            db.session.rollback()
            form.body.errors = [*form.body.errors, str(error)]
        else:
            db.session.commit()
            flash("Your post is in the thread.", "success")
            return redirect(_post_location(post))
    return _render_thread(thread, form, 400, page=last, reply_to=form.reply_to.data)


def _switch(thread: Thread, permission: Permission, apply, on: str, off: str) -> Response:  # type: ignore[no-untyped-def]
    require(permission, thread)
    form = SwitchForm()
    if form.validate_on_submit():
        apply(thread, form.state.data == "on")
        db.session.commit()
        flash(on if form.state.data == "on" else off, "success")
    else:
        flash("That change could not be read. Reload the page and try again.", "error")
    return redirect(_thread_url(thread))


@bp.post("/discussions/<int:thread_id>/lock")
@login_required
def lock(thread_id: int) -> Response:
    thread = load_thread(thread_id)
    return _switch(
        thread,
        Permission.THREAD_LOCK,
        set_locked,
        "The thread is locked: it stays readable and takes no new posts.",
        "The thread is open again.",
    )


@bp.post("/discussions/<int:thread_id>/pin")
@login_required
def pin(thread_id: int) -> Response:
    thread = load_thread(thread_id)
    return _switch(
        thread,
        Permission.THREAD_PIN,
        set_pinned,
        "The thread is pinned to the top of the group's discussions.",
        "The thread is no longer pinned.",
    )


@bp.post("/discussions/<int:thread_id>/settings")
@login_required
def settings(thread_id: int) -> Response:
    thread = load_thread(thread_id)
    require(Permission.THREAD_SETTINGS, thread)
    form = ThreadSettingsForm()
    if form.validate_on_submit():
        on = bool(form.reply_before_read.data)
        set_reply_before_read(thread, on)
        db.session.commit()
        flash(
            "Reply before you read is on: members see the other replies after posting their own."
            if on
            else "Reply before you read is off: everyone sees every reply.",
            "success",
        )
    else:
        flash("That change could not be read. Reload the page and try again.", "error")
    return redirect(_thread_url(thread))


# -- one post -----------------------------------------------------------------------------------


@bp.get("/discussions/posts/<int:post_id>")
@login_required
def post_link(post_id: int) -> Response:
    post = load_post(post_id)
    require(Permission.THREAD_VIEW, post.thread)
    return redirect(_post_location(post))


@bp.get("/discussions/posts/<int:post_id>/history")
@login_required
def history(post_id: int) -> str:
    post = load_post(post_id)
    require(Permission.POST_READ, post)
    return render_template(
        "discussions/history.html",
        post=post,
        thread=post.thread,
        group=post.thread.group,
        versions=post_history(post),
        back_url=_post_location(post),
    )


def _render_edit(post: Post, form: EditPostForm, status: int = 200, message: str | None = None):  # type: ignore[no-untyped-def]
    members = mention_candidates(audience(post.thread), current_user)
    return (
        render_template(
            "discussions/edit.html",
            post=post,
            thread=post.thread,
            group=post.thread.group,
            form=form,
            members=members,
            members_json=candidates_json(members),
            message=message,
            conflict=status == 409,
            back_url=_post_location(post),
        ),
        status,
    )


@bp.route("/discussions/posts/<int:post_id>/edit", methods=["GET", "POST"])
@login_required
def edit(post_id: int):  # type: ignore[no-untyped-def]
    post = load_post(post_id)
    if request.method == "GET":
        require(Permission.POST_EDIT, post)
        form = EditPostForm(data={"body": post.body, "edit_version": post.edit_version})
        return _render_edit(post, form)
    form = EditPostForm()
    if not can(current_user, Permission.POST_EDIT, post):
        if post.author_id != current_user.id:
            abort(403)
        return _render_edit(post, form, 403, CANNOT_EDIT_MESSAGE)
    if form.validate_on_submit():
        try:
            edit_post(post, current_user, form.body.data or "", form.edit_version.data or 0)
        except PostConflict as error:
            db.session.rollback()
            return _render_edit(post, form, 409, str(error))
        except DiscussionError as error:
            db.session.rollback()
            form.body.errors = [*form.body.errors, str(error)]
        else:
            db.session.commit()
            flash("Your post is updated. The earlier text is kept in its history.", "success")
            return redirect(_post_location(post))
    return _render_edit(post, form, 400)


@bp.post("/discussions/posts/<int:post_id>/delete")
@login_required
def delete(post_id: int) -> Response:
    post = load_post(post_id)
    require(Permission.POST_DELETE, post)
    try:
        remove_post(post)
    except DiscussionError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(
            "Your post is removed. A marker stays in its place so the replies keep their sense.",
            "success",
        )
    return redirect(_post_location(post))


@bp.route("/discussions/posts/<int:post_id>/hide", methods=["GET", "POST"])
@login_required
def hide(post_id: int):  # type: ignore[no-untyped-def]
    post = load_post(post_id)
    require(Permission.POST_HIDE, post)
    form = HideForm()
    if request.method == "GET" and post.hidden_reason:
        form.reason.data = post.hidden_reason
    if form.validate_on_submit():
        try:
            hide_post(post, current_user, form.reason.data or "")
        except DiscussionError as error:
            db.session.rollback()
            form.reason.errors = [*form.reason.errors, str(error)]
        else:
            db.session.commit()
            flash("The post is hidden. The group sees your reason in its place.", "success")
            return redirect(_post_location(post))
    status = 400 if form.is_submitted() else 200
    return render_template(
        "discussions/hide.html",
        post=post,
        thread=post.thread,
        group=post.thread.group,
        form=form,
        back_url=_post_location(post),
    ), status


@bp.post("/discussions/posts/<int:post_id>/unhide")
@login_required
def unhide(post_id: int) -> Response:
    post = load_post(post_id)
    require(Permission.POST_HIDE, post)
    try:
        unhide_post(post)
    except DiscussionError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash("The post shows again.", "success")
    return redirect(_post_location(post))
