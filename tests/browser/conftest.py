"""The live-widget tests' shared fixtures: one visit of the guide per test file, and its clean log per test."""

from __future__ import annotations

import pytest

from helpers.browser import Tour


@pytest.fixture(scope="module")
def tour(chromium, base: str):
    """A visit that starts on the guide's home page, with the Python runtime shared by all its pages."""
    context = chromium.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base.rstrip("/"))
    try:
        yield Tour.start(context, base)
    finally:
        context.close()


@pytest.fixture
def clean(tour: Tour):
    """The tour's log for one test; the test must leave no console error and no foreign request."""
    tour.log.errors.clear()
    tour.log.foreign.clear()
    return tour.log
