"""When a widget starts loading Python: once it comes near the viewport, or a reader reaches for it.

A reader who never comes near a widget downloads nothing of Python; one who scrolls toward a
widget gets the download started half a screen before the widget shows, so the wait is shorter.
"""

from __future__ import annotations

import urllib.parse
from typing import Any

import pytest

from helpers.browser import plain_name, watch

pytestmark = [pytest.mark.browser, pytest.mark.site]

PAGE = "stages/"
WIDGET = "wm-stage"
VIEWPORT = {"width": 1280, "height": 720}
# Files only a started widget asks for: the worker, the runtime's manifest, Python itself.
RUNTIME_FILES = ("worker.js", "runtime.json", "pyodide.mjs", "pyodide.asm.wasm")

# Resolves once the widgets are mounted (their own task after Material's start) and every
# IntersectionObserver has reported the widget's first position (a rendering frame later).
SETTLED_JS = """() => new Promise((resolve) => setTimeout(() => requestAnimationFrame(() =>
  requestAnimationFrame(() => setTimeout(() => resolve(true), 100))), 0))"""


@pytest.fixture
def far(chromium, base: str):
    """The page with its widget far below the fold, loaded and settled; its page and request log."""
    context = chromium.new_context(viewport=VIEWPORT)
    log = watch(context, base)
    page = context.new_page()
    try:
        page.goto(base + PAGE, wait_until="load")
        page.evaluate(SETTLED_JS)
        yield page, log
    finally:
        context.close()


def below_by(page: Any) -> float:
    """How far the widget's top is below the viewport's bottom edge, in viewport heights."""
    return float(
        page.evaluate(
            "id => (document.getElementById(id).getBoundingClientRect().top - innerHeight) / innerHeight", WIDGET
        )
    )


def wait_requested(page: Any, log: Any, name: str, timeout_ms: int = 10_000) -> None:
    """Wait until the page has asked for a file of this name (requests are logged as they go out)."""
    for _ in range(timeout_ms // 100):
        if log.count(name):
            return
        page.wait_for_timeout(100)
    pytest.fail(f"{name} was never requested")


def runtime_requests(log: Any) -> dict[str, int]:
    """Runtime files the page, its worker or the service worker asked for."""
    by_sw = [plain_name(urllib.parse.urlsplit(u).path.rsplit("/", 1)[-1]) for u in log.by_service_worker]
    counts = {name: log.count(name) + by_sw.count(name) for name in RUNTIME_FILES}
    return {name: n for name, n in counts.items() if n}


def test_nothing_of_python_until_the_widget_comes_near(far) -> None:
    page, log = far
    assert below_by(page) > 2, "the test needs a widget more than two screens below the fold"
    assert runtime_requests(log) == {}, "Python was fetched for a widget far below the fold"
    assert page.get_attribute(f"#{WIDGET}", "data-wm-state") == "static"
    # Scrolled to a quarter of a screen below the viewport: near, not yet visible.
    page.evaluate(
        "id => window.scrollBy(0, document.getElementById(id).getBoundingClientRect().top - innerHeight * 1.25)", WIDGET
    )
    page.wait_for_function("id => document.getElementById(id).dataset.wmState !== 'static'", arg=WIDGET)
    assert 0 < below_by(page) < 0.5, "the widget started only once it was visible"
    wait_requested(page, log, "worker.js")
    assert log.count("worker.js") == 1 and log.errors == []


@pytest.mark.parametrize(
    "event",
    [
        "new PointerEvent('pointerenter')",
        "new PointerEvent('pointerdown', { bubbles: true })",
        "new FocusEvent('focusin', { bubbles: true })",
        "new TouchEvent('touchstart', { bubbles: true })",
    ],
)
def test_a_reader_reaching_for_a_far_widget_starts_it(far, event: str) -> None:
    page, log = far
    assert runtime_requests(log) == {}
    page.evaluate(f"id => document.getElementById(id).dispatchEvent({event})", WIDGET)
    page.wait_for_function("id => document.getElementById(id).dataset.wmState !== 'static'", arg=WIDGET)
    assert below_by(page) > 2, "the page scrolled: the start wasn't the reader's intent"
    assert page.get_attribute(f"#{WIDGET}", "data-wm-state") in ("loading", "live")


def test_a_widget_just_below_the_fold_waits_for_the_reader_to_scroll(chromium, base: str) -> None:
    """At load only a widget in view starts: one a quarter screen below the fold fetches nothing
    until the reader scrolls, and then starts while still out of sight."""
    probe = chromium.new_context(viewport=VIEWPORT)
    try:
        page = probe.new_page()
        page.goto(base + PAGE, wait_until="load")
        top = float(page.evaluate("id => document.getElementById(id).getBoundingClientRect().top + scrollY", WIDGET))
    finally:
        probe.close()
    context = chromium.new_context(viewport={"width": VIEWPORT["width"], "height": round(top / 1.25)})
    log = watch(context, base)
    try:
        page = context.new_page()
        page.goto(base + PAGE, wait_until="load")
        page.evaluate(SETTLED_JS)
        assert 0.1 < below_by(page) < 0.4, "the test needs the widget a quarter screen below the fold"
        page.wait_for_timeout(500)
        assert runtime_requests(log) == {}, "Python was fetched at load for a widget out of view"
        page.mouse.wheel(0, 10)
        page.wait_for_function("id => document.getElementById(id).dataset.wmState !== 'static'", arg=WIDGET)
        assert below_by(page) > 0, "the widget started only once it was visible"
        wait_requested(page, log, "worker.js")
        assert log.errors == []
    finally:
        context.close()
