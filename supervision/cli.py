"""Administrative commands: `flask --app wsgi users ...`."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from supervision.audit.trail import record
from supervision.auth.services import AccountError, create_admin
from supervision.extensions import db

users_cli = AppGroup("users", help="Manage accounts.")


@users_cli.command("create-admin")
@click.argument("email")
@click.option("--name", "display_name", help="Display name (defaults to the email's local part).")
def create_admin_command(email: str, display_name: str | None) -> None:
    """Create a site admin with a one-time password that must be changed at first login."""
    try:
        user, one_time = create_admin(email, display_name)
    except AccountError as error:
        raise click.ClickException(str(error)) from error
    # An admin action from the command line: no signed-in actor, so the entry says where from.
    record("admin_created", "users", user.id, subject_id=user.id, detail={"via": "cli"})
    db.session.commit()
    click.echo(f"Site admin {user.email} created.")
    click.echo(f"One-time password (shown once; it must be changed at first login): {one_time}")
