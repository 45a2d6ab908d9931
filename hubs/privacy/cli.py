"""``flask privacy purge``: remove or anonymise personal data past its retention period."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from hubs.privacy.services import purge

privacy = AppGroup("privacy", help="Personal data: retention.")


@privacy.command("purge")
def purge_command() -> None:
    """Anonymise or delete what is past its retention period (counts stay the same)."""
    for name, touched in purge().items():
        click.echo(f"{name}: {touched}")


def register(app: Flask) -> None:
    app.cli.add_command(privacy)
