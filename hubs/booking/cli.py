"""``flask booking expire-requests`` (run it every few minutes from cron or a timer) and
``flask booking purge-keys``."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from hubs.booking import idempotency, services

booking = AppGroup("booking", help="Booking housekeeping.")


@booking.command("expire-requests")
def expire_requests_command() -> None:
    """Expire requests nobody handled in time and tell their bookers (idempotent)."""
    count = services.expire_requests()
    click.echo(f"expired {count} requests")


@booking.command("purge-keys")
def purge_keys_command() -> None:
    """Forget Idempotency-Keys older than BOOKING_IDEMPOTENCY_HOURS."""
    count = idempotency.purge(hours=int(current_app.config["BOOKING_IDEMPOTENCY_HOURS"]))
    click.echo(f"purged {count} idempotency keys")


def register(app: Flask) -> None:
    app.cli.add_command(booking)
