"""``flask notifications remind``: the day-before reminders (run it daily)."""

from __future__ import annotations

from datetime import date, timedelta

import click
from flask import Flask
from flask.cli import AppGroup

from hubs.db import local_today

notifications = AppGroup("notifications", help="Reminders and other scheduled messages.")


@notifications.command("remind")
@click.option(
    "--day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Remind of what starts on this day (default: tomorrow, Dutch time).",
)
def remind_command(day: object) -> None:
    """Mail a reminder, with the .ics, for each booking starting tomorrow.

    Idempotent: what was reminded is recorded, so a second run sends nothing again.
    """
    from hubs.calendar.reminders import remind

    when: date = day.date() if day is not None else local_today() + timedelta(days=1)  # type: ignore[attr-defined]
    report = remind(when)
    click.echo(f"Reminders for {when.isoformat()}: {report.sent} queued, {report.skipped} skipped.")


def register(app: Flask) -> None:
    app.cli.add_command(notifications)
