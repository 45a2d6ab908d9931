"""``flask demo load``: fill an empty database with the demo data."""

from __future__ import annotations

import importlib

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import func, select

from hubs.db import utcnow, write_transaction
from hubs.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, DemoContext
from hubs.extensions import db

demo = AppGroup("demo", help="Demo data.")


def database_is_empty() -> bool:
    from hubs.accounts.models import User
    from hubs.locations.models import Hub

    return not (
        db.session.scalar(select(func.count()).select_from(Hub))
        or db.session.scalar(select(func.count()).select_from(User))
    )


def load_demo() -> DemoContext:
    """Run every feature's demo step in one transaction."""
    from hubs.demo import core
    from hubs.features import FEATURES

    ctx = DemoContext(today=utcnow().date())
    with write_transaction():
        core.load(ctx)
        for name in FEATURES:
            try:
                module = importlib.import_module(f"hubs.{name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"hubs.{name}.demo":
                    raise
                continue
            module.load(ctx)
    return ctx


def print_accounts() -> None:
    click.echo("")
    click.echo(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
    for email, role in DEMO_ACCOUNTS:
        click.echo(f"  {email:40} {role}")
    click.echo("")


@demo.command("load")
@click.option(
    "--if-empty",
    is_flag=True,
    help="Do nothing (successfully) when the database already has data.",
)
def load_command(if_empty: bool) -> None:
    """Fill an EMPTY database with demo data (refuses a database that has data)."""
    if not database_is_empty():
        if if_empty:
            click.echo("The database already has data; demo data not loaded again.")
            print_accounts()
            return
        raise click.ClickException(
            "The database is not empty; demo data is only loaded into an empty database."
        )
    load_demo()
    click.echo("Demo data loaded.")
    print_accounts()
    click.echo(f"Open {current_app.config['BASE_URL']}/ and sign in.")


def register(app: Flask) -> None:
    app.cli.add_command(demo)
