"""Every page of the built site in Chromium, at the root and under a GitHub Pages subpath."""

from __future__ import annotations

import dataclasses
import urllib.parse

import pytest
from playwright.sync_api import Route
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from helpers.site import Build, nav_pages, page_path

pytestmark = [pytest.mark.browser, pytest.mark.site]

PAGES = nav_pages()
# How long a widget may take to start once seen, and to finish loading its Python runtime.
START_MS = 5_000
SETTLE_MS = 30_000


@dataclasses.dataclass
class Visit:
    """What one page did in the browser."""

    title: str = ""
    heading: str = ""
    widgets: dict[str, str] = dataclasses.field(default_factory=dict)
    errors: list[str] = dataclasses.field(default_factory=list)
    foreign: list[str] = dataclasses.field(default_factory=list)
    requests: int = 0


def same_origin(url: str, origin: str) -> bool:
    """Whether a request stays on the site's origin (data: and blob: never leave the page)."""
    parts = urllib.parse.urlsplit(url)
    return parts.scheme in ("data", "blob") or f"{parts.scheme}://{parts.netloc}" == origin


@pytest.fixture(scope="module", params=["/", "/whatmatters/"], ids=["root", "subpath"])
def visits(request: pytest.FixtureRequest, built_site: Build, serve, chromium) -> dict[str, Visit]:
    """Each nav page visited once in a fresh browser context, for the site served under one prefix."""
    base = serve(built_site.site, request.param)
    parts = urllib.parse.urlsplit(base)
    origin = f"{parts.scheme}://{parts.netloc}"
    context = chromium.new_context()
    current = Visit()

    def route(handler: Route) -> None:
        current.requests += 1
        if same_origin(handler.request.url, origin):
            handler.continue_()
        else:
            current.foreign.append(handler.request.url)
            handler.abort()

    context.route("**/*", route)
    found = {}
    try:
        for page_name in PAGES:
            current = found[page_name] = Visit()
            page = context.new_page()
            page.on(
                "console", lambda m, v=current: v.errors.append(f"console: {m.text}") if m.type == "error" else None
            )
            page.on("pageerror", lambda e, v=current: v.errors.append(f"pageerror: {e}"))
            page.goto(base + page_path(page_name), wait_until="load")
            # Bring each widget into view, as a reader scrolling would, so its runtime starts too.
            try:
                for widget in page.locator("[data-wm-widget]").all():
                    widget.scroll_into_view_if_needed()
                    page.wait_for_function(
                        "el => el.dataset.wmState !== 'static'", arg=widget.element_handle(), timeout=START_MS
                    )
                page.wait_for_function("() => !document.querySelector('[data-wm-state=loading]')", timeout=SETTLE_MS)
                page.wait_for_load_state("networkidle")
            except PlaywrightTimeout as timeout:
                current.errors.append(f"widgets didn't settle: {timeout.message.splitlines()[0]}")
            current.widgets = {
                w.get_attribute("id") or w.get_attribute("data-wm-widget"): w.get_attribute("data-wm-state")
                for w in page.locator("[data-wm-widget]").all()
            }
            current.title = page.title()
            headings = page.locator("article h1, .md-content h1")
            current.heading = headings.first.inner_text() if headings.count() else ""
            page.close()
    finally:
        context.close()
    return found


@pytest.mark.parametrize("page", PAGES)
class TestEveryPage:
    def test_no_console_errors(self, visits: dict[str, Visit], page: str) -> None:
        """Loading the page logs no console error and throws no uncaught exception."""
        assert visits[page].errors == []

    def test_no_request_leaves_the_site(self, visits: dict[str, Visit], page: str) -> None:
        """The page asks nothing of any other origin (every such request is blocked and counted)."""
        assert visits[page].foreign == []

    def test_widgets_come_alive(self, visits: dict[str, Visit], page: str) -> None:
        """Every widget on the page, once seen, is answered by the engine running in the browser."""
        assert {name: state for name, state in visits[page].widgets.items() if state != "live"} == {}

    def test_has_a_title(self, visits: dict[str, Visit], page: str) -> None:
        """The page has a non-empty <title>."""
        assert visits[page].title.strip()

    def test_has_a_main_heading(self, visits: dict[str, Visit], page: str) -> None:
        """The page's content starts with a visible main heading."""
        assert visits[page].heading.strip()


class TestThirdParties:
    def test_every_request_stays_on_the_site(
        self, request: pytest.FixtureRequest, visits: dict[str, Visit], gate_figure
    ) -> None:
        """Across every page, with every widget live, no request goes to any origin but the site's own."""
        foreign = [url for visit in visits.values() for url in visit.foreign]
        gate_figure(
            f"No third parties ({request.node.callspec.id})",
            f"{sum(v.requests for v in visits.values())} requests from {len(visits)} pages, "
            f"{len(foreign)} to other origins",
        )
        assert foreign == []
