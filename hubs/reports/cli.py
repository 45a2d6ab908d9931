"""``flask report growth --from 2021 --to 2022 --format xlsx --output growth.xlsx``.

For scheduled runs (cron): the command line sees every hub, as a programme manager
does. Each run is logged as a data export (no user).
"""

from __future__ import annotations

import shutil
from typing import Any

import click
from flask import Flask
from flask.cli import AppGroup
from flask_babel import force_locale

from hubs.errors import InvalidInput
from hubs.reports import render, services
from hubs.reports.catalog import FORMATS, KINDS
from hubs.reports.options import parse_options
from hubs.reports.scope import EVERYTHING

report_group = AppGroup("report", help="Reports for scheduled runs (CSV, XLSX, PDF).")


def _options(values: dict[str, Any]) -> dict[str, Any]:
    args: dict[str, Any] = {
        "from": values["from_year"],
        "to": values["to_year"],
        "basis": values["basis"],
        "count": values["count"],
        "reference_date": values["reference_date"],
        "hub_id": list(values["hub_id"]),
        "programme_id": list(values["programme_id"]),
        "by_level": "1" if values["by_level"] else None,
    }
    return {k: v for k, v in args.items() if v not in (None, [])}


def _write(name: str, fmt: str, output: str, lang: str, values: dict[str, Any]) -> None:
    with force_locale(lang):
        try:
            options = parse_options(_options(values))
        except InvalidInput as error:
            problems = "; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in error.fields.items())
            raise click.UsageError(problems) from None
        built = KINDS[name].build(options, EVERYTHING, services.today())
        document = built.document
        if fmt == "csv":
            with open(output, "w", encoding="utf-8", newline="") as fh:
                for chunk in render.csv_chunks(document):
                    fh.write(chunk)
        elif fmt == "xlsx":
            shutil.move(render.xlsx_path(document), output)
        else:
            with open(output, "wb") as fh:
                fh.write(render.pdf_bytes(document, built.charts, services.today()))
    services.record_export(name, fmt, options, None)
    click.echo(f"{name}: {output}")


def _command(name: str) -> click.Command:
    @click.option("--from", "from_year", help="First year (default: last year).")
    @click.option("--to", "to_year", help="Last year (default: this year).")
    @click.option("--basis", type=click.Choice(["school", "calendar"]), default="school")
    @click.option(
        "--count", type=click.Choice(["participants", "enrolments"]), default="participants"
    )
    @click.option("--reference-date", help="YYYY-MM-DD in the first year (optional).")
    @click.option("--hub-id", multiple=True, type=int, help="Only these hubs (repeat).")
    @click.option("--programme-id", multiple=True, type=int, help="Only these programmes.")
    @click.option("--by-level", is_flag=True, help="A row per level too.")
    @click.option("--format", "fmt", type=click.Choice(FORMATS), default="xlsx")
    @click.option("--output", "-o", required=True, type=click.Path(dir_okay=False))
    @click.option("--lang", type=click.Choice(["nl", "en"]), default="nl")
    def command(fmt: str, output: str, lang: str, **values: Any) -> None:
        _write(name, fmt, output, lang, values)

    command.__doc__ = f"Write the {name} report to a file."
    return report_group.command(name)(command)


for _name in KINDS:
    _command(_name)


def register(app: Flask) -> None:
    app.cli.add_command(report_group)
