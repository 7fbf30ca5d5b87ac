"""`flask --app wsgi backup PATH` and `flask --app wsgi restore PATH`."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from supervision.backup.services import BackupError, create_backup, restore_backup
from supervision.extensions import db


@click.command("backup")
@click.argument("destination", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(destination: Path) -> None:
    """Write a consistent copy of the database to DESTINATION (and its fingerprints)."""
    try:
        result = create_backup(db.engine, db.metadata, destination)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backed up {result.rows} rows in {result.tables} tables to {result.path}.")


@click.command("restore")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask before replacing the database.")
@with_appcontext
def restore_command(source: Path, yes: bool) -> None:
    """Replace the database with the backup at SOURCE and check it against its fingerprints."""
    if not yes:
        click.confirm(
            f"Replace everything in {db.engine.url.render_as_string()} with {source}?",
            abort=True,
        )
    try:
        result = restore_backup(db.engine, db.metadata, source)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Restored {result.rows} rows in {result.tables} tables from {source}.")
    if not result.checked:
        click.echo("No fingerprints file lay beside the backup: the content was not checked.")
    elif result.mismatches:
        for line in result.mismatches:
            click.echo(f"  differs: {line}", err=True)
        raise click.ClickException("The restored database does not match the backup.")
    else:
        click.echo("Every table matches the backup's row counts and checksums.")
