"""The site served the way GitHub Pages serves it, from a fork's address, and nothing stale.

The browser tests build the site for `http://127.0.0.1:PORT/<repo>/` and serve it the way
Pages does: only under /<repo>/, `404.html` with status 404 for a missing path,
`Cache-Control: max-age=600`, gzip, `application/wasm`.
"""

from __future__ import annotations

import contextlib
import gzip
import http.server
import json
import pathlib
import re
import shutil
import subprocess
import sys
import threading
import urllib.parse
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import ClassVar

import pytest

from decision.packing import scripts
from decision.publishing import pages as publish
from decision.publishing import size_report
from helpers.browser import Tour, wait_state, widget_notes
from helpers.pages import check_address
from helpers.site import BUILD_ENV, CONFIG, ROOT, Build

REPO = "whatmatters-fork"


# --- a Pages-like server -------------------------------------------------------------------------


class PagesHandler(http.server.BaseHTTPRequestHandler):
    """Serves `site` only under /<repo>/ as GitHub Pages does, and logs (path, status, bytes sent)."""

    site: pathlib.Path
    log: list[tuple[str, int, int]]
    TYPES: ClassVar[dict[str, str]] = {
        ".html": "text/html; charset=utf-8",
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".css": "text/css",
        ".json": "application/json",
        ".wasm": "application/wasm",
        ".zip": "application/zip",
        ".xml": "application/xml",
        ".txt": "text/plain; charset=utf-8",
        ".png": "image/png",
        ".svg": "image/svg+xml",
        ".gz": "application/gzip",
        ".map": "application/json",
    }

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
        prefix = f"/{REPO}/"
        if path == prefix.rstrip("/"):
            return self.redirect(prefix)
        if not path.startswith(prefix) or ".." in path.split("/"):
            return self.send(path, 404, b"Not found", ".txt")
        target = self.site / path[len(prefix) :]
        if target.is_dir():
            if not path.endswith("/"):
                return self.redirect(path + "/")
            target = target / "index.html"
        if not target.is_file():
            return self.send(path, 404, (self.site / "404.html").read_bytes(), ".html")
        self.send(path, 200, target.read_bytes(), target.suffix)

    def redirect(self, location: str) -> None:
        self.send_response(301)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()
        self.log.append((self.path, 301, 0))

    def send(self, path: str, status: int, body: bytes, suffix: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", self.TYPES.get(suffix, "application/octet-stream"))
        self.send_header("Cache-Control", "max-age=600")
        if suffix in size_report.COMPRESSED and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(body, size_report.GZIP_LEVEL, mtime=0)
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.log.append((path, status, len(body)))


@contextlib.contextmanager
def pages_server(site: pathlib.Path) -> Iterator[tuple[str, list[tuple[str, int, int]]]]:
    log: list[tuple[str, int, int]] = []
    handler = type("Handler", (PagesHandler,), {"site": site, "log": log})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/{REPO}/", log
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="module")
def fork(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, pathlib.Path, list[tuple[str, int, int]]]]:
    """The site built for http://127.0.0.1:PORT/<repo>/ (as the workflow builds a fork), served there."""
    site = tmp_path_factory.mktemp("fork") / "site"
    site.mkdir()
    with pages_server(site) as (base, log):
        done = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(CONFIG), "-d", str(site)],
            cwd=ROOT,
            env={**BUILD_ENV, "SITE_URL": base},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=120,
            check=False,
        )
        if done.returncode != 0:
            pytest.fail(f"mkdocs build --strict with SITE_URL={base} failed:\n{done.stdout}")
        yield base, site, log


@pytest.mark.site
def test_fork_address_everywhere(fork) -> None:
    """Built with SITE_URL, robots.txt, the sitemap, canonical links and the 404 page name the fork's address."""
    base, site, _ = fork
    check_address(site, base)
    # The test address is http://, so the canonical links are too; nothing else is absolute.
    assert [u for u in publish.absolute_urls(site, base) if not u.partition(": ")[2].startswith(base)] == []


def page_urls(base: str, site: pathlib.Path) -> list[str]:
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}loc"
    return [e.text for e in ET.parse(site / "sitemap.xml").getroot().iter(ns)]


@pytest.mark.browser
@pytest.mark.site
class TestServedLikePages:
    def test_every_page_and_link_without_a_404(self, fork, chromium, gate_figure) -> None:
        """Each page loads in Chromium, and every same-site link on it answers 200."""
        base, site, log = fork
        context = chromium.new_context()
        # Widgets don't start here (no worker): this walk is about pages and links.
        context.route("**/whatmatters/worker.*.js", lambda route: route.abort())
        links: set[str] = set()
        start = len(log)
        try:
            for url in page_urls(base, site):
                page = context.new_page()
                response = page.goto(url, wait_until="load")
                assert response and response.status == 200, url
                for href in page.eval_on_selector_all("a[href]", "links => links.map((a) => a.href)"):
                    if href.startswith(base):
                        links.add(href.split("#", 1)[0])
                page.close()
            for href in sorted(links):
                assert context.request.get(href).status == 200, href
        finally:
            context.close()
        missing = [entry for entry in log[start:] if entry[1] == 404]
        gate_figure(
            "Pages walk", f"{len(page_urls(base, site))} pages, {len(links)} internal links, {len(missing)} 404s"
        )
        assert missing == []

    def test_headers_as_pages_sends_them(self, fork, chromium) -> None:
        base, _, _ = fork
        context = chromium.new_context()
        try:
            wasm = context.request.get(base + "assets/pyodide/pyodide.asm.wasm", headers={"Accept-Encoding": "gzip"})
            assert wasm.status == 200 and wasm.headers["content-type"] == "application/wasm"
            assert wasm.headers["cache-control"] == "max-age=600" and wasm.headers["content-encoding"] == "gzip"
            assert context.request.get(base.replace(f"/{REPO}/", "/index.html")).status == 404
        finally:
            context.close()

    def test_a_bad_path_gets_the_styled_404_page(self, fork, chromium) -> None:
        """A missing path at any depth answers 404 with the site's own 404 page, styled, its links working."""
        base, _, log = fork
        context = chromium.new_context()
        try:
            page = context.new_page()
            start = len(log)
            response = page.goto(base + "no/such/page/", wait_until="load")
            assert response and response.status == 404
            assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"
            assert [e for e in log[start:] if e[1] != 200 and "no/such/page" not in e[0]] == []
            home = page.eval_on_selector(".md-header__button.md-logo", "a => a.href")
            assert home == base
        finally:
            context.close()

    def test_instant_navigation_and_every_kind_of_widget_live(self, fork, chromium, gate_figure) -> None:
        """One visit moves between pages without reloading and brings a widget of each kind to life."""
        base, site, log = fork
        kinds: dict[str, tuple[str, str]] = {}
        for url in page_urls(base, site):
            path = url[len(base) :]
            text = (site / path / "index.html").read_text(encoding="utf-8")
            for element_id, kind in re.findall(r'id="(wm-[^"]+)" data-wm-widget="([^"]+)"', text):
                kinds.setdefault(kind, (path, element_id))
        assert set(kinds) >= {"flow", "stage", "plan", "cost", "screen"}
        context = chromium.new_context()
        try:
            start = len(log)
            tour = Tour.start(context, base)
            for _kind, (path, element_id) in sorted(kinds.items()):
                page = tour.open(path)
                wait_state(page, element_id, "live")
            assert tour.log.errors == [] and tour.log.foreign == []
            sent = sum(size for _, status, size in log[start:])
            gate_figure("Pages visit", f"{len(kinds)} widget kinds live in one visit, {sent:,} bytes sent (gzip)")
        finally:
            context.close()

    def test_first_visit_is_what_the_size_report_counts(self, fork, chromium, gate_figure) -> None:
        """A cold reader of a widget page downloads only files the size report counts."""
        base, site, log = fork
        page_file = size_report.report(site).page
        assert page_file
        path = page_file.removesuffix("index.html")
        context = chromium.new_context()
        try:
            start = len(log)
            page = context.new_page()
            page.goto(base + path, wait_until="load")
            element_id = page.eval_on_selector("[data-wm-widget]", "el => el.id")
            wait_state(page, element_id, "live")
            page.wait_for_load_state("networkidle")
            got = {p[len(f"/{REPO}/") :] or "index.html": size for p, status, size in log[start:] if status == 200}
        finally:
            context.close()
        got = {(p + "index.html" if p.endswith("/") else p): size for p, size in got.items()}
        predicted = size_report.first_visit(site, page_file)
        assert set(got) - set(predicted) == set()
        gate_figure(
            "Pages first visit",
            f"{path}: {sum(got.values()):,} bytes gzip in {len(got)} files "
            f"(size report: {sum(size_report.measure(site / p, p).sent for p in predicted):,})",
        )


# --- nothing stale: a page of release N with files of release N-1 ------------------------------


def previous_release(site: pathlib.Path, tmp: pathlib.Path) -> dict[str, str]:
    """The runtime files a release before this one would have had: same sources, another build id.

    Made by the build's own stamping, from the plain sources (the modules as they are) with one changed
    byte of CSS: the same modules' folder, another build id in the widget script and the worker.
    """
    home = site / "assets" / "whatmatters"
    manifest = json.loads(next(home.glob("runtime.*.json")).read_text(encoding="utf-8"))
    del manifest["build"]
    source = ROOT / "overrides" / "assets" / "whatmatters"
    old = tmp / "old"
    old.mkdir()
    shutil.copytree(source / scripts.SCRIPTS_DIR, old / scripts.SCRIPTS_DIR)  # the modules, as the theme copies them
    (old / "whatmatters.css").write_text((source / "whatmatters.css").read_text(encoding="utf-8") + "\n/* N-1 */\n")
    (old / "runtime.json").write_text(json.dumps(manifest), encoding="utf-8")
    names = publish.stamp_runtime(old)
    return {
        name: (old / names[name]).read_text(encoding="utf-8") for name in ("widget.js", "worker.js", "runtime.json")
    }


@pytest.mark.browser
@pytest.mark.site
@pytest.mark.parametrize("swapped", ["worker.js", "widget.js", "runtime.json"])
def test_a_file_of_the_previous_release_shows_the_reload_note(
    swapped: str, built_site: Build, serve, chromium, tmp_path: pathlib.Path
) -> None:
    """Release N's page with release N-1's worker, widget script or manifest: the reload note, the static widget kept."""
    site = tmp_path / "site"
    shutil.copytree(built_site.site, site)
    old = previous_release(site, tmp_path)
    home = site / "assets" / "whatmatters"
    stem, suffix = swapped.split(".")
    (target,) = home.glob(f"{stem}.*.{suffix}")
    target.write_text(old[swapped], encoding="utf-8")
    body = (site / "later" / "index.html").read_text(encoding="utf-8")
    base = serve(site, "/")
    context = chromium.new_context()
    try:
        page = context.new_page()
        page.goto(base + "later/", wait_until="load")
        static = page.inner_text("#wm-flow-caching .wm-body")
        wait_state(page, "wm-flow-caching", "stale", timeout=20_000)
        assert page.inner_text("#wm-flow-caching .wm-status").strip() == widget_notes()["stale"]
        assert page.inner_text("#wm-flow-caching .wm-body") == static and static.strip()
    finally:
        context.close()
    assert 'id="wm-flow-caching"' in body


def test_the_reload_note_is_one_line() -> None:
    assert widget_notes()["stale"] == "A new version of this page is out; reload to use the interactive version."
