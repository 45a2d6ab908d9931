"""``flask outbox send|work|purge``: deliver the outbox."""

from __future__ import annotations

import signal
import time

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from hubs.extensions import db
from hubs.mail.services import deliver_pending, purge_delivered

outbox = AppGroup("outbox", help="Deliver queued mail.")


@outbox.command("send")
def send_command() -> None:
    """Deliver every due message once, then stop."""
    report = deliver_pending()
    click.echo(f"sent {report.sent}, retry later {report.retried}, failed {report.failed}")


@outbox.command("work")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between polls.")
@click.option("--once", is_flag=True, help="Stop when nothing is due (for tests).")
def work_command(interval: float, once: bool) -> None:
    """Keep delivering (a long-lived worker for production); stops cleanly on SIGTERM."""
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    last_purge = 0.0
    while not stopping:
        try:
            report = deliver_pending()
            if report.attempted:
                click.echo(
                    f"sent {report.sent}, retry later {report.retried}, failed {report.failed}"
                )
            if time.monotonic() - last_purge > 3600:
                purge_delivered()
                last_purge = time.monotonic()
        except Exception:  # a database hiccup must not kill the worker
            current_app.logger.exception("outbox worker pass failed")
            db.session.rollback()  # the next pass starts with a clean transaction
        if once:
            return
        deadline = time.monotonic() + interval
        while not stopping and time.monotonic() < deadline:
            time.sleep(0.2)


@outbox.command("purge")
def purge_command() -> None:
    """Remove delivered messages past their retention period."""
    click.echo(f"purged {purge_delivered()} messages")


def register(app: Flask) -> None:
    app.cli.add_command(outbox)
