"""Live widgets in Chromium: watching a context, waiting for a widget's state, comparing states, one reader's visit."""

from __future__ import annotations

import contextlib
import dataclasses
import pathlib
import re
import urllib.parse
import urllib.request
from typing import Any

from playwright.sync_api import Error as PlaywrightError

from helpers.site import ROOT, site_config

CHROMIUM = pathlib.Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
JS = pathlib.Path(__file__).resolve().parent / "js"


def script(name: str) -> str:
    """A script of js/ as Playwright is given it: its leading comment lines (which say what it does) dropped."""
    lines = (JS / name).read_text(encoding="utf-8").splitlines(keepends=True)
    while lines and lines[0].startswith("//"):
        lines.pop(0)
    return "".join(lines)


WIDGET_JS = ROOT / "overrides" / "assets" / "whatmatters" / "scripts" / "notes.js"
# The pages that carry widgets, each with the id of one of its widgets.
WIDGET_PAGES = {"later/": "wm-flow-caching", "decide/": "wm-plan", "stages/": "wm-stage", "ai/": "wm-cost"}
# Long enough for a cold Pyodide start on a busy two-core machine.
LIVE_MS = 45_000


def widget_notes() -> dict[str, str]:
    """The sentences the widgets show readers (the NOTES table of scripts/notes.js), read from the script itself."""
    block = re.search(r"export const NOTES = \{(.*?)\n\};", WIDGET_JS.read_text(encoding="utf-8"), re.S)
    assert block, f"no NOTES table in {WIDGET_JS}"
    return dict(re.findall(r'(\w+): "([^"]*)"', block.group(1)))


@dataclasses.dataclass
class BrowserLog:
    """What one browser context did: console errors, uncaught exceptions, every request made."""

    origin: str
    errors: list[str] = dataclasses.field(default_factory=list)
    foreign: list[str] = dataclasses.field(default_factory=list)
    requests: list[str] = dataclasses.field(default_factory=list)
    # What a service worker fetched from the network itself: for a request it answers, the page's
    # or worker's own request is in `requests` already, so these are not counted twice there.
    by_service_worker: list[str] = dataclasses.field(default_factory=list)

    def count(self, name: str) -> int:
        """How many requests asked for a file of this name (query strings and content hashes ignored)."""
        return sum(1 for url in self.requests if plain_name(urllib.parse.urlsplit(url).path.rsplit("/", 1)[-1]) == name)


def plain_name(name: str) -> str:
    """A file name without the content hash the build puts in it: widget.3f2a9c1b7d0e.js -> widget.js."""
    return re.sub(r"\.[0-9a-f]{12}(?=\.\w+$)", "", name)


def runtime_file(site: pathlib.Path, name: str) -> pathlib.Path:
    """One of the runtime files under assets/whatmatters/ by its plain name, whatever its hashed name."""
    found = [p for p in (site / "assets" / "whatmatters").iterdir() if plain_name(p.name) == name]
    assert len(found) == 1, f"{name}: {found}"
    return found[0]


def watch(context: Any, base: str) -> BrowserLog:
    """Record a context's errors and requests, block other origins, and serve the sitemap for `base`.

    Material's instant navigation only follows links the sitemap lists, comparing scheme and
    host but not port; the sitemap names the real site_url, so the test server hands it out
    rewritten to the address it serves, as the real domain would.
    """
    parts = urllib.parse.urlsplit(base)
    log = BrowserLog(f"{parts.scheme}://{parts.netloc}")
    site_url = site_config()["site_url"].rstrip("/") + "/"

    def route(handler: Any) -> None:
        url = handler.request.url
        parts = urllib.parse.urlsplit(url)
        if parts.scheme in ("data", "blob"):
            handler.continue_()
        elif f"{parts.scheme}://{parts.netloc}" != log.origin:
            log.foreign.append(url)
            handler.abort()
        elif parts.path.endswith("/sitemap.xml"):
            # Read from the test server directly, not through the context, so a sitemap still in
            # flight when a test closes its context is dropped instead of failing the next test.
            with urllib.request.urlopen(url, timeout=10) as response:
                body = response.read().decode("utf-8").replace(site_url, base)
            with contextlib.suppress(PlaywrightError):  # the context closed while the sitemap was read
                handler.fulfill(status=200, content_type="application/xml", body=body)
        else:
            handler.continue_()

    context.route("**/*", route)
    context.on(
        "request",
        lambda r: (log.requests if r.service_worker is None else log.by_service_worker).append(r.url),
    )
    context.on("console", lambda m: log.errors.append(f"console: {m.text}") if m.type == "error" else None)
    context.on("weberror", lambda e: log.errors.append(f"uncaught: {e.error}"))
    return log


def wait_state(page: Any, element_id: str, state: str, timeout: float = LIVE_MS) -> None:
    """Scroll a widget into view (which starts it) and wait until it reaches `state`."""
    page.locator(f"#{element_id}").scroll_into_view_if_needed()
    page.wait_for_function(
        "([id, state]) => document.getElementById(id)?.dataset.wmState === state",
        arg=[element_id, state],
        timeout=timeout,
    )


_CANON_JS = script("canon.js")


def canon(page: Any, element_id: str | None = None, html: str | None = None) -> str:
    """A widget's body (by id) or a piece of engine HTML, as the reader sees it, comparable."""
    return page.evaluate(_CANON_JS, [element_id, html])


# One engine answer once the runtime is live, typing delay included.
ANSWER_MS = 10_000

_SAVED_JS = script("saved.js")


def saved(page: Any, element_id: str, **want: Any) -> None:
    """Wait until the engine has answered and the page address carries `want` for this widget."""
    page.wait_for_function(_SAVED_JS, arg=[element_id.removeprefix("wm-"), want], timeout=ANSWER_MS)


@dataclasses.dataclass
class Tour:
    """One reader's visit: a page that moves between guide pages by the sidebar, never reloading."""

    page: Any
    base: str
    log: BrowserLog

    @classmethod
    def start(cls, context: Any, base: str, path: str = "") -> Tour:
        """Open `path` in a new page of `context` (watched for errors) and mark the page to spot reloads."""
        log = watch(context, base)
        page = context.new_page()
        page.goto(base + path, wait_until="load")
        page.evaluate("window.__wmVisit = 1")
        return cls(page, base, log)

    def open(self, path: str) -> Any:
        """Follow the sidebar link to `path` (by way of the home page if already there)."""
        here = urllib.parse.urlsplit(self.page.url).path
        if here == urllib.parse.urlsplit(self.base + path).path:
            self._follow("")
        self._follow(path)
        assert self.page.evaluate("window.__wmVisit") == 1, "the sidebar link reloaded the page"
        return self.page

    def _follow(self, path: str) -> None:
        target = self.base + path
        link = self.page.evaluate_handle(
            """target => [...document.querySelectorAll(
            ".md-sidebar--primary a.md-nav__link")].find((a) => a.href === target)""",
            target,
        ).as_element()
        assert link is not None, f"no sidebar link to {target}"
        link.click()
        # Material swaps the page in after changing the address: wait for the sidebar to mark it.
        self.page.wait_for_function(
            """target => [...document.querySelectorAll(
            ".md-sidebar--primary a.md-nav__link--active")].some((a) => a.href === target)""",
            arg=target,
        )


# --- the CSP and hostile-input gates: a probe injected before any page script -------------

# Injected before any page script: CSP violations and the engine traffic (js/page_probe.js says how).
PAGE_PROBE = script("page_probe.js")


def wait_for_engine(page: Any, asked_before: int, timeout: float = 30_000) -> None:
    """Wait until the page has asked the engine more than `asked_before` times and has every answer."""
    page.wait_for_function(
        "n => window.__wmProbe.asked > n && window.__wmProbe.asked === window.__wmProbe.answered",
        arg=asked_before,
        timeout=timeout,
    )
