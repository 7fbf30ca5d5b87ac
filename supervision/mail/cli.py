"""`flask --app wsgi mail send`: deliver the outbox."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from supervision.mail.services import deliver_due, transport_from_config

mail_cli = AppGroup("mail", help="Outgoing mail.")


@mail_cli.command("send")
@click.option("--limit", default=500, show_default=True, help="Most messages to try in one run.")
def send_command(limit: int) -> None:
    """Deliver every queued message that is due; failures stay queued for a later retry."""
    report = deliver_due(transport_from_config(), limit=limit)
    click.echo(f"{report.sent} sent, {report.failed} failed (kept for retry)")
