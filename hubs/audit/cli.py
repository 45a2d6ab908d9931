"""``flask security-log purge``: remove security events past their retention period."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from hubs.audit.services import purge_security_events

security_log = AppGroup("security-log", help="The security log.")


@security_log.command("purge")
def purge_command() -> None:
    """Remove events older than SECURITY_LOG_RETENTION_DAYS."""
    click.echo(f"purged {purge_security_events()} security events")


def register(app: Flask) -> None:
    app.cli.add_command(security_log)
