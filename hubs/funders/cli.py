"""``flask surveys send``: mail the satisfaction surveys that are due (run it daily)."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from hubs.funders import surveys as survey_services

surveys = AppGroup("surveys", help="Satisfaction surveys after visits and courses.")


@surveys.command("send")
def send_command() -> None:
    """Mail a survey link for each visit and course that ended and has none (idempotent)."""
    count = survey_services.send_due()
    click.echo(f"sent {count} surveys")


def register(app: Flask) -> None:
    app.cli.add_command(surveys)
