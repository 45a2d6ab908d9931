"""Fixtures for series tests: the booking tests' frozen clock and small hub world."""

from __future__ import annotations

from tests.booking.conftest import clock, world

__all__ = ["clock", "world"]
