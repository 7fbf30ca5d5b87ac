"""`flask --app wsgi retention purge [--dry-run]`: remove what is past its retention period."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from supervision.audit.trail import record
from supervision.extensions import db
from supervision.models.types import utcnow
from supervision.privacy.retention import KINDS, cutoffs, purge

retention_cli = AppGroup("retention", help="Retention periods.")


@retention_cli.command("purge")
@click.option("--dry-run", is_flag=True, help="Count what is past its time; change nothing.")
def purge_command(dry_run: bool) -> None:
    """Remove closed cases, audit entries and delivered mail past their retention periods, and
    dead sessions, reset links and invitations; one line per kind with its count."""
    counts = purge(cutoffs(utcnow()), dry_run=dry_run)
    if dry_run:
        db.session.rollback()
    else:
        record("retention_purge", detail=counts)
        db.session.commit()
    verb = "would be removed" if dry_run else "removed"
    for key, label in KINDS:
        click.echo(f"{label}: {counts[key]} {verb}")
    if dry_run:
        click.echo("Dry run: nothing was changed.")
