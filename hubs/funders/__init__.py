"""For the funders: scoped read-only reports, small-number protection, frozen snapshots
and targets.

A funder grant is scoped to funding sources (:class:`~hubs.funders.models.FunderScope`);
the funder reads the reports of the programmes tagged with those sources, with small
numbers suppressed in every format (:mod:`hubs.funders.suppression`). The hooks into the
reports live in :mod:`hubs.funders.reporting`.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from hubs.funders import report_targets, reporting

    reporting.install()
    report_targets.install()
