"""Shared fixtures: a built site, a static server for it, and Debian's Chromium."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import http.server
import os
import pathlib
import re
import subprocess
import sys
import tempfile
import threading
import urllib.parse
from collections.abc import Callable, Iterator
from typing import Any, ClassVar

import pytest
from mkdocs.utils.yaml import yaml_load

ROOT = pathlib.Path(__file__).resolve().parents[1]
CONFIG = ROOT / "mkdocs.yml"
CHROMIUM = pathlib.Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BUILD_ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}

# Builds with the extension option `data_dir` set; MkDocs has no command-line switch for
# an extension's options, so the config is loaded as the CLI would and then given one.
_BUILD_WITH_DATA = """
import sys
from mkdocs.commands.build import build
from mkdocs.config import load_config
config = load_config(sys.argv[1], site_dir=sys.argv[2], strict=True)
assert "whatmatters" in config.markdown_extensions, "mkdocs.yml does not load the whatmatters extension"
config.mdx_configs["whatmatters"] = {"data_dir": sys.argv[3]}
build(config)
"""


def site_config() -> dict[str, Any]:
    """mkdocs.yml as MkDocs reads it (its YAML tags included)."""
    with CONFIG.open(encoding="utf-8") as f:
        return yaml_load(f)


def nav_pages(nav: Any = None) -> list[str]:
    """Every Markdown page the nav (nested sections included) points to, in nav order."""
    nav = site_config()["nav"] if nav is None else nav
    pages = []
    for item in nav if isinstance(nav, list) else [nav]:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        if isinstance(value, list):
            pages += nav_pages(value)
        elif isinstance(value, str) and value.endswith(".md"):
            pages.append(value)
    return pages


def page_path(page: str) -> str:
    """A page's URL path with directory URLs: a.md -> a/, dir/index.md -> dir/, index.md -> ''."""
    path = pathlib.PurePosixPath(page)
    folder = path.parent if path.stem in ("index", "README") else path.parent / path.stem
    return "" if str(folder) == "." else f"{folder.as_posix()}/"


@dataclasses.dataclass(frozen=True)
class Build:
    """A site MkDocs wrote, with everything it printed while writing it."""

    site: pathlib.Path
    output: str


def mkdocs_build(
    site: pathlib.Path, config: pathlib.Path = CONFIG, data_dir: pathlib.Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run a strict MkDocs build from the project root, stdout and stderr together."""
    if data_dir is None:
        command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(site)]
    else:
        command = [sys.executable, "-c", _BUILD_WITH_DATA, str(config), str(site), str(data_dir)]
    return subprocess.run(
        command,
        cwd=ROOT,
        env=BUILD_ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The guide as `mkdocs build --strict` writes it, built once per test session."""
    site = tmp_path_factory.mktemp("site")
    done = mkdocs_build(site)
    if done.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed (exit {done.returncode}):\n{done.stdout}")
    return Build(site, done.stdout)


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files quietly, with the types browsers insist on for modules and wasm."""

    extensions_map: ClassVar[dict[str, str]] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".wasm": "application/wasm",
        ".json": "application/json",
        ".zip": "application/zip",
        ".whl": "application/zip",
    }

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def static_server(directory: pathlib.Path, prefix: str = "/") -> Iterator[str]:
    """Serve `directory` on 127.0.0.1 at an ephemeral port, under `prefix`; yields its URL."""
    prefix = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"
    with contextlib.ExitStack() as stack:
        root = directory
        if prefix != "/":
            # GitHub Pages serves a project site under /<repo>/: mount the site there.
            root = pathlib.Path(stack.enter_context(tempfile.TemporaryDirectory()))
            mount = root / prefix.strip("/")
            mount.parent.mkdir(parents=True, exist_ok=True)
            mount.symlink_to(directory.resolve(), target_is_directory=True)
        handler = functools.partial(_SiteHandler, directory=str(root))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        server.daemon_threads = True
        thread = threading.Thread(target=server.serve_forever, name="static-server", daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
        finally:
            server.shutdown()
            server.server_close()
            thread.join()


@pytest.fixture(scope="session")
def serve() -> Iterator[Callable[[pathlib.Path, str], str]]:
    """A function that serves a directory (under an optional prefix) until the session ends."""
    with contextlib.ExitStack() as stack:
        yield lambda directory, prefix="/": stack.enter_context(static_server(directory, prefix))


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


# --- live widgets in Chromium: what tests/test_widget*.py share ---------------------------

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
            response = handler.fetch()
            handler.fulfill(response=response, body=response.text().replace(site_url, base))
        else:
            handler.continue_()

    context.route("**/*", route)
    context.on("request", lambda request: log.requests.append(request.url))
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


# A widget's body as it stands, with what the reader typed, picked and ticked written into
# the attributes; given HTML instead of an id, the same for that HTML freshly parsed. Two
# states compare equal this way exactly when a reader would see the same thing.
_CANON_JS = """([id, html]) => {
  let body = document.getElementById(id)?.querySelector(".wm-body");
  if (html !== null) { body = document.createElement("div"); body.innerHTML = html; }
  const copy = body.cloneNode(true);
  const live = body.querySelectorAll("input, select, textarea, option");
  copy.querySelectorAll("input, select, textarea, option").forEach((field, i) => {
    const now = live[i];
    const flag = (name, on) => on ? field.setAttribute(name, "") : field.removeAttribute(name);
    if (now.tagName === "OPTION") flag("selected", now.selected);
    else if (now.tagName === "TEXTAREA") field.textContent = now.value;
    else if (now.type === "checkbox") flag("checked", now.checked);
    else if (now.tagName === "INPUT") field.setAttribute("value", now.value);
  });
  // widget.js turns the screener's report note into a link to the repository's issue form
  // once the page names a repository: the same note either way, as the engine wrote it.
  copy.querySelectorAll("a[data-wm-issue-title]").forEach((link) => {
    ["href", "target", "rel"].forEach((name) => link.removeAttribute(name));
    link.closest(".wm-report")?.setAttribute("hidden", "");
  });
  // Material's focus-visible polyfill marks what the keyboard focused (and leaves class=""
  // behind on blur): not part of a widget's state.
  copy.querySelectorAll("[data-focus-visible-added], .focus-visible, [class='']").forEach((marked) => {
    marked.removeAttribute("data-focus-visible-added");
    marked.classList.remove("focus-visible");
    if (!marked.classList.length) marked.removeAttribute("class");
  });
  return copy.innerHTML;
}"""


def canon(page: Any, element_id: str | None = None, html: str | None = None) -> str:
    """A widget's body (by id) or a piece of engine HTML, as the reader sees it, comparable."""
    return page.evaluate(_CANON_JS, [element_id, html])


# One engine answer once the runtime is live, typing delay included.
ANSWER_MS = 10_000

# The widget's hash once the engine has answered: every field in `want` equals the saved one.
_SAVED_JS = """([key, want]) => {
  // #wm=<key>.<state>~<key>.<state>: this widget's slot
  if (!location.hash.startsWith("#wm=")) return false;
  const slot = location.hash.slice(4).split("~").find((part) => part.startsWith(key + "."));
  if (slot === undefined) return false;
  const b64 = slot.slice(key.length + 1).replace(/-/g, "+").replace(/_/g, "/");
  const state = JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))));
  const same = (x) => Array.isArray(x) ? "[" + x.map(same).join(",") + "]"
    : x && typeof x === "object"
      ? "{" + Object.keys(x).sort().map((k) => JSON.stringify(k) + ":" + same(x[k])).join(",") + "}"
    : JSON.stringify(x);
  return Object.entries(want).every(([k, v]) => same(state[k]) === same(v));
}"""


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

# Playwright's init scripts aren't subject to the page's CSP. The probe records every
# Content-Security-Policy violation, and counts the widgets' engine traffic by wrapping
# Worker, so a test can wait for the engine's answers and read what each said.
PAGE_PROBE = """
(() => {
  const probe = window.__wmProbe = { violations: [], asked: 0, answered: 0, answers: [] };
  const ops = new Map();
  document.addEventListener("securitypolicyviolation", (e) => probe.violations.push(
    `${e.effectiveDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber} ${e.sample}`));
  const PageWorker = window.Worker;
  window.Worker = class extends PageWorker {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", ({ data }) => {
        if (!data || data.type !== "response") return;
        const r = data.response || {};
        probe.answers.push({ ok: r.ok, op: ops.get(data.id), code: r.error && r.error.code,
                             message: r.error && r.error.message });
        ops.delete(data.id);
        probe.answered++;
      });
    }
    postMessage(message, ...rest) {
      if (message && message.type === "ask") {
        probe.asked++;
        ops.set(message.id, message.request && message.request.op);
      }
      return super.postMessage(message, ...rest);
    }
  };
})();
"""


def wait_for_engine(page: Any, asked_before: int, timeout: float = 30_000) -> None:
    """Wait until the page has asked the engine more than `asked_before` times and has every answer."""
    page.wait_for_function(
        "n => window.__wmProbe.asked > n && window.__wmProbe.asked === window.__wmProbe.answered",
        arg=asked_before,
        timeout=timeout,
    )


# Every test that needs the built site is a `site` test, gates included, so `-m "not site"` runs the engine alone.
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "built_site" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.site)
