"""``flask licences remind``: mail organisations whose people's licences expire within 30
days (run it daily; each licence is mentioned once)."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from hubs.db import local_today
from hubs.licences import services

licences = AppGroup("licences", help="Machine licences.")


@licences.command("remind")
def remind_command() -> None:
    """Mail each organisation about its people's licences expiring within 30 days."""
    count = services.remind_expiring(local_today())
    click.echo(f"reminded of {count} licences")


def register(app: Flask) -> None:
    app.cli.add_command(licences)
