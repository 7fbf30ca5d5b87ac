"""`flask --app wsgi reminders send`: deliver the reminders that are due (run it hourly)."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy.exc import IntegrityError

from supervision.extensions import db
from supervision.models.types import utcnow
from supervision.reminders.services import deliver_due

reminders_cli = AppGroup("reminders", help="Reminders about supervision records.")


@reminders_cli.command("send")
def send_command() -> None:
    """Deliver every reminder that is due and not yet delivered to its person."""
    try:
        count = deliver_due(utcnow())
        db.session.commit()
    except IntegrityError:
        # Another run delivered the same reminders at the same moment: it wins, nothing twice.
        db.session.rollback()
        click.echo("Another run is delivering reminders; nothing sent by this one.")
        return
    click.echo(f"{count} reminder{'s' if count != 1 else ''} delivered")
