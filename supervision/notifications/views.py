"""Notifications: the list, marking read, opening one, and the choice of channel per event.

Every route is for a signed-in user and touches only their own notifications (404 otherwise).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from supervision.extensions import db
from supervision.models import Notification
from supervision.notifications.forms import PreferencesForm
from supervision.notifications.services import (
    mark_read,
    notifications_page,
    preferences_of,
    set_preferences,
)
from supervision.permissions import load_notification
from supervision.security import is_safe_next

bp = Blueprint("notifications", __name__)


@dataclass(frozen=True)
class NotificationItem:
    id: int
    text: str
    url: str
    created_at: datetime
    is_unread: bool


def _item(notification: Notification) -> NotificationItem:
    url = notification.url if is_safe_next(notification.url) else url_for("notifications.index")
    return NotificationItem(
        notification.id,
        notification.text,
        url,
        notification.created_at,
        notification.read_at is None,
    )


CURSOR_ARGS = ("after", "before", "at")


def _back_to_list() -> Response:
    """Back to the page the reader was on: the list's cursor rides along in the form."""
    cursor = {name: request.form.get(name, "")[:200] or None for name in CURSOR_ARGS}
    return redirect(url_for("notifications.index", **cursor))


@bp.get("/notifications")
@login_required
def index() -> str:
    page = notifications_page(current_user)
    items = [_item(notification) for notification in page.items]
    cursor = {name: request.args[name] for name in CURSOR_ARGS if request.args.get(name)}
    return render_template("notifications/index.html", page=page, items=items, cursor=cursor)


@bp.post("/notifications/<int:notification_id>/open", endpoint="open")
@login_required
def open_notification(notification_id: int) -> Response:
    """Opening from the list marks it read, then goes where it points."""
    notification = load_notification(notification_id)
    mark_read(current_user, notification.id)
    db.session.commit()
    return redirect(_item(notification).url)


@bp.post("/notifications/<int:notification_id>/read")
@login_required
def mark_one_read(notification_id: int) -> Response:
    notification = load_notification(notification_id)
    mark_read(current_user, notification.id)
    db.session.commit()
    return _back_to_list()


@bp.post("/notifications/read")
@login_required
def mark_all_read() -> Response:
    count = mark_read(current_user)
    db.session.commit()
    flash("All notifications are marked as read." if count else "Nothing was unread.", "success")
    return _back_to_list()


@bp.route("/account/notifications", methods=["GET", "POST"])
@login_required
def preferences() -> Response | tuple[str, int]:
    chosen = preferences_of(current_user)
    form = PreferencesForm(data={event.value: channel.value for event, channel in chosen.items()})
    if form.validate_on_submit():
        set_preferences(current_user, form.channels())
        db.session.commit()
        flash("Your notification choices are saved.", "success")
        return redirect(url_for("notifications.preferences"))
    status = 400 if request.method == "POST" else 200
    return render_template("notifications/preferences.html", form=form), status
