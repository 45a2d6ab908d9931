"""Fixtures for booking tests: a frozen clock and a small hub world."""

from __future__ import annotations

import os

import pytest
import time_machine
from hypothesis import HealthCheck, settings

from tests.booking.helpers import NOW, build_world

# CI runs few examples, derandomised; locally a few more. Examples share one database per
# test (a fresh resource per example), hence the function-scoped-fixture health check.
settings.register_profile(
    "ci",
    max_examples=12,
    stateful_step_count=10,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.register_profile(
    "dev",
    max_examples=25,
    stateful_step_count=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE")
    or ("ci" if os.environ.get("HUBS_TEST_REQUIRE_ALL") == "1" else "dev")
)


@pytest.fixture
def clock():
    """Time stands still on Monday 2 March 2026, 09:00 in Amsterdam."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def world(app, make, clock):
    return build_world(make)
