"""`flask --app wsgi demo load`: the clearly marked demo workspace."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from supervision.demo.accounts import DEMO_PASSWORD
from supervision.demo.workspace import build_workspace, workspace_exists
from supervision.extensions import db
from supervision.models import User

demo_cli = AppGroup("demo", help="The demo workspace.")


@demo_cli.command("load")
@click.option("--if-empty", is_flag=True, help="Only when the database has no users yet.")
def load_command(if_empty: bool) -> None:
    """Load fictional people, groups and content for trying Attune out."""
    if if_empty and db.session.scalar(select(User.id).limit(1)) is not None:
        click.echo("The database already has accounts; demo workspace not loaded.")
        return
    if workspace_exists():
        click.echo("The demo workspace is already loaded.")
        return
    workspace = build_workspace()
    db.session.commit()
    click.echo(
        f"Demo workspace loaded: {len(workspace.users)} people, {len(workspace.groups)} groups."
    )
    click.echo(f"Log in as any demo account with the password: {DEMO_PASSWORD}")
    if not current_app.config["DEMO_MODE"]:
        click.echo("Note: demo mode is off, so the login page will not list the demo accounts.")
