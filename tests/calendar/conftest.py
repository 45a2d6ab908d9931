"""Fixtures for calendar tests: the booking tests' frozen clock and small hub world."""

from __future__ import annotations

import pytest
import time_machine

from tests.booking.helpers import NOW, build_world


@pytest.fixture
def clock():
    """Time stands still on Monday 2 March 2026, 09:00 in Amsterdam."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def world(app, make, clock):
    return build_world(make)
