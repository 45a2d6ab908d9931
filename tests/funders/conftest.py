"""Fixtures for funders: the demo data (from the reports' fixtures) and the factories."""

from tests.reports.conftest import demo, frozen, learn  # noqa: F401
