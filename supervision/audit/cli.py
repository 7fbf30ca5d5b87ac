"""`flask --app wsgi audit verify`: walk the chain and say what is wrong with it."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from supervision.audit.chain import CHAIN_ID, verify
from supervision.extensions import db
from supervision.models import AuditChain

audit_cli = AppGroup("audit", help="Check the audit trail.")


@audit_cli.command("verify")
def verify_command() -> None:
    """Recompute every entry's hash and link; exit 1, naming each bad entry, if any is off."""
    count, problems = verify(db.session)
    head = db.session.get(AuditChain, CHAIN_ID)
    db.session.rollback()
    if problems:
        for problem in problems:
            click.echo(str(problem), err=True)
        raise click.ClickException(
            f"The audit trail is broken: {len(problems)} problem(s) in {count} entries."
        )
    click.echo(f"The audit trail is intact: {count} entries, every link and hash checks.")
    if head is not None:  # worth keeping where the database's administrators cannot write
        click.echo(f"Head: entry {head.head_seq}, hash {head.head_hash}")
