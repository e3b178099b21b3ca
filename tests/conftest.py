"""Fixtures: a built site, a static server for it, Debian's Chromium, the gates' figures.

What the tests share besides fixtures lives in the `helpers` package beside this file.
"""

from __future__ import annotations

import contextlib
import pathlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from helpers.browser import CHROMIUM, CHROMIUM_ARGS, watch
from helpers.server import static_server
from helpers.site import Build, mkdocs_build


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The guide as `mkdocs build --strict` writes it, built once per test session."""
    site = tmp_path_factory.mktemp("site")
    done = mkdocs_build(site)
    if done.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed (exit {done.returncode}):\n{done.stdout}")
    return Build(site, done.stdout)


@pytest.fixture(scope="session")
def serve() -> Iterator[Callable[[pathlib.Path, str], str]]:
    """A function that serves a directory (under an optional prefix) until the session ends."""
    with contextlib.ExitStack() as stack:
        yield lambda directory, prefix="/": stack.enter_context(static_server(directory, prefix))


@pytest.fixture(scope="session")
def base(built_site: Build, serve: Callable[[pathlib.Path, str], str]) -> str:
    """The built site's address on 127.0.0.1, served at the root for the whole session."""
    return serve(built_site.site, "/")


@pytest.fixture(scope="module")
def chromium():  # -> playwright.sync_api.Browser
    """Debian's Chromium driven by Playwright; one browser per test module, never downloaded."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's chromium package (the browser tests never download a browser)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def fresh(chromium, base: str):
    """A new context (empty cache, clipboard allowed), watched, and its page and log, for one test."""
    context = chromium.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base.rstrip("/"))
    log = watch(context, base)
    try:
        yield context, context.new_page(), log
    finally:
        context.close()


# --- the security and validity gates: each prints one figure at the end of the run ---------

GATE_FIGURES: list[str] = []


@pytest.fixture(scope="session")
def gate_figure() -> Callable[[str, str], None]:
    """A function that records one gate's figure, printed in the run's summary as `gate: figure`."""

    def record(gate: str, figure: str) -> None:
        GATE_FIGURES.append(f"{gate}: {figure}")

    return record


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    """Print the gates' figures (payloads tried, requests made, findings, violations) after the tests."""
    if GATE_FIGURES:
        terminalreporter.section("gate figures")
        for line in GATE_FIGURES:
            terminalreporter.write_line(line)


# Every test that needs the built site is a `site` test, gates included, so `-m "not site"` runs the engine alone.


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "built_site" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.site)
