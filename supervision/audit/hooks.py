"""Wiring the trail to the database session and the request cycle."""

from __future__ import annotations

import logging

from flask import Flask
from sqlalchemy import event
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from supervision.audit.chain import append
from supervision.audit.trail import (
    capture_changes,
    forget_rolled_back,
    has_notes,
    mark_savepoint,
    take_pending,
)
from supervision.extensions import db

log = logging.getLogger(__name__)


def _before_commit(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint: the outer commit writes the entries
        return
    session.flush()  # what the commit would flush is captured before the chain is written
    pending = take_pending(session)
    if pending:
        append(session, pending)
        session.flush()


def _write_notes_after_request(response: Response) -> Response:
    """A request that read or was refused, and committed nothing, still leaves its entries.
    Whatever the view left uncommitted is rolled back first (the teardown would discard it
    anyway), so only the notes are written."""
    session = db.session()
    if has_notes(session):
        session.rollback()
        try:
            session.commit()  # before_commit appends the notes
        except Exception:  # never turn a served page into an error; the log says why
            session.rollback()
            log.exception("audit entries of this request could not be written")
    return response


_SESSION_EVENTS = (
    ("after_flush", capture_changes),
    ("before_commit", _before_commit),
    ("after_transaction_create", mark_savepoint),
    ("after_soft_rollback", forget_rolled_back),
)


def init_audit(app: Flask) -> None:
    for name, listener in _SESSION_EVENTS:  # on the Session class: once, however many apps
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
    app.after_request(_write_notes_after_request)
