"""Attune: clinical supervision and peer consultation.

``create_app`` assembles the application in a few named steps; nothing here touches the
database schema (migrations do that).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Flask

from supervision.config import check_config, load_config
from supervision.requests import CleanRequest, refuse_nul_in_path, refuse_odd_json
from supervision.routing import init_routing

ROOT = Path(__file__).resolve().parent.parent
BLUEPRINT_FEATURES = (
    "main",
    "auth",
    "two_factor",
    "groups",
    "cases",
    "rubrics",
    "reviews",
    "annotations",
    "discussions",
    "notifications",
    "relationship",
    "self_assessment",
    "growth",  # above reviews and annotations: one supervisee's levels over time
    "calibration",
    "agreements",  # supervision agreements and credentials on the profile
    "exports",  # exports: above the features whose sections it assembles; below the pages
    "meetings",  # supervision meetings and hours
    "evaluations",  # evaluations: periodic evaluations and the supervisee's of a supervisor
    "pages",  # above the features: the case page, composed of their panels
    "desk",  # above the features too: one supervisor's lists across their groups
    "audit",  # audit trail: its three readers (the trail itself is written by hooks)
    "privacy",  # one's data: the download of everything held, and deleting one's account
    "emergency",  # site admins' time-boxed read-only access to a group (issue 12)
)


def create_app(config: dict[str, Any] | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    app.request_class = CleanRequest
    app.url_value_preprocessor(refuse_nul_in_path)
    app.before_request(refuse_odd_json)
    init_routing(app)  # before any blueprint adds a rule: ids are checked by the URL map
    _configure(app, config)
    _init_extensions(app)
    _register_blueprints(app)
    _register_cli(app)
    _init_templates(app)
    return app


def _configure(app: Flask, overrides: dict[str, Any] | None) -> None:
    app.config.from_mapping(load_config(overrides))
    check_config(app.config)
    Path(app.instance_path).mkdir(exist_ok=True)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)


def _init_extensions(app: Flask) -> None:
    from supervision import models  # noqa: F401  (every table registered before Alembic looks)
    from supervision.audit.hooks import init_audit
    from supervision.auth.sessions import init_login
    from supervision.extensions import csrf, db, limiter, migrate
    from supervision.mail.hooks import init_mail
    from supervision.security import init_security
    from supervision.sessions import init_sessions

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    init_sessions(app)
    init_login(app)
    init_security(app)
    init_mail(app)
    init_audit(app)  # after the others: its after_request writes what the request noted


def _register_blueprints(app: Flask) -> None:
    from importlib import import_module

    from supervision.agreements.hooks import register_hooks as register_agreement_hooks

    # evaluations: its redaction hook, export parts and reminder source
    from supervision.evaluations.hooks import register_hooks as register_evaluation_hooks
    from supervision.exports.hooks import register_hooks as register_export_hooks  # exports
    from supervision.main.views import init_error_pages
    from supervision.meetings.hooks import register_hooks as register_meeting_hooks
    from supervision.notifications.hooks import register_hooks as register_notification_hooks
    from supervision.relationship.hooks import register_hooks as register_relationship_hooks

    for feature in BLUEPRINT_FEATURES:
        app.register_blueprint(import_module(f"supervision.{feature}.views").bp)
    register_notification_hooks()  # a case shared with a group is news to its members
    register_relationship_hooks()  # a redaction reaches the check-ins' notes
    register_agreement_hooks()  # agreements: redaction, signature reminders, the portfolio
    register_export_hooks()  # exports: cases, feedback, growth; members and reviews reports
    register_meeting_hooks()  # meetings: redaction, sign-off reminder, hours export
    register_evaluation_hooks()  # evaluations: redaction, exports, reminders
    init_error_pages(app)


def _register_cli(app: Flask) -> None:
    from supervision.audit.cli import audit_cli
    from supervision.backup.cli import backup_command, restore_command
    from supervision.cli import users_cli
    from supervision.demo.cli import demo_cli
    from supervision.jobs.cli import worker_command  # the job queue's worker
    from supervision.mail.cli import mail_cli
    from supervision.privacy.cli import retention_cli  # privacy: the retention purge
    from supervision.reminders.cli import reminders_cli  # exports: reminder delivery

    for group in (
        users_cli,
        mail_cli,
        demo_cli,
        reminders_cli,
        backup_command,
        restore_command,
        audit_cli,
        retention_cli,
        worker_command,
    ):
        app.cli.add_command(group)


def _init_templates(app: Flask) -> None:
    from flask import g, has_request_context
    from flask_login import current_user

    from supervision.notifications.services import unread_count
    from supervision.permissions import can

    app.jinja_env.globals["can"] = can

    @app.context_processor
    def _demo_flag() -> dict[str, Any]:
        return {"demo_mode": app.config["DEMO_MODE"]}

    @app.context_processor
    def _unread_notifications() -> dict[str, Any]:
        # The navigation's unread count: signed-in users only, one query per request.
        if not has_request_context() or not current_user.is_authenticated:
            return {}
        if "unread_notifications" not in g:
            g.unread_notifications = unread_count(current_user)
        return {"unread_notifications": g.unread_notifications}
